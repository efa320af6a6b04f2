"""Repair inside every form (actions/forms.py RepairingFormValidation, words in
lexicon/repair.yml): a correction goes to the answer it corrects, a skip or refusal is recorded
as unknown, 「你问这个干嘛」 gets the reason, and no question is asked a third time in a row.
Phrasings here are not the ones in lexicon comments or the issue."""

import pytest

from actions.forms import ValidateComplaintForm, ValidateHarassmentForm, ValidateNegotiationForm
from tests.conftest import rendered, responses


def _slot(name, value):
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


def _answering(tracker_factory, slots, asked, text, entities=None, earlier=()):
    """The form asked `asked`; the user answered `text` (extracted as its candidate)."""
    events = [*[_slot(name, value) for name, value in earlier], {"event": "user", "text": text, "input_channel": "rest"},
              _slot(asked, text)]
    return tracker_factory({**slots, "requested_slot": asked, asked: text}, text=text, entities=entities,
                           events=events, active_loop="negotiation_form")


NEGOTIATION_SO_FAR = {"loan_type": "网贷", "debt_amount": 35000.0}


@pytest.mark.parametrize("text", ["等下不对 是6万7 我算漏了一家", "刚刚说错了，总共欠67000", "欠款改成6万7"])
async def test_a_corrected_debt_given_while_income_is_asked_goes_to_the_debt(tracker_factory, dispatcher, domain, text):
    tracker = _answering(tracker_factory, NEGOTIATION_SO_FAR, "monthly_income", text,
                         earlier=[("loan_type", "网贷"), ("debt_amount", 35000.0)])
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert events == [_slot("debt_amount", 67000.0), _slot("monthly_income", None)]
    assert responses(dispatcher) == ["utter_corrected"]
    assert rendered(dispatcher, "utter_corrected") == {"label": "欠款总额", "value": "67,000 元"}


async def test_a_correction_with_the_income_word_corrects_the_income(tracker_factory, dispatcher, domain):
    slots = {**NEGOTIATION_SO_FAR, "monthly_income": 5000.0}
    tracker = _answering(tracker_factory, slots, "essential_spending", "搞错了 工资其实是4500",
                         earlier=[("debt_amount", 35000.0), ("monthly_income", 5000.0)])
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert events == [_slot("monthly_income", 4500.0), _slot("essential_spending", None)]


async def test_a_corrected_lender_name_replaces_the_platform(tracker_factory, dispatcher, domain):
    tracker = _answering(tracker_factory, {"platform": "分期乐"}, "amount", "不对不对，是招联金融的",
                         entities=[{"entity": "platform", "value": "招联金融"}], earlier=[("platform", "分期乐")])
    events = await ValidateComplaintForm().run(dispatcher, tracker, domain)
    assert events == [_slot("platform", "招联消费金融"), _slot("amount", None)]  # the lexicon's name


@pytest.mark.parametrize("text, debt", [
    ("错了错了 不是3万5 是4万2", 42000.0),  # the value replaced comes first
    ("是4万2，不是3万5，我前面说错了", 42000.0),
    ("搞错了，写成3万5了，实际欠四万二", 42000.0),
])
async def test_a_correction_takes_the_new_value_not_the_one_it_replaces(tracker_factory, dispatcher, domain,
                                                                         text, debt):
    tracker = _answering(tracker_factory, NEGOTIATION_SO_FAR, "monthly_income", text,
                         earlier=[("loan_type", "网贷"), ("debt_amount", 35000.0)])
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert events == [_slot("debt_amount", debt), _slot("monthly_income", None)]


async def test_a_hedged_answer_answers_the_question_asked(tracker_factory, dispatcher, domain):
    """「应该是4000吧」 is an unsure answer to the income question, no correction of the debt."""
    tracker = _answering(tracker_factory, NEGOTIATION_SO_FAR, "monthly_income", "应该是4000吧",
                         earlier=[("loan_type", "网贷"), ("debt_amount", 35000.0)])
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert _slot("monthly_income", 4000.0) in events
    assert not any(event.get("name") == "debt_amount" for event in events)


async def test_a_correction_naming_the_loan_type_still_corrects_the_amount(tracker_factory, dispatcher, domain):
    """「信用卡」 is the loan type already given: only the amount changes."""
    slots = {"loan_type": "信用卡", "debt_amount": 35000.0}
    tracker = _answering(tracker_factory, slots, "monthly_income", "不对，信用卡一共欠了5万8",
                         entities=[{"entity": "loan_type", "value": "信用卡"}],
                         earlier=[("loan_type", "信用卡"), ("debt_amount", 35000.0)])
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert events == [_slot("debt_amount", 58000.0), _slot("monthly_income", None)]


async def test_a_correction_of_lender_and_amount_changes_both(tracker_factory, dispatcher, domain):
    tracker = _answering(tracker_factory, {"platform": "分期乐"}, "amount", "说错了，是招联金融，多收了4800",
                         entities=[{"entity": "platform", "value": "招联金融"}], earlier=[("platform", "分期乐")])
    events = await ValidateComplaintForm().run(dispatcher, tracker, domain)
    assert events == [_slot("platform", "招联消费金融"), _slot("amount", 4800.0)]
    assert responses(dispatcher) == ["utter_corrected", "utter_corrected"]


@pytest.mark.parametrize("text", ["这个不方便说", "跳过吧", "保密"])
async def test_a_skip_is_recorded_as_unknown_not_as_a_value(tracker_factory, dispatcher, domain, text):
    tracker = _answering(tracker_factory, NEGOTIATION_SO_FAR, "monthly_income", text)
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert events == [_slot("monthly_income", "不清楚"), _slot("unusable_answers", None)]
    assert responses(dispatcher) == ["utter_question_skipped"]


@pytest.mark.parametrize("form, asked", [(ValidateNegotiationForm(), "monthly_income"),
                                         (ValidateComplaintForm(), "platform"),
                                         (ValidateHarassmentForm(), "harassment_detail")])
async def test_why_do_you_ask_gets_the_reason_and_the_question_again(tracker_factory, dispatcher, domain, form, asked):
    tracker = _answering(tracker_factory, {}, asked, "你问这些干嘛？")
    assert await form.run(dispatcher, tracker, domain) == [_slot(asked, None)]
    assert responses(dispatcher) == [f"utter_why_{asked}"]
    assert f"utter_why_{asked}" in domain["responses"]


async def test_no_question_is_asked_a_third_time_in_a_row(tracker_factory, dispatcher, domain):
    first = _answering(tracker_factory, NEGOTIATION_SO_FAR, "monthly_income", "啊这")
    events = await ValidateNegotiationForm().run(dispatcher, first, domain)
    assert events == [_slot("monthly_income", None), _slot("unusable_answers", "validate_negotiation_form:monthly_income:1")]
    assert responses(dispatcher) == ["utter_invalid_amount_required"]
    dispatcher.messages.clear()
    second = _answering(tracker_factory, {**NEGOTIATION_SO_FAR, "unusable_answers": "validate_negotiation_form:monthly_income:1"},
                        "monthly_income", "emmm看情况")
    events = await ValidateNegotiationForm().run(dispatcher, second, domain)
    assert events == [_slot("monthly_income", "不清楚"), _slot("unusable_answers", None)]
    assert responses(dispatcher) == ["utter_question_skipped_after_tries"]  # not "please answer again"


async def test_a_usable_answer_resets_the_count(tracker_factory, dispatcher, domain):
    tracker = _answering(tracker_factory, {**NEGOTIATION_SO_FAR, "unusable_answers": "validate_negotiation_form:monthly_income:1"},
                         "monthly_income", "五千左右")
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert events == [_slot("monthly_income", 5000.0), _slot("unusable_answers", None)]


async def test_one_message_answers_several_questions(tracker_factory, dispatcher, domain):
    tracker = _answering(tracker_factory, NEGOTIATION_SO_FAR, "monthly_income", "收入4500 房租吃饭2800 能还800")
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    slots = {e["name"]: e["value"] for e in events}
    assert (slots["monthly_income"], slots["essential_spending"], slots["affordable_amount"]) == (4500, 2800, 800)
    assert responses(dispatcher) == ["utter_noted"]
    assert rendered(dispatcher, "utter_noted")["items"] == "每月收入 4,500 元，每月必要开销 2,800 元，每月能还的钱 800 元"


async def test_values_for_other_questions_do_not_fill_the_one_asked(tracker_factory, dispatcher, domain):
    """Asked the debt, the user gives income and spending first: the debt is the value no cue
    claims, not the first number."""
    tracker = _answering(tracker_factory, {"loan_type": "网贷"}, "debt_amount", "工资6千 开销3500 欠的大概4万6")
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    slots = {e["name"]: e["value"] for e in events}
    assert (slots["debt_amount"], slots["monthly_income"], slots["essential_spending"]) == (46000, 6000, 3500)


async def test_an_answer_is_said_back_so_a_misreading_shows(tracker_factory, dispatcher, domain):
    tracker = _answering(tracker_factory, {"loan_type": "网贷"}, "debt_amount", "借了8千")
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert events == [_slot("debt_amount", 8000.0), _slot("unusable_answers", None)]
    assert rendered(dispatcher, "utter_noted")["items"] == "欠款总额 8,000 元"


async def test_a_description_is_taken_whole_not_as_a_correction(tracker_factory, dispatcher, domain):
    """Free-text questions are not repaired: 「利息算错了，多扣了我500」 describes the problem."""
    tracker = _answering(tracker_factory, {"platform": "分期乐", "loan_type": "网贷"}, "complaint_problem",
                         "利息算错了，多扣了我500")
    events = await ValidateComplaintForm().run(dispatcher, tracker, domain)
    assert {e["name"]: e["value"] for e in events}["complaint_problem"] == "利息算错了，多扣了我500"
    assert "utter_corrected" not in responses(dispatcher)


async def test_the_only_amount_belongs_to_another_question(tracker_factory, dispatcher, domain):
    tracker = _answering(tracker_factory, {"loan_type": "网贷"}, "monthly_income", "收入不固定，欠了8万")
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    slots = {e["name"]: e["value"] for e in events}
    assert slots["debt_amount"] == 80000 and slots["monthly_income"] is None


async def test_a_count_left_by_another_form_does_not_shorten_the_question(tracker_factory, dispatcher, domain):
    """One unusable loan-type answer in a complaint the user stopped; the negotiation form asks the
    same question: the first unusable answer there is asked again, not skipped."""
    tracker = _answering(tracker_factory, {"unusable_answers": "validate_complaint_form:loan_type:1"},
                         "loan_type", "？？")
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert events[-1] == _slot("unusable_answers", "validate_negotiation_form:loan_type:1")
    assert _slot("loan_type", "不清楚") not in events


@pytest.mark.parametrize("text", ["信用卡每个月要还2600", "每期还1800左右"])
async def test_a_monthly_figure_is_never_taken_for_the_debt(tracker_factory, dispatcher, domain, text):
    tracker = _answering(tracker_factory, {"loan_type": "信用卡"}, "debt_amount", text)
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert _slot("debt_amount", None) in events
    assert not any(e.get("name") == "debt_amount" and e.get("value") for e in events)
    assert "utter_debt_is_a_total" in responses(dispatcher) or "utter_noted" in responses(dispatcher)


async def test_an_income_given_to_the_debt_question_fills_the_income_and_counts_no_failure(
        tracker_factory, dispatcher, domain):
    tracker = _answering(tracker_factory, {"loan_type": "网贷"}, "debt_amount", "我一个月工资才4200")
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert events == [_slot("debt_amount", None), _slot("monthly_income", 4200.0)]
    assert responses(dispatcher) == ["utter_noted"]


async def test_the_instalment_due_answers_no_question(tracker_factory, dispatcher, domain):
    """「月供」 is what the user cannot pay now: neither income nor debt nor what they can pay."""
    tracker = _answering(tracker_factory, {"loan_type": "车贷"}, "monthly_income", "车贷月供3100，一共还欠9万多")
    events = await ValidateNegotiationForm().run(dispatcher, tracker, domain)
    assert events == [_slot("monthly_income", None), _slot("debt_amount", 90000.0)]
