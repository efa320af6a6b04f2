"""Validation of form answers. Every free-text answer is normalised here; an answer that cannot
be used gets a Chinese explanation and the question again, never an exception."""

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from borrower.advice import behaviours_in
from borrower.lexicon import lexicon
from borrower.money import parse_amount, read_amounts
from borrower.repair import (
    amounts_by_slot, asks_why, corrected_amount, corrected_slot, says_correction, says_skip, slot_label,
)
from borrower.text import UNKNOWN, clean, has_content, mask_pii, personal_number_spans, says_nothing, says_unknown

# An opening message with fewer characters of content than this has no details yet.
CONTENT_MIN_CHARS = 3
MAX_NAME_CHARS = 60
MAX_DETAIL_CHARS = 2000
MAX_AMOUNT_YUAN = 1e9
OTHER_LOAN_TYPE = "其他借款"


def _text(value: Any) -> str:
    return clean(str(value)).strip() if value is not None else ""


# Braces have no place in a borrower's answer; kept, they would be read as a template's
# placeholder where the answer is shown back (a case summary), or look like one.
_BRACES = str.maketrans("", "", "{}")


def _masked(event: EventType) -> EventType:
    """A form's answer is kept with its personal numbers masked (「我手机13812345678」 in a
    description) and without braces: the full numbers reach a letter only through
    action_include_contact_details."""
    value = event.get("value")
    if event.get("event") == "slot" and isinstance(value, str):
        kept = mask_pii(value).translate(_BRACES)
        if kept != value:
            return SlotSet(event["name"], kept)
    return event


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


# The question answered unusably in a row so far, as "<slot>:<count>" (domain.yml slot).
UNUSABLE_SLOT = "unusable_answers"
MAX_UNUSABLE_ANSWERS = 2
MAX_WHY_CHARS = 15  # 「你问这些干嘛？」 alone is about the question; in a long description it is not  # then the question is recorded as unknown: never asked a third time


def _filled_order(tracker: Tracker) -> List[Text]:
    """Slots in the order the user's answers set them (the latest last)."""
    order: List[Text] = []
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("value") is not None and event.get("name") != "requested_slot":
            if event["name"] in order:
                order.remove(event["name"])
            order.append(event["name"])
    return order


class RepairingFormValidation(FormValidationAction, ABC):
    """The validation every form shares: before an answer is validated as the answer to the
    question asked, it may be

    - a **correction** of an earlier answer (「不对，总共欠6万7」 while income is asked): the value
      goes to the slot it belongs to (by its cue words, else the one answered last), the user is
      told what changed, and the question asked is asked again — never filled with it;
    - a **skip** (「跳过」「不想说」): recorded as unknown (不清楚), never as a value;
    - a **question about the question** (「你问这个干嘛」): why it matters and how to skip it.

    And after MAX_UNUSABLE_ANSWERS unusable answers in a row to the same question, it is recorded
    as unknown, with how to give it later or stop: no question is asked a third time in a row.
    Forms list their amount slots in `amount_slots` and their name slots in `name_slots`.
    """

    amount_slots: Tuple[Text, ...] = ()
    name_slots: Tuple[Text, ...] = ()

    @abstractmethod
    def name(self) -> Text:
        """validate_<form>; abstract, so the SDK registers only the forms' own classes."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        asked = tracker.get_slot("requested_slot")
        text = _text(tracker.latest_message.get("text"))
        # Free-text questions (what happened) take their answer whole: 「利息算错了，多扣了500」 is a
        # description, not a correction.
        repairable = asked in self.amount_slots + self.name_slots
        if asked and text and (repairable or (asks_why(text) and len(text) <= MAX_WHY_CHARS)):
            repaired = self._repair(dispatcher, tracker, asked, text)
            if repaired is not None:
                return repaired
        before = len(dispatcher.messages)
        events = await super().run(dispatcher, tracker, domain)
        events = self._fill_from_message(tracker, asked, text, events)
        events = self._limit_unusable(dispatcher, tracker, asked, events, before)
        self._say_what_was_noted(dispatcher, events)
        return [_masked(event) for event in events]

    def _fill_from_message(self, tracker: Tracker, asked: Optional[Text], text: Text,
                           events: List[EventType]) -> List[EventType]:
        """Every amount of the message that a cue word gives to one of this form's slots, besides
        (or instead of) what was asked: 「收入4500 房租吃饭2800 能还800」 answers three questions.
        A value no cue claims is the answer to the question asked."""
        if not self.amount_slots or not text:
            return events
        found, unclaimed = amounts_by_slot(text, self.amount_slots, asked)
        if asked in self.amount_slots and asked not in found and found:
            if not unclaimed:  # 「收入不固定，欠了8万」: the only amount is another question's
                kept = [e for e in events if not (e.get("event") == "slot" and e.get("name") in {asked, *found})]
                return kept + [SlotSet(asked, None)] + [SlotSet(slot, value) for slot, value in found.items()
                                                        if 0 <= value < MAX_AMOUNT_YUAN]
            found[asked] = unclaimed[0]
        found = {slot: value for slot, value in found.items() if 0 <= value < MAX_AMOUNT_YUAN}
        if not found or (list(found) == [asked]):
            return events  # one answer to the question asked: its own validation stands
        kept = [e for e in events if not (e.get("event") == "slot" and e.get("name") in found)]
        return kept + [SlotSet(slot, value) for slot, value in found.items()]

    def _say_what_was_noted(self, dispatcher: CollectingDispatcher, events: List[EventType]) -> None:
        """「记下了：欠款总额 42,000 元」 for the amounts this message gave, so a misreading is seen
        and can be corrected at once."""
        noted = []
        for event in events:
            value = event.get("value")
            if (event.get("event") == "slot" and event.get("name") in self.amount_slots
                    and isinstance(value, (int, float)) and not isinstance(value, bool)):
                noted.append(f"{slot_label(event['name'])} {value:,.0f} 元")
        if noted:
            dispatcher.utter_message(response="utter_noted", items="，".join(noted))

    def _repair(self, dispatcher: CollectingDispatcher, tracker: Tracker, asked: Text,
                text: Text) -> Optional[List[EventType]]:
        if asks_why(text):
            dispatcher.utter_message(response=f"utter_why_{asked}")
            return [SlotSet(asked, None)]
        if says_correction(text):
            corrected = self._corrections(tracker, asked, text)
            if corrected:
                for slot, _value, shown in corrected:
                    dispatcher.utter_message(response="utter_corrected", label=slot_label(slot), value=shown)
                events = [SlotSet(slot, value) for slot, value, _shown in corrected]
                return events if asked in {slot for slot, _v, _s in corrected} else events + [SlotSet(asked, None)]
        if says_skip(text):
            dispatcher.utter_message(response="utter_question_skipped")
            return [SlotSet(asked, UNKNOWN), SlotSet(UNUSABLE_SLOT, None)]
        return None

    def _corrections(self, tracker: Tracker, asked: Text, text: Text) -> List[Tuple[Text, Any, Text]]:
        """(slot, new value, the value as shown) for each earlier answer a correction changes: a
        name it gives (「不对，是借呗」) and an amount (「不对，不是5万，是6万7」 → 6万7)."""
        order = [slot for slot in _filled_order(tracker) if slot != asked]  # its candidate is this text
        corrections: List[Tuple[Text, Any, Text]] = []
        for entity in tracker.latest_message.get("entities") or []:
            slot = entity.get("entity")
            if slot in self.name_slots and slot not in {c[0] for c in corrections}:
                value = _name_answer(slot, entity.get("value"), CollectingDispatcher()).get(slot)
                if value and value != tracker.get_slot(slot):  # 「信用卡欠了6万」 names no new loan type
                    corrections.append((slot, value, value))
        amount = corrected_amount(text)
        if amount is not None and 0 <= amount.value < MAX_AMOUNT_YUAN:
            slot = corrected_slot(text, self.amount_slots, order)
            if slot is not None:
                corrections.append((slot, amount.value, f"{amount.value:,.0f} 元"))
        return corrections

    def _limit_unusable(self, dispatcher: CollectingDispatcher, tracker: Tracker, asked: Optional[Text],
                        events: List[EventType], before: int) -> List[EventType]:
        answer = next((e for e in events if e.get("event") == "slot" and e.get("name") == asked), None)
        if not asked or answer is None:
            return events
        if answer.get("value") is not None:
            return events + [SlotSet(UNUSABLE_SLOT, None)]
        if any(e.get("event") == "slot" and e.get("name") in self.amount_slots and e.get("value") is not None
               for e in events):
            return events  # 「每个月工资5000」 to the debt question: another question's answer, no failure
        # Counted per form and question ("validate_negotiation_form:loan_type:1"): a count left by
        # a form the user stopped does not shorten the same question in another form.
        key = f"{self.name()}:{asked}:"
        previous = str(tracker.get_slot(UNUSABLE_SLOT) or "")
        count = int(previous[len(key):]) + 1 if previous.startswith(key) and previous[len(key):].isdigit() else 1
        if count < MAX_UNUSABLE_ANSWERS:
            return events + [SlotSet(UNUSABLE_SLOT, f"{key}{count}")]
        del dispatcher.messages[before:]  # not the "please answer again" of this answer
        dispatcher.utter_message(response="utter_question_skipped_after_tries")
        return [e for e in events if e is not answer] + [SlotSet(asked, UNKNOWN), SlotSet(UNUSABLE_SLOT, None)]


class ValidateComplaintForm(RepairingFormValidation):
    amount_slots = ("amount",)
    name_slots = ("platform", "loan_type")

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


class ValidateHarassmentForm(RepairingFormValidation):
    name_slots = ("platform",)

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


class ValidateNegotiationForm(RepairingFormValidation):
    amount_slots = ("debt_amount", "monthly_income", "essential_spending", "affordable_amount")
    name_slots = ("loan_type",)

    def name(self) -> Text:
        return "validate_negotiation_form"

    def validate_loan_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return loan_type_answer(value, dispatcher)

    def validate_debt_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        amounts = read_amounts(_text(value))
        if amounts and all(amount.per_period for amount in amounts):  # 「每个月还信用卡3000」
            found, _ = amounts_by_slot(_text(value), self.amount_slots, "debt_amount")
            if not found:  # 「每个月工资5000」 answers another question: no need to say this
                dispatcher.utter_message(response="utter_debt_is_a_total")
            return {"debt_amount": None}
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
