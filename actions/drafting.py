"""Drafts letters from the facts the user gave: the complaint letter (templates/complaint_letter.j2)
addressed along the escalation ladder, and the repayment negotiation request
(templates/negotiation_letter.j2). Long letters are sent in parts that fit a chat message.

The assistant never asks for a phone or ID number. When the user gave one, the letter carries it
masked (138****5678); only when the user asks for the full numbers is the letter shown again with
them. That copy is not stored: the case keeps the masked letter, and the numbers themselves are
kept with the recorded case only encrypted (borrower/secret.py), for the next such request.
"""

import logging
import re
from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.cases import VERIFY_SLOT, case_store, owner_of, verification_refused, verified_case
from actions.contact import Contact, contact_for_letter, contact_given
from actions.slots import known, loan_type_id, number, region
from borrower.advice import RepaymentPlans, complaint_ladder, letter_rules
from borrower.casestore import CaseRecord
from borrower.knowledge import knowledge
from borrower.render import render
from borrower.text import mask_pii, split_for_chat

logger = logging.getLogger(__name__)


def _today() -> str:
    return f"{date.today():%Y年%m月%d日}"


# The header fields of both letter templates, where the contact numbers go.
_PHONE_FIELD = re.compile(r"(?<=联系电话：)\S+")
_ID_FIELD = re.compile(r"(?<=身份证号：)\S+")


def with_contact(letter: Text, contact: Contact) -> Text:
    """The letter with the header's phone and ID fields set to these numbers."""
    if contact.phone:
        letter = _PHONE_FIELD.sub(contact.phone, letter, count=1)
    if contact.id_number:
        letter = _ID_FIELD.sub(contact.id_number, letter, count=1)
    return letter


def send_letter(dispatcher: CollectingDispatcher, intro: Text, letter: Text, masked: bool = False) -> None:
    """The intro response, then the letter: one message, or numbered parts when it is too long;
    then, when it carries masked numbers, how to have them written in full."""
    parts = split_for_chat(letter)
    dispatcher.utter_message(response=intro)
    if len(parts) == 1:
        dispatcher.utter_message(response="utter_letter_part", part=letter)
    else:
        dispatcher.utter_message(response="utter_letter_in_parts", count=len(parts))
        for index, part in enumerate(parts, start=1):
            dispatcher.utter_message(response="utter_letter_part_numbered", index=index, count=len(parts), part=part)
    if masked:
        dispatcher.utter_message(response="utter_contact_masked")


def complaint_letter(tracker: Tracker, contact: Contact) -> Text:
    kb = knowledge()
    platform = known(tracker, "platform")
    problem = mask_pii(known(tracker, "complaint_problem")) or None
    ladder = complaint_ladder(kb, platform, loan_type_id(tracker), problem, region(tracker))
    first, *rest = [step for step in ladder.steps if step.channel.id != "police_110"]
    return render(
        "complaint_letter.j2",
        contact=contact,
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


def negotiation_letter(tracker: Tracker, plans: RepaymentPlans, contact: Contact) -> Text:
    affordable = [plan for plan in plans.plans if plan.kind == "instalments" and plan.within_means]
    return render(
        "negotiation_letter.j2",
        contact=contact,
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
        contact = contact_for_letter(tracker)
        letter = complaint_letter(tracker, contact)
        send_letter(dispatcher, "utter_complaint_draft", letter, masked=bool(contact))
        return [SlotSet("case_draft", letter)]


def latest_recorded_letter(owner: Text) -> Optional[CaseRecord]:
    """The user's newest recorded case that has a letter (recording clears the draft slot)."""
    try:
        cases = [case for case in case_store().cases_for(owner) if case.draft]
    except (SQLAlchemyError, OSError):
        logger.exception("could not read the recorded letters")
        return None
    return cases[-1] if cases else None


def stored_contact(case: Optional[CaseRecord]) -> Contact:
    """The numbers kept encrypted with the case, when the user asked for them before."""
    if case is None:
        return Contact()
    try:
        kept = case_store().contact(case.case_number)
    except (SQLAlchemyError, OSError):
        logger.exception("could not read the stored contact numbers")
        return Contact()
    return Contact(kept.get("phone"), kept.get("id_number"))


class ActionIncludeContactDetails(Action):
    """The user asked for their full phone / ID number in the letter: the last letter again with
    the numbers in full — those of their latest message (or earlier ones of this turn's tracker),
    else those kept with the case from an earlier request, once the phone's last four digits are
    confirmed (action_verify_contact). Numbers given for a recorded case's
    letter are kept with it, encrypted (borrower/secret.py), so the user can ask again later;
    the stored letter itself stays masked."""

    def name(self) -> Text:
        return "action_include_contact_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        draft = known(tracker, "case_draft")
        case = None if draft else latest_recorded_letter(owner_of(tracker))
        if case is not None:
            draft = case.draft
        if not draft:
            dispatcher.utter_message(response="utter_no_letter_yet")
            return [SlotSet(VERIFY_SLOT, None)]
        contact = contact_given(tracker)
        if not contact and stored_contact(case):
            # Kept numbers are shown in full only to whoever proves they know the phone: a sender
            # id alone is no proof (on a server-to-server channel anyone can claim one).
            if verification_refused(tracker):
                dispatcher.utter_message(response="utter_verification_refused")
                return [SlotSet(VERIFY_SLOT, None)]
            dispatcher.utter_message(response="utter_ask_contact_verification")
            return [SlotSet(VERIFY_SLOT, case.case_number)]
        if not contact:
            dispatcher.utter_message(response="utter_ask_contact_numbers")
            return [SlotSet(VERIFY_SLOT, None)]
        if case is not None:
            try:
                case_store().store_contact(case.case_number, {"phone": contact.phone, "id_number": contact.id_number})
            except (SQLAlchemyError, OSError):
                logger.exception("could not keep the contact numbers with case %s", case.case_number)
        send_letter(dispatcher, "utter_letter_full_contact", with_contact(draft, contact))
        return [SlotSet(VERIFY_SLOT, None)]


class ActionVerifyContact(Action):
    """The answer to utter_ask_contact_verification: the recorded letter with the kept numbers in
    full, once the last four digits of the phone match."""

    def name(self) -> Text:
        return "action_verify_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        case, events = verified_case(dispatcher, tracker, not_verified="utter_contact_not_verified")
        if case is not None and case.owner != owner_of(tracker):
            case = None  # only the requester's own case: a stranger's number never unlocks numbers
            dispatcher.utter_message(response="utter_contact_not_verified")
        if case is not None and case.draft:
            send_letter(dispatcher, "utter_letter_full_contact", with_contact(case.draft, stored_contact(case)))
        return events
