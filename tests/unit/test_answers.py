"""Knowledge answers, channel overview and case status on real tracker states."""

import pytest

from actions.answers import (
    ActionExplainCollectionRules,
    ActionExplainCreditReport,
    ActionExplainEvidence,
    ActionExplainInterest,
    ActionNoHuman,
    ActionOutOfScope,
)
from actions.cases import ActionCaseStatus
from actions.channels import ActionChannelOverview
from borrower.casestore import CaseStore
from tests.conftest import rendered, responses


async def test_interest_answer_names_the_lines_and_the_lpr_date(tracker_factory, dispatcher, domain):
    events = await ActionExplainInterest().run(
        dispatcher, tracker_factory(text="这个利息合法吗", intent="ask_interest_legality"), domain)
    assert events == []
    assert responses(dispatcher) == ["utter_interest_rules", "utter_legal_disclaimer"]
    rules = rendered(dispatcher, "utter_interest_rules")["rules"]
    assert "36%" in rules and "24%" in rules and "12.0%" in rules and "2025-12-22" in rules
    assert "未经核实" in rules  # the 24 % line rests on a text the fact sheet could not read


async def test_interest_answer_computes_the_real_rate_of_a_described_loan(tracker_factory, dispatcher, domain):
    text = "合同写一万，到手八千，每个月还950，还12个月，这合法吗"
    await ActionExplainInterest().run(dispatcher, tracker_factory(text=text), domain)
    assert responses(dispatcher) == ["utter_interest_rules", "utter_legal_disclaimer"]
    rules = rendered(dispatcher, "utter_interest_rules")["rules"]
    assert "到手 8000 元（合同写 10000 元），每期还 950 元，共 12 期" in rules
    assert "真实年化利率约 71.0%" in rules
    assert "它高于4 倍 LPR（12.0%）、24%、36%这几条线" in rules
    assert "36%" in rules.split("这是按你说的数字算的")[1]  # the lines and their sources follow


async def test_interest_answer_below_every_line(tracker_factory, dispatcher, domain):
    await ActionExplainInterest().run(dispatcher, tracker_factory(text="借1万分12期每期还880"), domain)
    rules = rendered(dispatcher, "utter_interest_rules")["rules"]
    assert "真实年化利率约 10.2%" in rules and "没有超过" in rules


async def test_interest_answer_asks_to_check_numbers_that_never_repay(tracker_factory, dispatcher, domain):
    await ActionExplainInterest().run(dispatcher, tracker_factory(text="借了5万，分12期每期还2000"), domain)
    rules = rendered(dispatcher, "utter_interest_rules")["rules"]
    assert "算不出利率" in rules and "年化利率约" not in rules


async def test_interest_question_without_figures_offers_the_calculation(tracker_factory, dispatcher, domain):
    await ActionExplainInterest().run(dispatcher, tracker_factory(text="砍头息合法吗", intent="ask_interest_legality"), domain)
    rules = rendered(dispatcher, "utter_interest_rules")["rules"]
    assert rules.startswith("想知道真实年化利率的话，告诉我到手多少钱、每期还多少、一共几期")
    assert "36%" in rules


async def test_interest_question_with_some_figures_names_what_is_missing(tracker_factory, dispatcher, domain):
    tracker = tracker_factory(text="到手5万，每月还2523，这合法吗", intent="ask_interest_legality")
    await ActionExplainInterest().run(dispatcher, tracker, domain)
    rules = rendered(dispatcher, "utter_interest_rules")["rules"]
    assert rules.startswith("要算真实年化利率，还差：一共几期。")


def _user(text, intent):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 1.0}}}


async def test_figures_given_after_the_question_are_combined(tracker_factory, dispatcher, domain):
    events = [_user("到手53846，每月还2523，这利息合法吗", "ask_interest_legality"),
              {"event": "action", "name": "action_explain_interest"},
              _user("还36期", "inform")]
    tracker = tracker_factory(text="还36期", intent="inform", events=events)
    await ActionExplainInterest().run(dispatcher, tracker, domain)
    rules = rendered(dispatcher, "utter_interest_rules")["rules"]
    assert "到手 53846 元，每期还 2523 元，共 36 期" in rules and "真实年化利率约 37.8%" in rules
    assert "36%" in rules.split("这是按你说的数字算的")[1]  # the lines it is compared with follow


async def test_an_answer_without_figures_after_the_question_is_not_the_whole_answer_again(
        tracker_factory, dispatcher, domain):
    events = [_user("这利息合法吗", "ask_interest_legality"), _user("招商银行", "inform")]
    tracker = tracker_factory(text="招商银行", intent="inform", events=events)
    await ActionExplainInterest().run(dispatcher, tracker, domain)
    rules = rendered(dispatcher, "utter_interest_rules")["rules"]
    assert rules.startswith("想知道真实年化利率的话") and "LPR" not in rules


async def test_figures_are_not_taken_from_before_another_question(tracker_factory, dispatcher, domain):
    events = [_user("借1万分12期", "complain_platform"), _user("每月还1100合法吗", "ask_interest_legality")]
    tracker = tracker_factory(text="每月还1100合法吗", intent="ask_interest_legality", events=events)
    await ActionExplainInterest().run(dispatcher, tracker, domain)
    assert "还差：到手多少钱" in rendered(dispatcher, "utter_interest_rules")["rules"]


async def test_collection_rules_for_a_named_behaviour(tracker_factory, dispatcher, domain):
    await ActionExplainCollectionRules().run(dispatcher, tracker_factory(text="催收能打给我家人吗"), domain)
    rules = rendered(dispatcher, "utter_collection_rules")["rules"]
    assert "第 68 条" in rules and "联系家人" in rules
    assert "冒充" not in rules  # only the behaviour asked about


async def test_collection_rules_overview_covers_every_behaviour(tracker_factory, dispatcher, domain):
    await ActionExplainCollectionRules().run(dispatcher, tracker_factory(text="催收有什么规定"), domain)
    rules = rendered(dispatcher, "utter_collection_rules")["rules"]
    assert "22:00" in rules and "冒充" in rules and "拖车" in rules


async def test_credit_report_answer(tracker_factory, dispatcher, domain):
    await ActionExplainCreditReport().run(dispatcher, tracker_factory(text="逾期会上征信吗"), domain)
    facts = rendered(dispatcher, "utter_credit_report")["facts"]
    assert "5 年" in facts and "20 日" in facts and "12363" in facts and "已经结束" in facts


async def test_evidence_for_described_harassment(tracker_factory, dispatcher, domain):
    await ActionExplainEvidence().run(dispatcher, tracker_factory(text="他们冒充警察，要留什么证据"), domain)
    items = rendered(dispatcher, "utter_evidence_list")["items"]
    assert "律师函" in items and "借款合同" not in items


async def test_evidence_without_context_lists_each_kind(tracker_factory, dispatcher, domain):
    await ActionExplainEvidence().run(dispatcher, tracker_factory(text="需要准备什么证据"), domain)
    items = rendered(dispatcher, "utter_evidence_list")["items"]
    assert "借款合同" in items and "通话录音" in items and "困难证明" in items


async def test_channel_overview_without_lender(tracker_factory, dispatcher, domain):
    await ActionChannelOverview().run(dispatcher, tracker_factory(text="去哪投诉"), domain)
    assert responses(dispatcher) == ["utter_channel_overview", "utter_legal_disclaimer"]
    overview = rendered(dispatcher, "utter_channel_overview")["overview"]
    assert overview.index("先向借款机构本身投诉") < overview.index("12378") < overview.index("12321")


async def test_channel_overview_with_known_lender_gives_its_ladder(tracker_factory, dispatcher, domain):
    await ActionChannelOverview().run(dispatcher, tracker_factory({"loan_type": "以租代购"}), domain)
    assert responses(dispatcher) == ["utter_channel_ladder", "utter_legal_disclaimer"]
    assert "融资租赁公司" in rendered(dispatcher, "utter_channel_ladder")["ladder"]


def _asking(tracker_factory, sender, number=None):
    entities = [{"entity": "case_id", "value": number, "start": 0, "end": len(number)}] if number else []
    return tracker_factory(text=number or "查一下我的投诉进度", intent="check_case_status",
                           entities=entities, sender_id=sender)


async def test_case_status_lists_only_own_cases(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    mine = store.create_case("rest:alice", "complaint", platform="易鑫", summary="乱收GPS费")
    store.create_case("rest:bob", "harassment", platform="分期乐")
    await ActionCaseStatus().run(dispatcher, _asking(tracker_factory, "alice"), domain)
    assert responses(dispatcher) == ["utter_case_list"]
    text = rendered(dispatcher, "utter_case_list")["cases"]
    assert mine.case_number in text and "易鑫" in text and "分期乐" not in text


async def test_someone_elses_case_number_is_asked_to_be_verified_like_an_unknown_one(
        tracker_factory, dispatcher, domain, case_db):
    other = CaseStore(case_db).create_case("rest:bob", "harassment", platform="分期乐")
    events = await ActionCaseStatus().run(dispatcher, _asking(tracker_factory, "alice", other.case_number.lower()), domain)
    assert responses(dispatcher) == ["utter_ask_case_verification"]
    assert rendered(dispatcher, "utter_ask_case_verification") == {"case_number": other.case_number}
    assert events == [{"event": "slot", "timestamp": None, "name": "case_to_verify", "value": other.case_number}]
    dispatcher.messages.clear()
    unknown = await ActionCaseStatus().run(dispatcher, _asking(tracker_factory, "alice", "TS-2611-ZZZZZ"), domain)
    assert responses(dispatcher) == ["utter_ask_case_verification"]  # the same answer: nothing to probe
    assert unknown[0]["value"] == "TS-2611-ZZZZZ"


async def test_own_case_number_shows_that_case(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    mine = store.create_case("rest:alice", "negotiation", amount=80000.0)
    store.create_case("rest:alice", "complaint", platform="易鑫")
    await ActionCaseStatus().run(dispatcher, _asking(tracker_factory, "alice", mine.case_number), domain)
    assert responses(dispatcher) == ["utter_case_detail"]
    case = rendered(dispatcher, "utter_case_detail")["case"]
    assert mine.case_number in case and "协商还款" in case and "易鑫" not in case


async def test_no_cases_yet(tracker_factory, dispatcher, domain, case_db):
    await ActionCaseStatus().run(dispatcher, _asking(tracker_factory, "carol"), domain)
    assert responses(dispatcher) == ["utter_no_cases"]


async def test_case_store_down(tracker_factory, dispatcher, domain, monkeypatch):
    import actions.cases

    monkeypatch.setenv("CASES_DB_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    monkeypatch.setattr(actions.cases, "_store", None)
    await ActionCaseStatus().run(dispatcher, _asking(tracker_factory, "alice"), domain)
    assert responses(dispatcher) == ["utter_case_store_unavailable"]


@pytest.mark.parametrize("text, channel", [
    ("网店卖我假货不给退款怎么办", "市场监管 12315"),
    ("房东不退押金可以告他吗", "12345 政务服务便民热线"),
])
async def test_a_question_outside_lending_gets_the_public_channel_that_fits(tracker_factory, dispatcher, domain,
                                                                           text, channel):
    tracker = tracker_factory(text=text, intent="out_of_scope")
    assert await ActionOutOfScope().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_out_of_scope_with_channel"]
    said = rendered(dispatcher, "utter_out_of_scope_with_channel")
    assert said["channel"] == channel and said["source"]


async def test_outside_lending_without_a_known_topic_names_no_channel(tracker_factory, dispatcher, domain):
    await ActionOutOfScope().run(dispatcher, tracker_factory(text="今天天气怎么样", intent="out_of_scope"), domain)
    assert responses(dispatcher) == ["utter_out_of_scope"]


async def test_a_request_for_a_person_or_lawyer_gets_12348_from_the_knowledge_base(tracker_factory, dispatcher,
                                                                                     domain):
    tracker = tracker_factory(text="能不能找个律师帮我看看", intent="request_human")
    assert await ActionNoHuman().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_no_human"]
    filled = rendered(dispatcher, "utter_no_human")
    assert filled["channel"] == "12348 公共法律服务热线" and "法律援助" in filled["handles"] and filled["source"]
    text = domain["responses"]["utter_no_human"][0]["text"]
    assert "12378" not in text  # 「持牌机构找 12378」 was wrong for micro-loan and leasing companies
