"""Collection harassment: which rules the described behaviour breaks (with sources), what
evidence to keep, and which channels to use."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import known, loan_type_id
from borrower.advice import harassment_findings
from borrower.knowledge import knowledge
from borrower.render import render


class ActionCheckHarassment(Action):
    def name(self) -> Text:
        return "action_check_harassment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        findings = harassment_findings(
            knowledge(),
            tracker.get_slot("harassment_types") or [],
            known(tracker, "platform"),
            loan_type_id(tracker),
        )
        if any(channel.id == "police_110" for channel in findings.channels):
            dispatcher.utter_message(response="utter_harassment_safety")
        dispatcher.utter_message(
            response="utter_harassment_findings",
            findings=render("harassment_findings.j2", findings=findings),
        )
        dispatcher.utter_message(response="utter_legal_disclaimer")
        return []
