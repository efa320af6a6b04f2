"""「删除我的信息」: after a confirmation, the user's cases and the whole conversation are deleted.

The cases go here (borrower/casestore.py). The conversation cannot be deleted from the action
server — Rasa writes the tracker after the action has run — so the action sets the
`data_deleted` slot, and the tracker store (components/tracker_store.py) deletes every stored
event of the conversation instead of writing that turn.
"""

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.cases import case_store
from borrower.privacy import DELETED_SLOT

logger = logging.getLogger(__name__)


class ActionConfirmDelete(Action):
    """Says what would be deleted and asks for a confirmation."""

    def name(self) -> Text:
        return "action_confirm_delete"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            count = len(case_store().cases_for(tracker.sender_id))
        except (SQLAlchemyError, OSError):
            logger.exception("could not count cases before a deletion")
            dispatcher.utter_message(response="utter_confirm_delete_unknown_count")
            return []
        dispatcher.utter_message(response="utter_confirm_delete", count=count)
        return []


class ActionDeleteMyData(Action):
    def name(self) -> Text:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            count = case_store().delete_for(tracker.sender_id)
        except (SQLAlchemyError, OSError):
            # Nothing is deleted, the conversation included, so the user can simply ask again.
            logger.exception("could not delete cases")
            dispatcher.utter_message(response="utter_delete_failed")
            return []
        dispatcher.utter_message(response="utter_data_deleted", count=count)
        return [SlotSet(DELETED_SLOT, True)]
