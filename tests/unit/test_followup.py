"""Coming back to a case: verification from another identity, progress reported by the user,
reply deadlines and the reminder at the next visit, numbers kept encrypted for the letter."""

from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text

from actions.cases import ActionCaseStatus, ActionRecordCase, ActionVerifyCase, digits_given
from actions.drafting import ActionIncludeContactDetails, ActionVerifyContact
from actions.followup import ActionSessionStart, ActionUpdateCase
from borrower.casestore import CaseStore
from borrower.progress import day_said, read_progress
from tests.conftest import rendered, responses

TODAY = date.today()


def _said(*texts):
    return [{"event": "user", "text": text, "input_channel": "rest", "parse_data": {"intent": {"name": "inform"}}}
            for text in texts]


def _slot(name, value):
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


# Verification of a case number from another identity

def _verifying(tracker_factory, number, answer, sender="phone-2", attempts=None):
    slots = {"case_to_verify": number, "verify_attempts": attempts}
    return tracker_factory(slots, text=answer, intent="inform", sender_id=sender)


async def test_recording_with_a_phone_lets_the_owner_verify_from_another_identity(
        tracker_factory, dispatcher, domain, case_db):
    events = [*_said("我要投诉易鑫，电话13812345678"), {"event": "active_loop", "name": "complaint_form"},
              {"event": "active_loop", "name": None}]
    tracker = tracker_factory({"platform": "易鑫", "complaint_problem": "乱收费"}, events=events, sender_id="web-1")
    await ActionRecordCase().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_case_recorded", "utter_case_verifiable"]
    number = rendered(dispatcher, "utter_case_recorded")["case_number"]

    dispatcher.messages.clear()
    events = await ActionVerifyCase().run(dispatcher, _verifying(tracker_factory, number, "尾号是5678"), domain)
    assert responses(dispatcher) == ["utter_case_detail"]
    assert number in rendered(dispatcher, "utter_case_detail")["case"]
    assert events == [_slot("case_to_verify", None), _slot("verify_attempts", 0.0)]


async def test_wrong_digits_unknown_numbers_and_cases_without_a_phone_read_the_same(
        tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    with_phone = store.create_case("rest:web-1", "complaint", phone_last4="5678").case_number
    without_phone = store.create_case("rest:web-1", "complaint").case_number
    for number, answer in ((with_phone, "1234"), (without_phone, "5678"), ("TS-2611-ZZZZZ", "5678")):
        dispatcher.messages.clear()
        events = await ActionVerifyCase().run(dispatcher, _verifying(tracker_factory, number, answer, attempts=1.0),
                                              domain)
        assert responses(dispatcher) == ["utter_case_not_verified"], number
        assert events == [_slot("case_to_verify", None), _slot("verify_attempts", 2.0)]


async def test_an_answer_without_four_digits_cancels_the_verification(tracker_factory, dispatcher, domain, case_db):
    events = await ActionVerifyCase().run(dispatcher, _verifying(tracker_factory, "TS-2611-AAAAA", "不记得了"), domain)
    assert responses(dispatcher) == ["utter_verification_no_digits"]
    assert events == [_slot("case_to_verify", None)]


async def test_too_many_failures_in_a_conversation_stop_further_verification(
        tracker_factory, dispatcher, domain, case_db):
    entities = [{"entity": "case_id", "value": "TS-2611-AAAAA", "start": 0, "end": 13}]
    tracker = tracker_factory({"verify_attempts": 3.0}, text="TS-2611-AAAAA", intent="check_case_status",
                              entities=entities, sender_id="phone-2")
    events = await ActionCaseStatus().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_verification_refused"]
    assert events == [_slot("case_to_verify", None)]


async def test_verify_without_a_pending_number(tracker_factory, dispatcher, domain, case_db):
    assert await ActionVerifyCase().run(dispatcher, _verifying(tracker_factory, None, "5678"), domain) == []
    assert responses(dispatcher) == ["utter_no_verification_pending"]


def test_the_digits_are_read_from_the_answer():
    assert digits_given("5678") == "5678"
    assert digits_given("手机号后四位是 0921") == "0921"
    assert digits_given("13812345678") == "5678"
    assert digits_given("138****5678") == "5678"
    assert digits_given("５６７８") == "5678"  # full-width digits, as Chinese keyboards type them
    assert digits_given("1234 还是 5678") is None  # two answers: none is taken
    assert digits_given("不记得了") is None


# Progress reported by the user

def _update(tracker_factory, message, sender="alice", entities=()):
    return tracker_factory(text=message, intent="update_case", entities=list(entities), sender_id=sender)


async def test_submission_to_the_lender_records_the_fifteen_day_deadline(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:alice", "complaint", platform="易鑫")
    assert await ActionUpdateCase().run(dispatcher, _update(tracker_factory, "3天前已经向平台投诉了"), domain) == []
    assert responses(dispatcher) == ["utter_follow_up"]
    said = rendered(dispatcher, "utter_follow_up")["text_block"]
    due = TODAY - timedelta(days=3) + timedelta(days=15)
    assert f"答复期限 {due:%Y-%m-%d}" in said and "15 日内办结" in said
    assert "《银行业保险业消费投诉处理管理办法》" in said and "按借款机构本身记下" not in said
    stored = store.get(case.case_number)
    assert (stored.status, stored.follow_up_body, stored.follow_up_due) == ("submitted", "lender", due)
    assert stored.history[-1][1] == "user"


async def test_a_credit_report_dispute_has_twenty_days_and_an_unnamed_body_is_assumed_the_lender(
        tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    dispute = store.create_case("rest:alice", "complaint")
    await ActionUpdateCase().run(dispatcher, _update(
        tracker_factory, f"{dispute.case_number} 今天在征信中心提了异议",
        entities=[{"entity": "case_id", "value": dispute.case_number}]), domain)
    assert store.get(dispute.case_number).follow_up_due == TODAY + timedelta(days=20)

    dispatcher.messages.clear()
    other = store.create_case("rest:alice", "negotiation")
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, "申请书交上去了"), domain)
    said = rendered(dispatcher, "utter_follow_up")["text_block"]
    assert "按借款机构本身记下" in said and store.get(other.case_number).follow_up_body == "lender"


async def test_resolution_closes_the_follow_up_and_an_unclear_report_asks(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:alice", "complaint")
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, "平台还没解决"), domain)
    assert responses(dispatcher) == ["utter_ask_submitted_where"]  # not submitted anywhere yet

    dispatcher.messages.clear()
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, "嗯 就是那个事"), domain)
    assert responses(dispatcher) == ["utter_ask_case_progress"]

    dispatcher.messages.clear()
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, "問題解決了 錢退回來了"), domain)
    assert responses(dispatcher) == ["utter_case_now_resolved"]
    assert rendered(dispatcher, "utter_case_now_resolved") == {"case_number": case.case_number}
    assert [s for s, _by, _at in store.get(case.case_number).history] == ["open", "submitted", "resolved"]

    dispatcher.messages.clear()
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, "已经向平台投诉了"), domain)
    assert responses(dispatcher) == ["utter_no_case_to_update"]  # nothing unfinished is left


async def test_acceptance_by_the_body_already_submitted_to_keeps_its_deadline(
        tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:alice", "complaint")
    store.advance(case.case_number, "submitted", "user")
    store.set_follow_up(case.case_number, "lender", TODAY + timedelta(days=12))
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, "受理了 给了工单号"), domain)
    assert responses(dispatcher) == ["utter_case_now_awaiting_reply"]
    stored = store.get(case.case_number)
    assert (stored.status, stored.follow_up_body, stored.follow_up_due) == (
        "awaiting_reply", "lender", TODAY + timedelta(days=12))


async def test_an_unhelpful_answer_gets_the_next_step_up(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:alice", "complaint", platform="招联金融", institution_type="consumer_finance")
    store.advance(case.case_number, "submitted", "user")
    store.set_follow_up(case.case_number, "lender", TODAY + timedelta(days=10))
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, "平台回复了 但是不同意退钱"), domain)
    said = rendered(dispatcher, "utter_follow_up")["text_block"]
    assert "没有解决你的问题" in said and "12378" in said and "我不是律师" in said
    assert store.get(case.case_number).status == "submitted"  # nothing changes until they act


async def test_someone_elses_case_number_cannot_be_updated(tracker_factory, dispatcher, domain, case_db):
    other = CaseStore(case_db).create_case("rest:bob", "complaint")
    await ActionUpdateCase().run(dispatcher, _update(
        tracker_factory, f"{other.case_number} 已经解决了", entities=[{"entity": "case_id", "value": other.case_number}]),
        domain)
    assert responses(dispatcher) == ["utter_no_case_to_update"]
    assert CaseStore(case_db).get(other.case_number).status == "open"


async def test_update_with_the_database_down(tracker_factory, dispatcher, domain, monkeypatch):
    import actions.cases

    monkeypatch.setenv("CASES_DB_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    monkeypatch.setattr(actions.cases, "_store", None)
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, "已经向平台投诉了"), domain)
    assert responses(dispatcher) == ["utter_case_store_unavailable"]


def _entity(text, span, entity, value=None):
    start = text.index(span)
    return {"entity": entity, "start": start, "end": start + len(span), "value": value or span}


async def test_news_of_a_new_incident_is_added_to_the_case(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:alice", "harassment", platform="安逸花", incidents=[{"behaviours": ["call_bombing"]}])
    said = "补充一下，昨天晚上十点催收又给我单位打电话了，还骂我"
    entities = [_entity(said, "晚上十点", "time_of_day"),
                _entity(said, "给我单位打电话", "harassment_type", "third_party_contact"),
                _entity(said, "骂我", "harassment_type", "insults")]
    assert await ActionUpdateCase().run(dispatcher, _update(tracker_factory, said, entities=entities), domain) == []
    assert responses(dispatcher) == ["utter_case_amended"]
    block = rendered(dispatcher, "utter_case_amended")["text_block"]
    assert case.case_number in block and "（晚上十点）：联系第三方、辱骂" in block and "一共记了 2 次" in block
    incidents = store.incidents(case.case_number)
    assert incidents[-1] == {"occurred": "晚上十点", "behaviours": ["third_party_contact", "insults"],
                             "contacted": ["单位"], "description": said}
    stored = store.get(case.case_number)
    assert stored.status == "open" and "notes" not in stored.details  # the incident holds the words


async def test_news_of_an_incident_without_a_case_starts_a_report(tracker_factory, dispatcher, domain, case_db):
    """「又给我单位打电话了」 on a new phone, or after the case was deleted: the user has just said
    what happened, so it becomes a new harassment report rather than a request to say it again."""
    said = "补充一下，催收又给我单位打电话了"
    entities = [_entity(said, "给我单位打电话", "harassment_type", "third_party_contact")]
    events = await ActionUpdateCase().run(dispatcher, _update(tracker_factory, said, entities=entities), domain)
    assert events == [{"event": "slot", "timestamp": None, "name": "harassment_detail", "value": said},
                      {"event": "followup", "timestamp": None, "name": "harassment_form"}]
    assert responses(dispatcher) == ["utter_no_case_new_report"]
    assert CaseStore(case_db).cases_for("rest:alice") == []  # the form records it once it has the lender
    # News without an incident, or naming a case number that is not the user's, starts nothing.
    for said, entities in (("平台回复了", []),
                           ("TS-2611-7K3QX 又给我单位打电话了",
                            [{"entity": "case_id", "value": "TS-2611-7K3QX"},
                             _entity("TS-2611-7K3QX 又给我单位打电话了", "给我单位打电话", "harassment_type",
                                     "third_party_contact")])):
        dispatcher.messages.clear()
        assert await ActionUpdateCase().run(dispatcher, _update(tracker_factory, said, entities=entities),
                                            domain) == []
        assert responses(dispatcher) == ["utter_no_case_to_update"]


async def test_a_correction_changes_only_the_value_said_to_be_right(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:alice", "complaint", platform="分期乐", amount=120000, region="广州")
    said = "把我记录里的借款金额改成1.2万，之前记成12万了"
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, said, entities=[
        _entity(said, "1.2万", "amount", 12000), _entity(said, "12万", "amount", 120000)]), domain)
    assert "· 金额改为 12,000 元" in rendered(dispatcher, "utter_case_amended")["text_block"]
    said = "上次记录的城市不对，我在佛山不是广州"
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, said, entities=[
        _entity(said, "佛山", "city"), _entity(said, "广州", "city")]), domain)
    said = "我记错平台了 应该是安逸花不是分期乐"
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, said, entities=[
        _entity(said, "安逸花", "platform"), _entity(said, "分期乐", "platform")]), domain)
    said = "贷款类型填错了，是以租代购"
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, said, entities=[
        _entity(said, "以租代购", "loan_type")]), domain)
    stored = store.get(case.case_number)
    assert (stored.amount, stored.region, stored.platform) == (12000, "佛山", "安逸花")
    assert (stored.loan_type, stored.institution_type) == ("以租代购", "finance_lease")
    assert [note["text"] for note in stored.details["notes"]] == [
        "把我记录里的借款金额改成1.2万，之前记成12万了", "上次记录的城市不对，我在佛山不是广州", "我记错平台了 应该是安逸花不是分期乐",
        "贷款类型填错了，是以租代购"]


async def test_an_amount_without_a_correction_is_no_change(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:alice", "complaint", amount=5000)
    said = "平台把多收的2400元退给我了"
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, said, entities=[
        _entity(said, "2400元", "amount", 2400)]), domain)
    assert responses(dispatcher) == ["utter_case_now_resolved"]
    assert store.get(case.case_number).amount == 5000


async def test_a_behaviour_that_stopped_is_no_incident_and_the_status_still_counts(
        tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:alice", "harassment")
    said = "跟你说下，催收已经不打我家人电话了，这个案子不用再跟进了"
    await ActionUpdateCase().run(dispatcher, _update(tracker_factory, said, entities=[
        _entity(said, "打我家人电话", "harassment_type", "third_party_contact")]), domain)
    assert responses(dispatcher) == ["utter_case_now_closed"]
    assert store.incidents(case.case_number) == []


async def test_other_news_is_kept_as_a_masked_note_and_shown_with_the_case(
        tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:alice", "complaint")
    await ActionUpdateCase().run(dispatcher, _update(
        tracker_factory, "更新一下：现在已经逾期四个月了，催收换了个号码13812345678"), domain)
    assert responses(dispatcher) == ["utter_case_amended"]
    assert "「更新一下：现在已经逾期四个月了，催收换了个号码138****5678」" in rendered(
        dispatcher, "utter_case_amended")["text_block"]
    [note] = store.get(case.case_number).details["notes"]
    assert note["text"] == "更新一下：现在已经逾期四个月了，催收换了个号码138****5678"

    dispatcher.messages.clear()
    await ActionCaseStatus().run(dispatcher, tracker_factory(text="查一下我的案子", intent="check_case_status",
                                                             sender_id="alice"), domain)
    assert "补充记录 1 条" in rendered(dispatcher, "utter_case_list")["cases"]


def test_progress_reading():
    today = date(2026, 11, 24)
    assert read_progress("11月2号在征信中心提了异议", today).due() == date(2026, 11, 22)
    assert read_progress("向12378反映了征信问题", today).body.id == "regulator"
    assert read_progress("向12378反映了征信问题", today).due() is None  # no legal deadline known
    assert read_progress("兩個星期前向銀行投訴了", today).on == date(2026, 11, 10)
    assert read_progress("12月30日寄出去了", today).on == date(2025, 12, 30)  # not in the future
    assert read_progress("还没解决", today).status == "unsatisfied"
    assert read_progress("平台已经受理了 给了工单号", today).status == "awaiting_reply"
    assert read_progress("不用跟进了 案件可以关了", today).status == "closed"
    assert read_progress("平台把征信上的逾期记录撤销了 我这个事可以关了", today).status == "closed"
    assert read_progress("案子先别关", today).status is None
    assert read_progress("投诉之后催收收敛了，这两天都没再打过来", today).status is None  # not 「打过」


@pytest.mark.parametrize("said, day", [
    ("上周五向平台投诉了", date(2026, 11, 20)),  # today is Tuesday 2026-11-24
    ("上禮拜三寄出去了", date(2026, 11, 18)),
    ("上上周一打了12378", date(2026, 11, 9)),
    ("这周一投诉的", date(2026, 11, 23)),
    ("周五投诉了", date(2026, 11, 20)),  # a weekday not yet come this week: the last one
    ("星期天寄的", date(2026, 11, 22)),
    ("大前天交的异议", date(2026, 11, 21)),
    ("十一月二号投诉的", date(2026, 11, 2)),
    ("上个月十五号交的", date(2026, 10, 15)),
    ("20号投诉的", date(2026, 11, 20)),
    ("25号投诉的", date(2026, 10, 25)),  # not yet this month: last month's
    ("31号投诉的", date(2026, 10, 31)),
    ("一个半月前投诉的", date(2026, 10, 10)),
    ("半个月前", date(2026, 11, 9)),
    # No day: today. Addresses, metro lines and ticket numbers are no dates.
    ("信寄到了中山路18号", date(2026, 11, 24)),
    ("坐3号线去银保监局交的材料", date(2026, 11, 24)),
    ("平台受理了，工单号20261124", date(2026, 11, 24)),
    ("投诉以后他们还是每周三次打我电话", date(2026, 11, 24)),
])
def test_the_day_something_happened(said, day):
    assert day_said(said, date(2026, 11, 24)) == day


# The deadline at the next visit

async def test_a_returning_user_hears_of_overdue_replies_once_a_day(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:alice", "complaint", platform="易鑫")
    store.advance(case.case_number, "submitted", "user")
    store.set_follow_up(case.case_number, "lender", TODAY - timedelta(days=1))
    waiting = store.create_case("rest:alice", "complaint")
    store.advance(waiting.case_number, "submitted", "user")
    store.set_follow_up(waiting.case_number, "lender", TODAY + timedelta(days=3))

    tracker = tracker_factory({"platform": "易鑫", "city": None}, sender_id="alice")
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    assert events[0] == {"event": "session_started", "timestamp": None}
    assert _slot("platform", "易鑫") in events and events[-1]["name"] == "action_listen"
    assert responses(dispatcher) == ["utter_follow_up"]
    said = rendered(dispatcher, "utter_follow_up")["text_block"]
    assert case.case_number in said and "已经过了" in said and waiting.case_number not in said
    assert "12378" in said or "地方金融管理局" in said

    dispatcher.messages.clear()
    await ActionSessionStart().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == []  # told today already

    dispatcher.messages.clear()
    asking = tracker_factory(text="查一下我的投诉进度", intent="check_case_status", sender_id="alice")
    await ActionCaseStatus().run(dispatcher, asking, domain)
    assert responses(dispatcher) == ["utter_case_list", "utter_follow_up"]  # asked: told again
    listing = rendered(dispatcher, "utter_case_list")["cases"]
    assert "已过期限" in listing and f"答复期限 {TODAY + timedelta(days=3):%Y-%m-%d}" in listing


async def test_session_start_without_the_database_still_starts(tracker_factory, dispatcher, domain, monkeypatch):
    import actions.cases

    monkeypatch.setenv("CASES_DB_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    monkeypatch.setattr(actions.cases, "_store", None)
    events = await ActionSessionStart().run(dispatcher, tracker_factory(sender_id="alice"), domain)
    assert [e["event"] for e in events] == ["session_started", "action"] and dispatcher.messages == []


# Full numbers kept encrypted with the case

def test_without_a_configured_key_one_is_made_readable_by_its_owner_only(tmp_path, monkeypatch):
    import stat

    from borrower import secret

    monkeypatch.delenv(secret.KEY_ENV, raising=False)
    monkeypatch.setattr(secret, "VAR_DIR", tmp_path)
    secret._key.cache_clear()
    try:
        token = secret.encrypt({"phone": "13812345678"})
        assert "13812345678" not in token and secret.decrypt(token) == {"phone": "13812345678"}
        assert stat.S_IMODE((tmp_path / "cases.key").stat().st_mode) == 0o600
        assert secret.same_hash(secret.keyed_hash("TS-2611-AAAAA", "5678"), "TS-2611-AAAAA", "5678")
        (tmp_path / "cases.key").write_bytes(b"Vq3C0mU4cPZ2fO8pY1nN7kS9dR6tB5xH0jL2aE4wG8o=")
        secret._key.cache_clear()
        assert secret.decrypt(token) is None  # another key: unreadable, not an error
    finally:
        secret._key.cache_clear()



async def test_full_numbers_given_for_a_recorded_letter_are_kept_encrypted_for_next_time(
        tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:erin", "complaint", phone_last4="5678",
                             draft="投诉人：（姓名）　联系电话：138****5678　身份证号：（身份证号）")
    asking = tracker_factory(text="信里写完整号码 13812345678", intent="include_contact_details", sender_id="erin")
    assert await ActionIncludeContactDetails().run(dispatcher, asking, domain) == [_slot("case_to_verify", None)]
    assert "联系电话：13812345678" in rendered(dispatcher, "utter_letter_part")["part"]  # typed just now
    assert store.contact(case.case_number) == {"phone": "13812345678"}
    with create_engine(case_db).connect() as connection:
        row = connection.execute(text("SELECT contact_secret FROM cases")).scalar_one()
    assert "13812345678" not in row

    dispatcher.messages.clear()  # days later: the tracker store has masked the old message
    again = tracker_factory(text="把完整号码写进信里", intent="include_contact_details", sender_id="erin",
                            events=_said("信里写完整号码 138****5678"))
    # A sender id is no proof: the kept numbers need the phone's last four digits first.
    assert await ActionIncludeContactDetails().run(dispatcher, again, domain) == [_slot("case_to_verify", case.case_number)]
    assert responses(dispatcher) == ["utter_ask_contact_verification"]

    dispatcher.messages.clear()
    events = await ActionVerifyContact().run(dispatcher, _verifying(tracker_factory, case.case_number, "5678", "erin"), domain)
    assert events == [_slot("case_to_verify", None), _slot("verify_attempts", 0.0)]
    assert "联系电话：13812345678" in rendered(dispatcher, "utter_letter_part")["part"]
    assert "138****5678" in store.get(case.case_number).draft  # the stored letter stays masked


async def test_kept_numbers_are_not_shown_for_wrong_digits(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    case = store.create_case("rest:erin", "complaint", phone_last4="5678", draft="联系电话：138****5678")
    store.store_contact(case.case_number, {"phone": "13812345678"})
    events = await ActionVerifyContact().run(dispatcher, _verifying(tracker_factory, case.case_number, "尾号1234", "erin"),
                                             domain)
    assert events == [_slot("case_to_verify", None), _slot("verify_attempts", 1.0)]
    assert responses(dispatcher) == ["utter_contact_not_verified"]
    assert "13812345678" not in str(dispatcher.messages)


@pytest.mark.parametrize("text", [
    "99999999999999999999天前向12378投诉了", "3000年前已经向平台投诉了", "补充一下，3000年前又打我单位了",
    "99999天前投诉的",
])
def test_a_day_no_one_could_mean_is_today_not_a_crash_or_1753(text):
    """These raised OverflowError (the action server answered 500, the user got silence) or
    dated the complaint centuries back."""
    today = date(2026, 12, 5)
    assert day_said(text, today) == today
    assert read_progress(text, today).on == today


async def test_the_same_sender_id_on_another_channel_is_another_person(tracker_factory, dispatcher, domain, case_db):
    """Cases belong to channel + sender id: a REST client naming a WeChat user's openid as its
    sender sees none of their cases, and cannot delete them."""
    store = CaseStore(case_db)
    store.create_case("wechat:o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "complaint", platform="易鑫")
    claimed = tracker_factory(text="查一下我的案件", intent="check_case_status", sender_id="o6_bmjrPTlm6_2sgVt7hMZOPfL2M")
    await ActionCaseStatus().run(dispatcher, claimed, domain)
    assert responses(dispatcher) == ["utter_no_cases"]
    on_wechat = tracker_factory(text="查一下我的案件", intent="check_case_status",
                                sender_id="o6_bmjrPTlm6_2sgVt7hMZOPfL2M", input_channel="wechat")
    dispatcher.messages.clear()
    await ActionCaseStatus().run(dispatcher, on_wechat, domain)
    assert responses(dispatcher) == ["utter_case_list"]


async def test_kept_numbers_are_only_released_for_the_requesters_own_case(tracker_factory, dispatcher, domain,
                                                                          case_db):
    store = CaseStore(case_db)
    theirs = store.create_case("wechat:someone", "complaint", phone_last4="5678", draft="联系电话：138****5678")
    store.store_contact(theirs.case_number, {"phone": "13812345678"})
    events = await ActionVerifyContact().run(dispatcher, _verifying(tracker_factory, theirs.case_number, "5678", "erin"),
                                             domain)
    assert "13812345678" not in str(dispatcher.messages)
    assert responses(dispatcher) == ["utter_contact_not_verified"]
    assert events[0] == _slot("case_to_verify", None)
