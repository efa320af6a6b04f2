"""Records the case the conversation just completed, so the user can come back to it."""

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.slots import known, loan_type_id, number, region
from borrower.casestore import CaseStore
from borrower.knowledge import knowledge
from borrower.render import render
from borrower.text import mask_pii

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

_store: Optional[CaseStore] = None


def case_store() -> CaseStore:
    """The process-wide store, created on first use (and again after a failed creation)."""
    global _store
    if _store is None:
        _store = CaseStore()
    return _store


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
                        "description": detail}],
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
        try:
            record = case_store().create_case(
                tracker.sender_id, category, **case_fields(tracker, category)
            )
        except (SQLAlchemyError, OSError, RuntimeError):
            # The answers stay in the slots, so the next attempt can save them.
            logger.exception("could not save a %s case", category)
            dispatcher.utter_message(response="utter_case_save_failed")
            return []
        dispatcher.utter_message(response="utter_case_recorded", case_number=record.case_number)
        return [SlotSet(slot, None) for slot in CASE_SLOTS[category]]


def mentioned_case_number(tracker: Tracker) -> Optional[str]:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "case_id" and entity.get("value"):
            return str(entity["value"]).upper()
    return None


class ActionCaseStatus(Action):
    """The user's own cases. A number that is not theirs gets the same answer as one that does
    not exist, so case numbers cannot be probed."""

    def name(self) -> Text:
        return "action_case_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        number = mentioned_case_number(tracker)
        try:
            if number:
                found = case_store().find(number, tracker.sender_id)
                cases = [found] if found else []
            else:
                cases = case_store().cases_for(tracker.sender_id)
        except (SQLAlchemyError, OSError):
            logger.exception("could not read cases")
            dispatcher.utter_message(response="utter_case_store_unavailable")
            return []
        if number and not cases:
            dispatcher.utter_message(response="utter_case_not_found", case_number=number)
        elif not cases:
            dispatcher.utter_message(response="utter_no_cases")
        else:
            response = "utter_case_detail" if number else "utter_case_list"
            key = "case" if number else "cases"
            dispatcher.utter_message(response=response, **{key: render("case_status.j2", cases=cases)})
        return []
