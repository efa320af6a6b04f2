"""「删除我的信息」: after a confirmation, the user's cases and the whole conversation are deleted;
「删除案件TS-…」: after a confirmation, that one case (with its letters and incidents), nothing else.

The cases go here (borrower/casestore.py). The conversation cannot be deleted from the action
server — Rasa writes the tracker after the action has run — so the action sets the
`data_deleted` slot, and the tracker store (components/tracker_store.py) deletes every stored
event of the conversation instead of writing that turn.

What is deleted is what the confirmation named: action_confirm_delete keeps it in the
`delete_target` slot, and action_delete_my_data deletes that and nothing else. A confirmation
that names something else (「全部删掉」 after being asked about one case) deletes nothing and
asks to be said again, so nobody loses more than the warning they read described.
"""

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.cases import case_store, mentioned_case_number, owner_of
from borrower.casestore import case_number_like
from borrower.privacy import DELETED_SLOT

logger = logging.getLogger(__name__)

TARGET_SLOT = "delete_target"
ALL = "all"  # the target of 「删除我的信息」; any other value is a case number


def _asked_for(tracker: Tracker) -> str:
    """What the latest message asks to delete: one case when it names a case number — or writes
    something like one that is no valid number (a typo must never widen a deletion to all) —
    else all."""
    return mentioned_case_number(tracker) or case_number_like(tracker.latest_message.get("text")) or ALL


class ActionConfirmDelete(Action):
    """Says what would be deleted and asks for a confirmation. Only the user's own cases can be
    named; a number that is not theirs gets the same answer whether or not it exists."""

    def name(self) -> Text:
        return "action_confirm_delete"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        target = _asked_for(tracker)
        try:
            if target == ALL:
                count = len(case_store().cases_for(owner_of(tracker)))
            elif case_store().find(target, owner_of(tracker)) is None:
                dispatcher.utter_message(response="utter_delete_case_not_found", case_number=target)
                return [SlotSet(TARGET_SLOT, None)]
        except (SQLAlchemyError, OSError):
            logger.exception("could not look up cases before a deletion")
            if target != ALL:
                dispatcher.utter_message(response="utter_delete_failed")
                return [SlotSet(TARGET_SLOT, None)]
            dispatcher.utter_message(response="utter_confirm_delete_unknown_count")
            return [SlotSet(TARGET_SLOT, ALL)]
        if target == ALL:
            dispatcher.utter_message(response="utter_confirm_delete", count=count)
        else:
            dispatcher.utter_message(response="utter_confirm_delete_case", case_number=target)
        return [SlotSet(TARGET_SLOT, target)]


class ActionDeleteMyData(Action):
    """Deletes what action_confirm_delete asked about, once the user has confirmed it."""

    def name(self) -> Text:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        target: Optional[str] = tracker.get_slot(TARGET_SLOT)
        if not target:
            dispatcher.utter_message(response="utter_no_delete_pending")
            return []
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "delete_my_data" and _asked_for(tracker) != target:
            dispatcher.utter_message(response="utter_delete_scope_changed")
            return [SlotSet(TARGET_SLOT, None)]
        try:
            if target == ALL:
                count = case_store().delete_for(owner_of(tracker))
            else:
                deleted = case_store().delete_case(target, owner_of(tracker))
        except (SQLAlchemyError, OSError):
            # Nothing is deleted, the conversation included, so the user can simply ask again.
            logger.exception("could not delete cases")
            dispatcher.utter_message(response="utter_delete_failed")
            return [SlotSet(TARGET_SLOT, None)]
        if target == ALL:
            dispatcher.utter_message(response="utter_data_deleted", count=count)
            return [SlotSet(DELETED_SLOT, True)]
        if not deleted:  # deleted in another conversation since the confirmation
            dispatcher.utter_message(response="utter_delete_case_not_found", case_number=target)
        else:
            dispatcher.utter_message(response="utter_case_deleted", case_number=target)
        return [SlotSet(TARGET_SLOT, None)]
