"""Rasa's SQL tracker store with ID-card, mobile and bank-card numbers masked before any event
is written (PIPL: collect the minimum).

Every string in a new event — the user's text, its parse data and entities, slot values, the
bot's replies — goes through borrower.text.mask_pii on its way to the database. Within the turn
the message arrives in, Rasa and the action server still see it as typed (so a user can have
their full number written into a letter, actions/drafting.py); from the next turn on the tracker
is read back from the database, masked.

A turn that sets the `data_deleted` slot (actions/privacy.py, after the user confirmed 「删除我的
信息」) is not written: every stored event of that conversation is deleted instead.

endpoints.yml: `tracker_store: {type: components.tracker_store.MaskingSQLTrackerStore, url: …}`,
any SQLAlchemy URL, as for Rasa's own `type: SQL`. No event broker is configured; one would
receive events unmasked.
"""

from typing import Any, Iterator

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from borrower.privacy import DELETED_SLOT, masked


def deletion_requested(tracker: DialogueStateTracker) -> bool:
    """Whether this turn (the events since the latest user message) set `data_deleted`."""
    for event in reversed(tracker.events):
        if isinstance(event, SlotSet) and event.key == DELETED_SLOT and event.value:
            return True
        if isinstance(event, UserUttered):
            return False
    return False


class MaskingSQLTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        if not deletion_requested(tracker):
            await super().save(tracker)
            return
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
            session.commit()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events SQLTrackerStore.save writes, as masked copies (the tracker is untouched)."""
        for event in super()._additional_events(session, tracker):
            yield Event.from_parameters(masked(event.as_dict()))
