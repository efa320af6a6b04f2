"""Repayment negotiation: what the user's numbers mean, which options exist (honestly), and a
drafted request letter to the lender."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.contact import contact_for_letter
from actions.drafting import negotiation_letter, send_letter
from actions.slots import loan_type_id, number
from borrower.advice import repayment_plans
from borrower.knowledge import knowledge
from borrower.render import render


class ActionExplainNegotiation(Action):
    def name(self) -> Text:
        return "action_explain_negotiation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        facts = knowledge().negotiation
        plans = repayment_plans(
            number(tracker, "debt_amount"),  # each None when the user skipped it or did not know
            number(tracker, "monthly_income"),
            number(tracker, "affordable_amount"),
            number(tracker, "essential_spending"),
        )
        specific = facts.credit_card if loan_type_id(tracker) == "credit_card" else facts.other
        options = render(
            "negotiation_options.j2",
            plans=plans,
            specific=specific,
            general=facts.general,
            documents=facts.documents,
        )
        dispatcher.utter_message(response="utter_negotiation_options", options=options)
        contact = contact_for_letter(tracker)
        letter = negotiation_letter(tracker, plans, contact)
        send_letter(dispatcher, "utter_negotiation_letter", letter, masked=bool(contact))
        dispatcher.utter_message(response="utter_legal_disclaimer")
        return [SlotSet("case_draft", letter)]
