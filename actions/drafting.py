"""Drafts the complaint letter from the facts the user gave (templates/complaint_letter.j2)."""

from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import known, number
from borrower.render import render
from borrower.text import mask_pii


class ActionDraftComplaint(Action):
    def name(self) -> Text:
        return "action_draft_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        draft = render(
            "complaint_letter.j2",
            platform=known(tracker, "platform"),
            loan_type=known(tracker, "loan_type"),
            problem=mask_pii(known(tracker, "complaint_problem")) or None,
            amount=number(tracker, "amount"),
            date=f"{date.today():%Y年%m月%d日}",
        )
        dispatcher.utter_message(response="utter_complaint_draft", draft=draft)
        return [SlotSet("case_draft", draft)]
