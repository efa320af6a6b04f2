"""Drafts letters from the facts the user gave: the complaint letter (templates/complaint_letter.j2)
addressed along the escalation ladder, and the repayment negotiation request
(templates/negotiation_letter.j2). Long letters are sent in parts that fit a chat message."""

from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import known, loan_type_id, number, region
from borrower.advice import RepaymentPlans, complaint_ladder, letter_rules
from borrower.knowledge import knowledge
from borrower.render import render
from borrower.text import mask_pii, split_for_chat


def _today() -> str:
    return f"{date.today():%Y年%m月%d日}"


def send_letter(dispatcher: CollectingDispatcher, intro: Text, letter: Text) -> None:
    """The intro response, then the letter: one message, or numbered parts when it is too long."""
    parts = split_for_chat(letter)
    dispatcher.utter_message(response=intro)
    if len(parts) == 1:
        dispatcher.utter_message(response="utter_letter_part", part=letter)
        return
    dispatcher.utter_message(response="utter_letter_in_parts", count=len(parts))
    for index, part in enumerate(parts, start=1):
        dispatcher.utter_message(response="utter_letter_part_numbered", index=index, count=len(parts), part=part)


def complaint_letter(tracker: Tracker) -> Text:
    kb = knowledge()
    platform = known(tracker, "platform")
    problem = mask_pii(known(tracker, "complaint_problem")) or None
    ladder = complaint_ladder(kb, platform, loan_type_id(tracker), problem, region(tracker))
    first, *rest = [step for step in ladder.steps if step.channel.id != "police_110"]
    return render(
        "complaint_letter.j2",
        to_dealer=first.channel.id == "dealer",
        platform=platform,
        loan_type=known(tracker, "loan_type"),
        problem=problem,
        amount=number(tracker, "amount"),
        rules=letter_rules(kb, ladder.issue),
        evidence=ladder.bring,
        next_body=rest[0].channel.name if rest else None,
        date=_today(),
    )


def negotiation_letter(tracker: Tracker, plans: RepaymentPlans) -> Text:
    affordable = [plan for plan in plans.plans if plan.kind == "instalments" and plan.within_means]
    return render(
        "negotiation_letter.j2",
        platform=known(tracker, "platform"),
        loan_type=known(tracker, "loan_type"),
        plans=plans,
        plan=affordable[0] if affordable else None,  # the shortest term at what the user can pay
        credit_card=loan_type_id(tracker) == "credit_card",
        date=_today(),
    )


class ActionDraftComplaint(Action):
    def name(self) -> Text:
        return "action_draft_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        letter = complaint_letter(tracker)
        send_letter(dispatcher, "utter_complaint_draft", letter)
        return [SlotSet("case_draft", letter)]
