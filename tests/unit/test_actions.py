"""The journey actions on real tracker states: exact events and dispatched responses."""

from actions.cases import ActionRecordCase
from actions.channels import ActionRecommendChannels
from actions.drafting import ActionDraftComplaint, ActionIncludeContactDetails
from actions.harassment import ActionCheckHarassment
from actions.negotiation import ActionExplainNegotiation
from borrower.casestore import CaseStore
from tests.conftest import rendered, responses

COMPLAINT = {
    "platform": "易鑫",
    "loan_type": "车贷",
    "complaint_problem": "合同里多了 GPS 费和服务费，电话13812345678",
    "amount": 52000.0,
}


async def test_recommend_channels_renders_the_ladder_with_sources(tracker_factory, dispatcher, domain):
    events = await ActionRecommendChannels().run(dispatcher, tracker_factory(COMPLAINT), domain)
    assert events == []
    assert responses(dispatcher) == ["utter_channel_ladder", "utter_legal_disclaimer"]
    ladder = rendered(dispatcher, "utter_channel_ladder")["ladder"]
    assert ladder.index("1. 先向借款机构本身投诉") < ladder.index("2. 国家金融监督管理总局 12378")
    assert "15 日" in ladder and "来源" in ladder
    assert "地方金融管理局" in ladder  # 易鑫's licence type is not known: both supervisors


async def test_recommend_channels_names_the_users_city_and_puts_safety_first(tracker_factory, dispatcher, domain):
    slots = {"platform": "某某小额贷款有限公司", "complaint_problem": "催收说要弄死我", "city": "深圳"}
    await ActionRecommendChannels().run(dispatcher, tracker_factory(slots), domain)
    ladder = rendered(dispatcher, "utter_channel_ladder")["ladder"]
    assert ladder.index("1. 110 报警") < ladder.index("2. 先向借款机构本身投诉")
    assert "当地地方金融管理局（原地方金融监督管理局）（深圳）" in ladder
    assert "110 报警（深圳）" not in ladder  # 110 is not a local body


async def test_recommend_channels_with_unknown_platform(tracker_factory, dispatcher, domain):
    await ActionRecommendChannels().run(
        dispatcher, tracker_factory({"platform": "不清楚", "loan_type": "不清楚"}), domain
    )
    ladder = rendered(dispatcher, "utter_channel_ladder")["ladder"]
    assert "合同" in ladder and "不清楚" not in ladder.split("\n")[0]


async def test_draft_complaint_masks_phone_and_keeps_the_draft(tracker_factory, dispatcher, domain):
    events = await ActionDraftComplaint().run(dispatcher, tracker_factory(COMPLAINT), domain)
    assert responses(dispatcher) == ["utter_complaint_draft", "utter_letter_part"]  # one message is enough
    draft = rendered(dispatcher, "utter_letter_part")["part"]
    assert "致：易鑫 客户投诉部门" in draft and "52,000 元" in draft and "GPS 费" in draft
    assert "13812345678" not in draft and "138****5678" in draft
    assert "\n\n" not in draft  # chat channels split a message at blank lines
    assert events == [{"event": "slot", "timestamp": None, "name": "case_draft", "value": draft}]


def _said(*texts):
    return [{"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}} for text in texts]


async def test_letter_header_carries_the_numbers_the_user_gave_masked(tracker_factory, dispatcher, domain):
    events = _said("我电话是13812345678", "身份证11010519900307123x")
    tracker = tracker_factory(COMPLAINT, events=events, text="身份证11010519900307123x")
    [event] = await ActionDraftComplaint().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_complaint_draft", "utter_letter_part", "utter_contact_masked"]
    assert "联系电话：138****5678　身份证号：110105***********X" in event["value"]
    assert "13812345678" not in event["value"] and "1101051990" not in event["value"]


async def test_letter_header_keeps_numbers_the_tracker_store_already_masked(tracker_factory, dispatcher, domain):
    events = _said("电话138****5678", "车贷")  # an earlier turn, read back from the tracker store
    [event] = await ActionDraftComplaint().run(dispatcher, tracker_factory(COMPLAINT, events=events, text="车贷"), domain)
    assert "联系电话：138****5678　身份证号：（身份证号）" in event["value"]
    assert responses(dispatcher)[-1] == "utter_contact_masked"


async def test_letter_header_without_numbers_keeps_placeholders(tracker_factory, dispatcher, domain):
    [event] = await ActionDraftComplaint().run(dispatcher, tracker_factory({"platform": "易鑫"}), domain)
    assert "联系电话：（电话）　身份证号：（身份证号）" in event["value"]
    assert "utter_contact_masked" not in responses(dispatcher)


async def test_full_numbers_on_request_are_shown_but_not_stored(tracker_factory, dispatcher, domain):
    draft = "投诉书（草稿）\n投诉人：（姓名）　联系电话：138****5678　身份证号：（身份证号）\n电话138****5678打过来"
    text = "信里写完整号码 13812345678"
    tracker = tracker_factory({"case_draft": draft}, text=text, intent="include_contact_details",
                              events=_said("我电话是13812345678", text))
    events = await ActionIncludeContactDetails().run(dispatcher, tracker, domain)
    assert events == [{"event": "slot", "timestamp": None, "name": "case_to_verify", "value": None}]  # draft kept masked
    assert responses(dispatcher) == ["utter_letter_full_contact", "utter_letter_part"]
    letter = rendered(dispatcher, "utter_letter_part")["part"]
    assert "联系电话：13812345678　身份证号：（身份证号）" in letter
    assert "电话138****5678打过来" in letter  # only the header field changes


async def test_full_numbers_after_the_case_was_recorded_use_its_letter(tracker_factory, dispatcher, domain, case_db):
    CaseStore(case_db).create_case("rest:erin", "complaint", draft="投诉人：（姓名）　联系电话：138****5678　身份证号：（身份证号）")
    text = "信里写完整号码 13812345678"
    tracker = tracker_factory(text=text, intent="include_contact_details", sender_id="erin")  # the draft slot is empty
    await ActionIncludeContactDetails().run(dispatcher, tracker, domain)
    assert "联系电话：13812345678" in rendered(dispatcher, "utter_letter_part")["part"]


async def test_full_numbers_requested_without_a_number_or_a_letter(tracker_factory, dispatcher, domain, case_db):
    asked = tracker_factory({"case_draft": "联系电话：（电话）"}, text="号码写全", intent="include_contact_details")
    assert await ActionIncludeContactDetails().run(dispatcher, asked, domain) == [{"event": "slot", "timestamp": None, "name": "case_to_verify", "value": None}]
    assert responses(dispatcher) == ["utter_ask_contact_numbers"]
    dispatcher.messages.clear()
    no_letter = tracker_factory(text="号码写全 13812345678", intent="include_contact_details")
    await ActionIncludeContactDetails().run(dispatcher, no_letter, domain)
    assert responses(dispatcher) == ["utter_no_letter_yet"]


async def test_complaint_letter_cites_the_rules_lists_evidence_and_names_the_next_body(
    tracker_factory, dispatcher, domain
):
    await ActionDraftComplaint().run(dispatcher, tracker_factory(COMPLAINT), domain)
    draft = rendered(dispatcher, "utter_letter_part")["part"]
    # fees: the 砍头息 and annualised-rate rules, each with its source
    assert "二、依据" in draft and "第 26 条" in draft and "公告〔2021〕第 3 号" in draft
    assert "四、证据清单" in draft and "到手金额和每期还款的流水" in draft
    assert "本人将向国家金融监督管理总局 12378 热线反映" in draft
    # each heading on its own line (a template block once swallowed the line break)
    assert "\n一、事实经过\n" in draft and "\n二、依据\n" in draft


async def test_complaint_letter_to_a_dealer(tracker_factory, dispatcher, domain):
    slots = {**COMPLAINT, "complaint_problem": "4S店收了八千金融服务费"}
    await ActionDraftComplaint().run(dispatcher, tracker_factory(slots), domain)
    draft = rendered(dispatcher, "utter_letter_part")["part"]
    assert "致：易鑫（4S 店 / 车商）负责人" in draft and "本人将向市场监管 12315反映" in draft


async def test_long_complaint_letter_is_sent_in_parts_and_kept_whole(tracker_factory, dispatcher, domain):
    slots = {**COMPLAINT, "complaint_problem": "他们多收了服务费。" * 400}
    [event] = await ActionDraftComplaint().run(dispatcher, tracker_factory(slots), domain)
    numbered = [m for m in dispatcher.messages if m.get("response") == "utter_letter_part_numbered"]
    count = len(numbered)
    assert count > 1 and rendered(dispatcher, "utter_letter_in_parts") == {"count": count}
    assert responses(dispatcher) == ["utter_complaint_draft", "utter_letter_in_parts"] + ["utter_letter_part_numbered"] * count
    assert [(m["index"], m["count"]) for m in numbered] == [(i, count) for i in range(1, count + 1)]
    template = domain["responses"]["utter_letter_part_numbered"][0]["text"]
    shown = [template.format(index=m["index"], count=m["count"], part=m["part"]) for m in numbered]
    assert all(len(text.encode("utf-8")) <= 2048 for text in shown)  # WeChat's passive reply limit
    assert shown[0].startswith(f"（1/{count}）")
    whole = "".join(m["part"] for m in numbered)
    assert whole.replace("\n", "") == event["value"].replace("\n", "")


async def test_draft_complaint_without_amount(tracker_factory, dispatcher, domain):
    await ActionDraftComplaint().run(
        dispatcher, tracker_factory({**COMPLAINT, "amount": "不清楚"}), domain
    )
    assert "涉及金额" not in rendered(dispatcher, "utter_letter_part")["part"]


async def test_check_harassment_safety_first_then_rules(tracker_factory, dispatcher, domain):
    tracker = tracker_factory(
        {"harassment_types": ["impersonation", "third_party_contact"], "platform": "不清楚"}
    )
    assert await ActionCheckHarassment().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == [
        "utter_harassment_safety",
        "utter_harassment_findings",
        "utter_legal_disclaimer",
    ]
    findings = rendered(dispatcher, "utter_harassment_findings")["findings"]
    assert "《刑法》第 279 条" in findings and "第 68 条" in findings
    assert "110" in findings and "未经核实" in findings  # the L-confidence general rule


async def test_check_harassment_without_safety_issue(tracker_factory, dispatcher, domain):
    await ActionCheckHarassment().run(
        dispatcher, tracker_factory({"harassment_types": ["call_bombing"]}), domain
    )
    assert responses(dispatcher) == ["utter_harassment_findings", "utter_legal_disclaimer"]
    assert "12321" in rendered(dispatcher, "utter_harassment_findings")["findings"]


async def test_explain_negotiation_credit_card_is_may_not_must(tracker_factory, dispatcher, domain):
    slots = {
        "loan_type": "信用卡", "debt_amount": 80000.0, "monthly_income": 6000.0, "essential_spending": 3500.0,
        "affordable_amount": 2000.0,
    }
    events = await ActionExplainNegotiation().run(dispatcher, tracker_factory(slots), domain)
    assert responses(dispatcher) == [
        "utter_negotiation_options", "utter_negotiation_letter", "utter_letter_part", "utter_legal_disclaimer",
    ]
    letter = rendered(dispatcher, "utter_letter_part")["part"]
    assert letter.startswith("协商还款申请书") and "欠款约 80,000 元" in letter
    assert "分 48 期偿还，每月约 1,667 元" in letter and "第 70 条" in letter and "必要开支约 3,500 元" in letter
    assert events == [{"event": "slot", "timestamp": None, "name": "case_draft", "value": letter}]
    options = rendered(dispatcher, "utter_negotiation_options")["options"]
    assert "分 48 期：每月约 1,667 元" in options and "分 60 期：每月约 1,334 元" in options
    assert "一次性结清" in options and "没有义务同意" in options
    assert "「可以」（不是「必须」）" in options and "第 70 条" in options
    assert "真正拿得出" not in options  # 2,000 fits 6,000 less 3,500


async def test_explain_negotiation_online_loan_too_little_to_pay(tracker_factory, dispatcher, domain):
    slots = {
        "loan_type": "网贷", "debt_amount": 120000.0, "monthly_income": 3000.0, "essential_spending": "不清楚",
        "affordable_amount": 1000.0,
    }
    await ActionExplainNegotiation().run(dispatcher, tracker_factory(slots), domain)
    options = rendered(dispatcher, "utter_negotiation_options")["options"]
    assert "分 60 期：每月约 2,000 元" in options and "超过你每月能还的 1,000 元" in options
    assert "先申请延期还款" in options
    letter = rendered(dispatcher, "utter_letter_part")["part"]
    assert "先延期还款一段时间" in letter and "第 70 条" not in letter and "必要开支" not in letter
    assert "「可以」（不是「必须」）" not in options and "没有与信用卡个性化分期对应的法定条款" in options


async def test_explain_negotiation_caps_what_the_user_can_pay_by_income_less_essentials(
    tracker_factory, dispatcher, domain
):
    slots = {
        "loan_type": "网贷", "debt_amount": 30000.0, "monthly_income": 5000.0, "essential_spending": 4000.0,
        "affordable_amount": 3000.0,
    }
    await ActionExplainNegotiation().run(dispatcher, tracker_factory(slots), domain)
    options = rendered(dispatcher, "utter_negotiation_options")["options"]
    assert "每月真正拿得出的大约是 1,000 元" in options
    assert "分 36 期：每月约 834 元" in options  # the shortest common term within 1,000


async def test_negotiation_letter_without_debt_or_income_asks_the_user_to_fill_in(tracker_factory, dispatcher, domain):
    slots = {"loan_type": "网贷", "debt_amount": "不清楚", "monthly_income": 0.0, "affordable_amount": 300.0}
    await ActionExplainNegotiation().run(dispatcher, tracker_factory(slots), domain)
    letter = rendered(dispatcher, "utter_letter_part")["part"]
    assert "欠款约 （请填写金额）" in letter and "目前没有收入" in letter and "约 0 元" not in letter


async def test_a_skipped_income_or_payment_is_left_to_fill_in_not_written_as_zero(tracker_factory, dispatcher,
                                                                                   domain):
    """Income and what the user can pay were skipped (不清楚): the letter must not say 目前没有收入
    or 每月能用于还款约 0 元, and the options show the common terms without a verdict."""
    slots = {"loan_type": "网贷", "debt_amount": 36000.0, "monthly_income": "不清楚", "essential_spending": "不清楚",
             "affordable_amount": "不清楚"}
    await ActionExplainNegotiation().run(dispatcher, tracker_factory(slots), domain)
    letter = rendered(dispatcher, "utter_letter_part")["part"]
    options = rendered(dispatcher, "utter_negotiation_options")["options"]
    assert "每月收入约（请填写）" in letter and "每月能用于还款约 （请填写）元" in letter
    assert "目前没有收入" not in letter and "0 元" not in letter.replace("36,000 元", "")
    assert "分 12 期：每月约 3,000 元" in options and "分 60 期：每月约 600 元" in options
    assert "超过你每月能还的" not in options and "延期" not in options.split("机构可以同意")[0]


def _completed(form):
    return [{"event": "active_loop", "name": form}, {"event": "active_loop", "name": None}]


async def test_record_case_saves_and_clears_the_journey(tracker_factory, dispatcher, domain, case_db):
    tracker = tracker_factory({**COMPLAINT, "case_draft": "草稿"}, events=_completed("complaint_form"),
                              sender_id="alice")
    events = await ActionRecordCase().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_case_recorded"]
    number = rendered(dispatcher, "utter_case_recorded")["case_number"]
    [case] = CaseStore(case_db).cases_for("rest:alice")
    assert case.case_number == number and case.category == "complaint"
    assert case.amount == 52000 and case.draft == "草稿" and case.platform == "易鑫"
    assert "13812345678" not in case.summary
    assert {e["name"] for e in events} == {"platform", "loan_type", "complaint_problem", "amount", "case_draft"}
    assert all(e["value"] is None for e in events)


async def test_record_case_keeps_the_negotiation_letter_and_numbers(tracker_factory, dispatcher, domain, case_db):
    slots = {
        "loan_type": "信用卡", "debt_amount": 80000.0, "monthly_income": 6000.0, "essential_spending": 3500.0,
        "affordable_amount": 2000.0, "case_draft": "协商还款申请书（草稿）",
    }
    tracker = tracker_factory(slots, events=_completed("negotiation_form"), sender_id="carol")
    events = await ActionRecordCase().run(dispatcher, tracker, domain)
    [case] = CaseStore(case_db).cases_for("rest:carol")
    assert case.category == "negotiation" and case.draft == "协商还款申请书（草稿）"
    assert case.details == {"debt": 80000.0, "monthly_income": 6000.0, "essential_spending": 3500.0, "affordable": 2000.0}
    assert {e["name"] for e in events} == set(slots)


async def test_record_case_category_follows_the_last_form(tracker_factory, dispatcher, domain, case_db):
    tracker = tracker_factory(
        {"harassment_detail": "半夜打电话", "harassment_types": ["night_calls"]},
        events=_completed("complaint_form") + _completed("harassment_form"),
        sender_id="bob",
    )
    await ActionRecordCase().run(dispatcher, tracker, domain)
    [case] = CaseStore(case_db).cases_for("rest:bob")
    assert case.category == "harassment" and case.details["behaviours"] == ["night_calls"]


async def test_record_case_database_down_keeps_the_answers(tracker_factory, dispatcher, domain, monkeypatch):
    import actions.cases

    monkeypatch.setenv("CASES_DB_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    monkeypatch.setattr(actions.cases, "_store", None)
    tracker = tracker_factory(COMPLAINT, events=_completed("complaint_form"))
    events = await ActionRecordCase().run(dispatcher, tracker, domain)
    assert events == []  # nothing cleared: the next attempt can still save it
    assert responses(dispatcher) == ["utter_case_save_failed"]


async def test_record_case_without_completed_form_does_nothing(tracker_factory, dispatcher, domain, case_db):
    assert await ActionRecordCase().run(dispatcher, tracker_factory({}), domain) == []
    assert dispatcher.messages == []


async def test_record_harassment_case_keeps_the_incident_channel_and_region(tracker_factory, dispatcher, domain, case_db):
    def said(text, entities=()):
        return {"event": "user", "text": text, "input_channel": "rest",
                "parse_data": {"intent": {"name": "inform"}, "entities": list(entities)}}

    events = [
        said("催收凌晨两点打给我妈", [{"entity": "time_of_day", "value": "凌晨两点"}]),
        {"event": "active_loop", "name": "harassment_form"},
        said("分期乐"),
        {"event": "active_loop", "name": None},
    ]
    slots = {"platform": "分期乐", "harassment_detail": "凌晨两点打给我妈，电话13812345678",
             "harassment_types": ["third_party_contact"], "city": "深圳"}
    await ActionRecordCase().run(dispatcher, tracker_factory(slots, events=events, sender_id="dora"), domain)
    store = CaseStore(case_db)
    [case] = store.cases_for("rest:dora")
    assert (case.channel, case.region, case.status) == ("rest", "深圳", "open")
    assert store.incidents(case.case_number) == [{
        "occurred": "凌晨两点", "behaviours": ["third_party_contact"], "contacted": ["我妈"],
        "description": "凌晨两点打给我妈，电话138****5678"}]
    assert responses(dispatcher) == ["utter_case_recorded"]  # no phone in the messages: no verification

    # A second report against the same lender is a new incident of the open case, not a new case.
    dispatcher.messages.clear()
    slots.update(harassment_detail="今天又打到我单位找领导", harassment_types=["third_party_contact"])
    await ActionRecordCase().run(dispatcher, tracker_factory(slots, events=events, sender_id="dora"), domain)
    assert responses(dispatcher) == ["utter_incident_added"]
    assert rendered(dispatcher, "utter_incident_added") == {"case_number": case.case_number, "count": 2}
    assert [c.case_number for c in store.cases_for("rest:dora")] == [case.case_number]
    assert store.incidents(case.case_number)[1]["contacted"] == ["单位", "领导"]
