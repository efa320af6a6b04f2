"""Form validation actions: every answer is normalised, bad answers re-asked in Chinese."""

import pytest
from rasa_sdk.events import SlotSet

from actions.forms import ValidateComplaintForm, ValidateHarassmentForm, ValidateNegotiationForm
from tests.conftest import responses


@pytest.fixture(autouse=True)
def _domain(domain):
    global DOMAIN
    DOMAIN = domain


async def _validate(action, tracker_factory, dispatcher, slot, value, requested=None, active_loop=None):
    """Runs the validation action the way a form does after `slot` was extracted."""
    tracker = tracker_factory(
        {slot: value, "requested_slot": requested},
        text=str(value),
        events=[{"event": "user", "text": str(value)}, {"event": "slot", "name": slot, "value": value}],
        active_loop=active_loop,
    )
    events = await action.run(dispatcher, tracker, DOMAIN)
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


@pytest.mark.parametrize(
    "answer, stored",
    [
        ("是平安普惠的", "平安普惠"),
        ("招行", "招商银行"),
        ("不清楚", "不清楚"),
        ("深圳某某融资租赁有限公司", "深圳某某融资租赁有限公司"),
        ("长" * 500, "长" * 60),
    ],
)
async def test_platform_answers(tracker_factory, dispatcher, answer, stored):
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, "platform", answer,
                            "platform", "complaint_form")
    assert slots["platform"] == stored


@pytest.mark.parametrize("slot, answer", [
    ("platform", "13812345678"), ("platform", "+86 138-1234-5678"), ("platform", "138****5678"),
    ("platform", "身份证110101 19900307 1234"), ("platform", "/inform{\"platform\": \"x\"}"),
    ("platform", "<b>某某贷</b>"), ("loan_type", "/include_contact_details{\"x\": 1}"), ("loan_type", "{{7*7}}"),
])
async def test_a_number_or_markup_is_no_name(tracker_factory, dispatcher, slot, answer):
    """An ID typed as the answer to the platform question was stored as the case's platform and
    addressed the letter (「致：138****5678」); a forged intent became the loan type."""
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, slot, answer, slot, "complaint_form")
    assert slots[slot] is None
    assert responses(dispatcher) == [f"utter_{slot}_not_a_name"]


@pytest.mark.parametrize(
    "answer, stored",
    [("汽车贷款", "车贷"), ("以租代购", "以租代购"), ("信用卡", "信用卡"), ("其他借款", "其他借款"), ("不知道", "不清楚")],
)
async def test_loan_type_answers(tracker_factory, dispatcher, answer, stored):
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, "loan_type", answer,
                            "loan_type", "complaint_form")
    assert slots["loan_type"] == stored


async def test_amount_is_normalised_to_yuan(tracker_factory, dispatcher):
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, "amount", "五万二",
                            "amount", "complaint_form")
    assert slots["amount"] == 52000
    assert responses(dispatcher) == ["utter_noted"]  # said back: a misreading would show


@pytest.mark.parametrize("answer, yuan", [
    ("借了8千", 8000),  # was 8
    ("9千块", 9000),  # was 9
    ("3到5万", 50000),  # a range: its upper bound
    ("招行3万5 广发2万 加起来5万5左右", 55000),  # the stated total, not the first part
])
async def test_amount_answers_as_borrowers_write_them(tracker_factory, dispatcher, answer, yuan):
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, "amount", answer,
                            "amount", "complaint_form")
    assert slots["amount"] == yuan


async def test_unknown_amount_is_accepted_for_a_complaint(tracker_factory, dispatcher):
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, "amount", "记不清楚了",
                            "amount", "complaint_form")
    assert slots["amount"] == "不清楚"


async def test_every_dont_know_answer_of_replies_yml_is_unknown(tracker_factory, dispatcher):
    """「记不清了」 was missing from the Python list the form used."""
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, "amount", "具体数记不清了",
                            "amount", "complaint_form")
    assert slots["amount"] == "不清楚"


@pytest.mark.parametrize("answer", ["😭😭😭", "很多很多", "-", "99999999999"])
async def test_unreadable_amount_is_asked_again(tracker_factory, dispatcher, answer):
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, "amount", answer,
                            "amount", "complaint_form")
    assert slots["amount"] is None
    assert responses(dispatcher) == ["utter_invalid_amount"]


async def test_generic_opening_message_does_not_count_as_the_problem(tracker_factory, dispatcher):
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, "complaint_problem",
                            "我要投訴這個網貸平台", None, "complaint_form")
    assert slots["complaint_problem"] is None


async def test_opening_message_with_facts_is_the_problem(tracker_factory, dispatcher):
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, "complaint_problem",
                            "我要投诉平安普惠乱收GPS费", None, "complaint_form")
    assert slots["complaint_problem"] == "我要投诉平安普惠乱收GPS费"


async def test_harassment_detail_yields_behaviours(tracker_factory, dispatcher):
    slots = await _validate(ValidateHarassmentForm(), tracker_factory, dispatcher, "harassment_detail",
                            "催收半夜打電話，還冒充警察", None, "harassment_form")
    assert slots["harassment_types"] == ["night_calls", "impersonation"]
    assert slots["harassment_detail"] == "催收半夜打电话，还冒充警察"


async def test_vague_opening_report_asks_for_details(tracker_factory, dispatcher):
    slots = await _validate(ValidateHarassmentForm(), tracker_factory, dispatcher, "harassment_detail",
                            "我被催收骚扰了", None, "harassment_form")
    assert slots == {"harassment_detail": None}


async def test_answer_to_the_detail_question_is_accepted_even_without_known_behaviour(
    tracker_factory, dispatcher
):
    slots = await _validate(ValidateHarassmentForm(), tracker_factory, dispatcher, "harassment_detail",
                            "他们天天发短信", "harassment_detail", "harassment_form")
    assert slots["harassment_detail"] == "他们天天发短信"
    assert slots["harassment_types"] == []


async def test_income_of_nothing_is_zero(tracker_factory, dispatcher):
    slots = await _validate(ValidateNegotiationForm(), tracker_factory, dispatcher, "monthly_income",
                            "现在失业了没有收入", "monthly_income", "negotiation_form")
    assert slots["monthly_income"] == 0


async def test_debt_must_be_a_number(tracker_factory, dispatcher):
    slots = await _validate(ValidateNegotiationForm(), tracker_factory, dispatcher, "debt_amount",
                            "不知道", "debt_amount", "negotiation_form")
    assert slots["debt_amount"] is None
    assert responses(dispatcher) == ["utter_invalid_amount_required"]


async def test_slot_events_are_rasa_sdk_events():
    assert SlotSet("amount", 1) == {"event": "slot", "timestamp": None, "name": "amount", "value": 1}


@pytest.mark.parametrize("slot", ["platform", "loan_type"])
async def test_emoji_only_answer_is_asked_again(tracker_factory, dispatcher, slot):
    slots = await _validate(ValidateComplaintForm(), tracker_factory, dispatcher, slot, "😭😭",
                            slot, "complaint_form")
    assert slots[slot] is None
