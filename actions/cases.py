"""Records the case the conversation just completed, so the user can come back to it, and shows
the user their cases: their own, or one asked for by number from another identity once the last
four digits of the phone given when it was made are confirmed."""

import logging
import re
from datetime import date
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.contact import phone_last4
from actions.slots import known, loan_type_id, number, region
from borrower.casestore import CaseRecord, CaseStore
from borrower.knowledge import knowledge
from borrower.lexicon import lexicon
from borrower.progress import next_step
from borrower.render import render
from borrower.text import find_mobile, mask_pii, normalize

logger = logging.getLogger(__name__)

# Which form's completion means which kind of case, and the slots that belong to it.
FORM_CATEGORY = {
    "complaint_form": "complaint",
    "harassment_form": "harassment",
    "negotiation_form": "negotiation",
}
CASE_SLOTS = {
    "complaint": ["platform", "loan_type", "complaint_problem", "amount", "case_draft"],
    "harassment": ["platform", "harassment_detail", "harassment_types"],
    "negotiation": [
        "loan_type", "debt_amount", "monthly_income", "essential_spending", "affordable_amount", "case_draft",
    ],
}

# Slots of the verification of a case number that is not the user's (action_case_status asks,
# action_verify_case checks the answer).
VERIFY_SLOT = "case_to_verify"
ATTEMPTS_SLOT = "verify_attempts"
MAX_ATTEMPTS = 3  # per conversation; the store also locks the case after 5 wrong answers

_store: Optional[CaseStore] = None


def case_store() -> CaseStore:
    """The process-wide store, created on first use (and again after a failed creation)."""
    global _store
    if _store is None:
        _store = CaseStore()
    return _store


def owner_of(tracker: Tracker) -> str:
    """The channel identity the conversation's cases belong to: "<channel>:<sender id>". A sender
    id is only as trustworthy as its channel (WeChat signs its openids, the widget issues its
    session ids, the REST channel is for trusted servers), so the same id arriving on another
    channel is another person."""
    return f"{tracker.get_latest_input_channel() or 'unknown'}:{tracker.sender_id}"


def last_completed_form(tracker: Tracker) -> Optional[str]:
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") in FORM_CATEGORY:
            return event["name"]
    return None


def time_said(tracker: Tracker, form: str) -> Optional[str]:
    """The latest time of day (凌晨两点) the user named in `form` or the message that started it."""
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == form:
            started = True
        elif event.get("event") == "user":
            for entity in (event.get("parse_data") or {}).get("entities") or []:
                if entity.get("entity") == "time_of_day" and entity.get("value"):
                    return str(entity["value"])
            if started:
                return None
    return None


def case_fields(tracker: Tracker, category: str) -> Dict[str, Any]:
    platform = known(tracker, "platform")
    loan_type = loan_type_id(tracker)
    fields: Dict[str, Any] = {
        "channel": tracker.get_latest_input_channel(),
        "platform": platform,
        "loan_type": known(tracker, "loan_type"),
        "institution_type": knowledge().classify_institution(platform, loan_type).id,
        "region": region(tracker),
    }
    if category == "complaint":
        problem = mask_pii(known(tracker, "complaint_problem"))
        fields.update(
            amount=number(tracker, "amount"),
            summary=problem,
            details={"problem": problem},
            draft=known(tracker, "case_draft"),
        )
    elif category == "harassment":
        detail = mask_pii(known(tracker, "harassment_detail"))
        behaviours = tracker.get_slot("harassment_types") or []
        fields.update(
            summary=detail,
            details={"detail": detail, "behaviours": behaviours},
            incidents=[{"occurred": time_said(tracker, "harassment_form"), "behaviours": behaviours,
                        "contacted": lexicon().contacted(detail), "description": detail}],
        )
    else:
        fields.update(
            amount=number(tracker, "debt_amount"),
            draft=known(tracker, "case_draft"),
            details={
                "debt": number(tracker, "debt_amount"),
                "monthly_income": number(tracker, "monthly_income"),
                "essential_spending": number(tracker, "essential_spending"),
                "affordable": number(tracker, "affordable_amount"),
            },
        )
    return fields


class ActionRecordCase(Action):
    def name(self) -> Text:
        return "action_record_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        form = last_completed_form(tracker)
        if form is None:
            logger.warning("action_record_case ran without a completed form; nothing recorded")
            return []
        category = FORM_CATEGORY[form]
        fields = case_fields(tracker, category)
        last4 = phone_last4(tracker)
        try:
            # Another harassment report against the same lender is a new incident of the open case.
            ongoing = (case_store().open_case(owner_of(tracker), category, fields["platform"])
                       if category == "harassment" else None)
            if ongoing:
                record = case_store().add_incident(ongoing.case_number, fields["incidents"][0])
            else:
                record = case_store().create_case(owner_of(tracker), category, phone_last4=last4, **fields)
        except (SQLAlchemyError, OSError, RuntimeError):
            # The answers stay in the slots, so the next attempt can save them.
            logger.exception("could not save a %s case", category)
            dispatcher.utter_message(response="utter_case_save_failed")
            return []
        if ongoing:
            dispatcher.utter_message(response="utter_incident_added", case_number=record.case_number,
                                     count=len(case_store().incidents(record.case_number)))
        else:
            dispatcher.utter_message(response="utter_case_recorded", case_number=record.case_number)
            if last4:
                dispatcher.utter_message(response="utter_case_verifiable")
        return [SlotSet(slot, None) for slot in CASE_SLOTS[category]]


def mentioned_case_number(tracker: Tracker) -> Optional[str]:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "case_id" and entity.get("value"):
            return str(entity["value"]).upper()
    return None


def cases_asked_about(tracker: Tracker) -> Tuple[Optional[str], List[CaseRecord]]:
    """The case number the message names, if any, and the user's cases it selects: that case
    when it is theirs (none when it is not), else all of theirs, oldest first."""
    number = mentioned_case_number(tracker)
    if number:
        found = case_store().find(number, owner_of(tracker))
        return number, [found] if found else []
    return None, case_store().cases_for(owner_of(tracker))


def show_cases(dispatcher: CollectingDispatcher, cases: List[CaseRecord], one: bool) -> None:
    response, key = ("utter_case_detail", "case") if one else ("utter_case_list", "cases")
    dispatcher.utter_message(response=response, **{key: render("case_status.j2", cases=cases, today=date.today(),
                                                                kb=knowledge())})


def remind_overdue(dispatcher: CollectingDispatcher, cases: List[CaseRecord]) -> None:
    """For each case whose reply deadline has passed, the next step; noted so the session start
    does not repeat it today (if the note cannot be written, the advice may come again)."""
    for case in cases:
        advice = next_step(case, overdue=True)
        if advice:
            dispatcher.utter_message(response="utter_follow_up", text_block=advice)
            try:
                case_store().mark_notified(case.case_number, date.today())
            except (SQLAlchemyError, OSError):
                logger.exception("could not note the reminder for case %s", case.case_number)


class ActionCaseStatus(Action):
    """The user's own cases. A number that is not theirs is asked to be verified whether or not it
    exists, so case numbers cannot be probed."""

    def name(self) -> Text:
        return "action_case_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            number, cases = cases_asked_about(tracker)
        except (SQLAlchemyError, OSError):
            logger.exception("could not read cases")
            dispatcher.utter_message(response="utter_case_store_unavailable")
            return []
        if number and not cases:
            if verification_refused(tracker):
                dispatcher.utter_message(response="utter_verification_refused")
                return [SlotSet(VERIFY_SLOT, None)]
            dispatcher.utter_message(response="utter_ask_case_verification", case_number=number)
            return [SlotSet(VERIFY_SLOT, number)]
        if not cases:
            dispatcher.utter_message(response="utter_no_cases")
        else:
            show_cases(dispatcher, cases, one=bool(number))
            remind_overdue(dispatcher, [case for case in cases if case.overdue(date.today())])
        return [SlotSet(VERIFY_SLOT, None)]


_FOUR_DIGITS = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")


def digits_given(text: Optional[Text]) -> Optional[str]:
    """The last four digits of a phone in the answer: 「5678」「尾号5678」 or the whole number."""
    cleaned = normalize(text)
    phone = find_mobile(cleaned, masked_too=True)
    if phone:
        return phone[-4:]
    found = _FOUR_DIGITS.findall(cleaned)
    return found[-1] if len(found) == 1 else None


def verified_case(dispatcher: CollectingDispatcher, tracker: Tracker,
                  not_verified: Text = "utter_case_not_verified") -> Tuple[Optional[CaseRecord], List[EventType]]:
    """The case awaiting verification (VERIFY_SLOT) when the message gives the right last four
    phone digits, with the events that end the verification; on a failure the reason is said
    (`not_verified` for wrong digits, an unknown number or a case without a phone alike)."""
    number = tracker.get_slot(VERIFY_SLOT)
    if not number:
        dispatcher.utter_message(response="utter_no_verification_pending")
        return None, []
    digits = digits_given(tracker.latest_message.get("text"))
    if digits is None:
        dispatcher.utter_message(response="utter_verification_no_digits")
        return None, [SlotSet(VERIFY_SLOT, None)]
    attempts = int(tracker.get_slot(ATTEMPTS_SLOT) or 0) + 1
    try:
        case = case_store().verify(number, digits, owner_of(tracker))
    except (SQLAlchemyError, OSError):
        logger.exception("could not verify a case number")
        dispatcher.utter_message(response="utter_case_store_unavailable")
        return None, [SlotSet(VERIFY_SLOT, None)]
    if case is None:
        dispatcher.utter_message(response=not_verified)
        return None, [SlotSet(VERIFY_SLOT, None), SlotSet(ATTEMPTS_SLOT, float(attempts))]
    return case, [SlotSet(VERIFY_SLOT, None), SlotSet(ATTEMPTS_SLOT, 0.0)]


def verification_refused(tracker: Tracker) -> bool:
    """Too many failed verifications in this conversation to ask for another."""
    return (tracker.get_slot(ATTEMPTS_SLOT) or 0) >= MAX_ATTEMPTS


class ActionVerifyCase(Action):
    """The answer to utter_ask_case_verification: the case is shown when the digits match. Wrong
    digits, an unknown number and a case without a phone get the same answer."""

    def name(self) -> Text:
        return "action_verify_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        case, events = verified_case(dispatcher, tracker)
        if case is not None:
            show_cases(dispatcher, [case], one=True)
        return events
