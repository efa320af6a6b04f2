"""Whole conversations over Rasa's REST channel against the real servers."""

import re
from datetime import date, timedelta

import pytest
import requests
from sqlalchemy import create_engine, text

from borrower.casestore import CaseStore
from tests.e2e.conftest import CASE_NUMBER

pytestmark = pytest.mark.e2e


def test_complaint_is_recorded_with_its_case_number(servers, sender):
    reply = servers.text(sender, "我要投诉易鑫车贷乱收GPS费")
    assert "哪种借款" in reply  # platform and problem came with the first message
    assert "多少钱" in servers.text(sender, "车贷")
    reply = servers.text(sender, "五万二")
    assert "1. 先向借款机构本身投诉" in reply and "12378" in reply and "来源" in reply
    assert "投诉书" in reply and "52,000 元" in reply
    assert "我不是律师" in reply
    [number] = CASE_NUMBER.findall(reply)

    [case] = CaseStore(servers.cases_db_url).cases_for(f"rest:{sender}")
    assert case.case_number == number
    assert (case.category, case.platform, case.loan_type, case.amount) == ("complaint", "易鑫", "车贷", 52000)
    assert "GPS" in case.summary and "投诉书" in case.draft


def test_traditional_harassment_report_names_rules_and_110(servers, sender):
    reply = servers.text(sender, "催收冒充警察打電話給我爸媽，說要來抓我")
    assert "哪个平台" in reply
    reply = servers.text(sender, "分期樂")
    assert "110" in reply and "《刑法》第 279 条" in reply and "请保留这些证据" in reply
    assert CASE_NUMBER.search(reply)
    [case] = CaseStore(servers.cases_db_url).cases_for(f"rest:{sender}")
    assert case.category == "harassment" and case.platform == "分期乐"
    assert set(case.details["behaviours"]) >= {"impersonation", "third_party_contact"}

    # News for the case goes into it, not into a fresh report.
    reply = servers.text(sender, "補充一下，昨天晚上十點他們又打給我老公了")
    assert f"已记进案件 {case.case_number}" in reply and "一共记了 2 次" in reply
    incidents = CaseStore(servers.cases_db_url).incidents(case.case_number)
    assert incidents[-1]["occurred"] == "晚上十点" and incidents[-1]["behaviours"] == ["third_party_contact"]


def test_letter_masks_the_users_numbers_and_writes_them_in_full_only_on_request(servers, sender):
    servers.text(sender, "我要投诉易鑫车贷乱收GPS费，有事打我电话13812345678")
    servers.text(sender, "车贷")
    reply = servers.text(sender, "五万二")
    assert "联系电话：138****5678" in reply and "信里写完整号码" in reply
    reply = servers.text(sender, "信里写完整号码 13812345678")
    assert "联系电话：13812345678" in reply and "加密保存在你的案件里" in reply
    [case] = CaseStore(servers.cases_db_url).cases_for(f"rest:{sender}")
    assert "138****5678" in case.draft and "13812345678" not in case.draft + case.summary
    with create_engine(servers.tracker_db_url, future=True).connect() as connection:
        stored = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender"), {"sender": sender}
        ).scalars().all()
    assert any("138****5678" in row for row in stored)
    assert not any("13812345678" in row for row in stored)  # not the user's messages, not the reply

    # Asked again later, without the number: the one kept (encrypted) with the case is used —
    # once the phone's last four digits are given (a sender id alone proves nothing).
    reply = servers.text(sender, "把信里的号码写完整")
    assert "后四位" in reply and "13812345678" not in reply
    reply = servers.text(sender, "5678")
    assert "联系电话：13812345678" in reply
    with create_engine(servers.cases_db_url, future=True).connect() as connection:
        secret = connection.execute(text("SELECT contact_secret FROM cases WHERE owner = :s"), {"s": f"rest:{sender}"}).scalar_one()
    assert secret and "13812345678" not in secret


def test_a_case_is_followed_up_in_a_new_session_and_verified_from_another_identity(servers, sender):
    servers.text(sender, "我要投诉易鑫车贷乱收GPS费，有事打我电话13812345678")
    servers.text(sender, "车贷")
    reply = servers.text(sender, "五万二")
    [number] = set(CASE_NUMBER.findall(reply))
    assert "手机号后四位" in reply

    reply = servers.text(sender, "我三天前已经向平台投诉了")
    due = date.today() - timedelta(days=3) + timedelta(days=15)
    assert f"答复期限 {due:%Y-%m-%d}" in reply and "15 日内办结" in reply
    store = CaseStore(servers.cases_db_url)
    assert store.get(number).status == "submitted"

    # Sixteen days on (the deadline moved back instead), the user comes back: a new session.
    store.set_follow_up(number, "lender", date.today() - timedelta(days=1))
    reply = servers.text(sender, "/session_start")
    assert number in reply and "已经过了" in reply and "12378" in reply
    reply = servers.text(sender, "查一下我的投诉进度")
    assert number in reply and "已过期限" in reply

    # Someone else asks for it by number: the phone's last four digits decide.
    stranger = f"{sender}-other"
    assert "后四位" in servers.text(stranger, f"{number} 有结果了吗")
    assert "没能核实" in servers.text(stranger, "1234")
    assert "后四位" in servers.text(stranger, f"{number} 有结果了吗")
    reply = servers.text(stranger, "尾号5678")
    assert number in reply and "易鑫" in reply
    assert "没有你的案件记录" in servers.text(stranger, "查一下我的投诉进度")  # still not theirs


def test_real_apr_from_figures_sent_over_two_messages(servers, sender):
    reply = servers.text(sender, "到手53846，每月还2523，这利息合法吗")
    assert "还差：一共几期" in reply and "来源" in reply
    reply = servers.text(sender, "分了36期")
    assert "真实年化利率约 37.8%" in reply and "36%" in reply


def test_deleting_my_data_leaves_nothing_in_the_case_or_tracker_tables(servers, sender):
    servers.text(sender, "我要投诉易鑫车贷乱收GPS费，电话13812345678")
    servers.text(sender, "车贷")
    assert CASE_NUMBER.search(servers.text(sender, "五万二"))
    reply = servers.text(sender, "删除我的信息")
    assert "1 个案件" in reply and "确定删除" in reply
    assert len(CaseStore(servers.cases_db_url).cases_for(f"rest:{sender}")) == 1  # not before the confirmation
    assert "已删除：1 个案件" in servers.text(sender, "确定删除")

    assert CaseStore(servers.cases_db_url).cases_for(f"rest:{sender}") == []
    with create_engine(servers.tracker_db_url, future=True).connect() as connection:
        count = connection.execute(
            text("SELECT COUNT(*) FROM events WHERE sender_id = :sender"), {"sender": sender}
        ).scalar_one()
    assert count == 0
    assert "还没有你的案件记录" in servers.text(sender, "查一下我的投诉进度")


def test_news_of_an_incident_with_no_case_here_starts_a_report(servers, sender):
    # A user whose case was made on another phone: the news is the report, not said twice.
    reply = servers.text(sender, "补充一下，昨天催收又给我单位打电话了")
    assert "当作一次新的催收情况" in reply and "哪个平台" in reply
    assert CASE_NUMBER.search(servers.text(sender, "安逸花"))
    [case] = CaseStore(servers.cases_db_url).cases_for(f"rest:{sender}")
    assert case.category == "harassment" and case.platform == "安逸花"
    assert "third_party_contact" in case.details["behaviours"]


def test_deleting_one_case_by_its_number_keeps_the_conversation(servers, sender):
    servers.text(sender, "我要投诉易鑫车贷乱收GPS费")
    servers.text(sender, "车贷")
    number = CASE_NUMBER.search(servers.text(sender, "五万二")).group(0)
    reply = servers.text(sender, f"把案件{number}删掉")
    assert f"确定要删除案件 {number} 吗" in reply and "这段对话的记录会保留" in reply
    assert len(CaseStore(servers.cases_db_url).cases_for(f"rest:{sender}")) == 1  # not before the confirmation
    assert f"已删除案件 {number}" in servers.text(sender, "确定删除")
    assert CaseStore(servers.cases_db_url).cases_for(f"rest:{sender}") == []
    with create_engine(servers.tracker_db_url, future=True).connect() as connection:
        count = connection.execute(
            text("SELECT COUNT(*) FROM events WHERE sender_id = :sender"), {"sender": sender}
        ).scalar_one()
    assert count > 0  # only 「删除我的全部信息」 deletes the conversation


def test_negotiation_explains_options_honestly(servers, sender):
    # The loan type comes with the first message, so the form goes straight to the debt.
    assert "一共欠多少钱" in servers.text(sender, "我信用卡逾期了还不上，想协商分期")
    reply = servers.text(sender, "八万")
    assert "每月收入" in reply
    assert "必要开支" in servers.text(sender, "六千")
    assert "最多能拿出" in servers.text(sender, "三千五")
    reply = servers.text(sender, "两千")
    assert "分 48 期：每月约 1,667 元" in reply and "「可以」（不是「必须」）" in reply
    [case] = CaseStore(servers.cases_db_url).cases_for(f"rest:{sender}")
    assert case.category == "negotiation" and case.details["affordable"] == 2000
    assert case.details["essential_spending"] == 3500


def test_crisis_help_comes_first_even_inside_a_form(servers, sender):
    assert "一共欠多少钱" in servers.text(sender, "我还不上网贷了，想协商")
    replies = servers.say(sender, "我真的不想活了")
    assert "12356" in replies[0]["text"] and "110" in replies[0]["text"] and "120" in replies[0]["text"]
    assert not any("多少" in reply.get("text", "") for reply in replies)  # no money question now


FULL_CRISIS_REPLY = "你的生命比任何债务都重要"


def test_strain_inside_a_form_gets_one_line_and_the_form_goes_on(servers, sender):
    assert "一共欠多少钱" in servers.text(sender, "网贷还不上了 想跟平台商量分期")
    assert "每月收入" in servers.text(sender, "6万左右")
    replies = [reply.get("text", "") for reply in servers.say(sender, "工资四千五 最近压力大到整晚睡不着")]
    assert "12356" in replies[0] and FULL_CRISIS_REPLY not in " ".join(replies)
    assert "必要开支" in replies[-1]  # the form asks its next question
    # hardship alone is no signal at all, and the check-in is not repeated
    reply = servers.text(sender, "房租加吃饭差不多三千 钱真的不够用")
    assert "12356" not in reply and "最多能拿出" in reply


def test_a_negated_crisis_word_gets_no_crisis_reply(servers, sender):
    reply = servers.text(sender, "？？我没想死啊 就是问问信用卡逾期能不能分期")
    assert FULL_CRISIS_REPLY not in reply


def test_an_unanswered_crisis_line_gets_110_and_120_first(servers, sender):
    replies = servers.say(sender, "刚才打了12356 一直没人接")
    first = replies[0]["text"]
    assert first.startswith("如果你现在有危险") and "110" in first and "120" in first and "信得过的人" in first


def test_a_threat_gets_110_first_inside_a_form_and_the_form_goes_on(servers, sender):
    """The threat naming the child used to get 「是哪个平台或机构？」 alone."""
    servers.text(sender, "网贷逾期了 催收天天打电话骚扰我家里人")
    replies = [reply.get("text", "") for reply in servers.say(sender, "他们还说知道我儿子在哪上学 要去学校找他")]
    assert replies[0].startswith("如果你或家人现在有人身危险") and "110" in replies[0]
    assert any("你描述的情况可能违反了这些规定" in reply for reply in replies[1:])  # the report goes on


def test_a_threat_outside_a_form_gets_110_first_then_the_report(servers, sender):
    replies = [reply.get("text", "") for reply in servers.say(sender, "催收说知道我女儿在哪个幼儿园 让我小心点")]
    assert replies[0].startswith("如果你或家人现在有人身危险")
    assert any("平台" in reply or "具体说说" in reply for reply in replies[1:])  # the harassment report starts


def test_thanks_after_a_crisis_message_check_in_again(servers, sender):
    assert "12356" not in servers.text(sender, "谢谢")  # an ordinary thank-you
    servers.text(sender, "欠了太多钱，我真的不想活了")
    reply = servers.text(sender, "谢谢你")
    assert "12356" in reply and "110" in reply and "不客气" in reply


BAD_INPUT = [
    "",
    "😭😭😭",
    "我" * 5000,
    "12345678",
    "help me please",
    "催收一直call我 so annoying 怎麼辦",
    "【某某金融】您的借款已逾期，请立即还款 http://t.cn/A6xyz 退订回T 详询 http://x.co/b?c=1&d=2",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("message", BAD_INPUT)
def test_bad_input_gets_a_chinese_answer(servers, sender, message):
    replies = servers.say(sender, message)
    assert replies, f"no reply to {message[:20]!r}"
    assert all(re.search(r"[\u4e00-\u9fff]", reply.get("text", "")) for reply in replies)


def test_conversation_is_persisted_in_the_sql_tracker_store(servers, sender):
    servers.say(sender, "你好")
    engine = create_engine(servers.tracker_db_url, future=True)
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT COUNT(*) FROM events WHERE sender_id = :sender"), {"sender": sender}
        ).scalar_one()
    assert count > 0


HOSTILE_BODIES = [b"[1,2,3]", b'"hi"', b"null", b"", b'{"sender": "x\\ud800", "message": "\\u4f60\\u597d"}',
                  b'{"message": "\\u4f60\\u597d"}', b'{"sender": "me", "message": 5}',
                  b'{"sender": "' + b"s" * 1000 + b'", "message": "hi"}']


def test_hostile_rest_requests_get_400_and_the_server_keeps_answering(servers, sender):
    """A lone surrogate in the sender once made the tracker store fail and Rasa exit; bodies that
    are not JSON objects got 500, non-string messages silence."""
    url = f"{servers.rasa_url}/webhooks/rest/webhook"
    for body in HOSTILE_BODIES:
        answer = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=30)
        assert answer.status_code == 400, (body[:40], answer.status_code, answer.text[:200])
        assert answer.json()["error"]
    assert re.search(r"[\u4e00-\u9fff]", servers.text(sender, "你好"))


def test_a_message_over_the_limit_is_answered_and_not_stored(servers, sender):
    reply = servers.text(sender, "催收" * 1001)
    assert "太长" in reply
    engine = create_engine(servers.tracker_db_url, future=True)
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT COUNT(*) FROM events WHERE sender_id = :sender"), {"sender": sender}
        ).scalar_one()
    assert count == 0
