"""Validation of form answers. Every free-text answer is normalised here; an answer that cannot
be used gets a Chinese explanation and the question again, never an exception."""

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from borrower.advice import behaviours_in
from borrower.lexicon import lexicon
from borrower.money import parse_amount
from borrower.text import UNKNOWN, clean, has_content, personal_number_spans, says_nothing, says_unknown

# An opening message with fewer characters of content than this has no details yet.
CONTENT_MIN_CHARS = 3
MAX_NAME_CHARS = 60
MAX_DETAIL_CHARS = 2000
MAX_AMOUNT_YUAN = 1e9
OTHER_LOAN_TYPE = "其他借款"


def _text(value: Any) -> str:
    return clean(str(value)).strip() if value is not None else ""


# Characters of markup, templates and forged intents, which no lender or loan name has.
_NOT_IN_NAMES = set("{}<>[]\\|$`")


def is_name(text: Text) -> bool:
    """Whether free text can stand as a lender's or a loan type's name in a letter and a case: not
    a phone, ID or card number (masked or not), a forged intent ("/inform{…}") or markup."""
    return not (personal_number_spans(text) or "*" in text or text.startswith("/") or _NOT_IN_NAMES & set(text))


def _name_answer(slot: Text, value: Any, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    """The canonical lexicon name, UNKNOWN, or the text itself when it can be a name."""
    text = _text(value)
    entry = lexicon().canonical(text, slot)
    if entry:
        return {slot: entry.name}
    if not has_content(text):
        return {slot: None}  # only emoji or punctuation: ask again
    if says_unknown(text):
        return {slot: UNKNOWN}
    if not is_name(text):
        dispatcher.utter_message(response=f"utter_{slot}_not_a_name")
        return {slot: None}
    if slot == "loan_type" and text.startswith("其他"):
        return {slot: OTHER_LOAN_TYPE}
    return {slot: text[:MAX_NAME_CHARS]}


def platform_answer(value: Any, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    return _name_answer("platform", value, dispatcher)


def loan_type_answer(value: Any, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    return _name_answer("loan_type", value, dispatcher)


def amount_answer(
    slot: str, value: Any, dispatcher: CollectingDispatcher, *, allow_unknown: bool
) -> Dict[Text, Any]:
    """A number of yuan from "五万二" / "3.5万" / "52000"; UNKNOWN if allowed and said."""
    text = _text(value)
    if says_nothing(text):
        return {slot: 0.0}
    amount = parse_amount(text)
    if amount is not None and 0 <= amount < MAX_AMOUNT_YUAN:
        return {slot: amount}
    if allow_unknown and says_unknown(text):
        return {slot: UNKNOWN}
    dispatcher.utter_message(
        response="utter_invalid_amount" if allow_unknown else "utter_invalid_amount_required"
    )
    return {slot: None}


def _asked(tracker: Tracker, slot: str) -> bool:
    """True when the value answers the form's question (not the user's opening message)."""
    return tracker.get_slot("requested_slot") == slot


class ValidateComplaintForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_complaint_form"

    def validate_platform(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return platform_answer(value, dispatcher)

    def validate_loan_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return loan_type_answer(value, dispatcher)

    def validate_complaint_problem(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = _text(value)
        if not _asked(tracker, "complaint_problem") and len(lexicon().content(text)) < CONTENT_MIN_CHARS:
            return {"complaint_problem": None}  # "我要投诉" alone: ask what happened
        if not has_content(text):
            return {"complaint_problem": None}
        return {"complaint_problem": text[:MAX_DETAIL_CHARS]}

    def validate_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return amount_answer("amount", value, dispatcher, allow_unknown=True)


class ValidateHarassmentForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_harassment_form"

    def validate_harassment_detail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = _text(value)
        behaviours = behaviours_in(text)
        # An opening message that names no behaviour ("被催收骚扰了") gets the detail question;
        # an answer to that question is taken as it is.
        if not has_content(text) or (not behaviours and not _asked(tracker, "harassment_detail")):
            return {"harassment_detail": None}
        return {"harassment_detail": text[:MAX_DETAIL_CHARS], "harassment_types": behaviours}

    def validate_platform(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return platform_answer(value, dispatcher)


class ValidateNegotiationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_negotiation_form"

    def validate_loan_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return loan_type_answer(value, dispatcher)

    def validate_debt_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        result = amount_answer("debt_amount", value, dispatcher, allow_unknown=False)
        if result["debt_amount"] == 0:  # "没有" is no answer to how much is owed
            dispatcher.utter_message(response="utter_invalid_amount_required")
            return {"debt_amount": None}
        return result

    def validate_monthly_income(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return amount_answer("monthly_income", value, dispatcher, allow_unknown=False)

    def validate_essential_spending(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return amount_answer("essential_spending", value, dispatcher, allow_unknown=True)

    def validate_affordable_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return amount_answer("affordable_amount", value, dispatcher, allow_unknown=False)
