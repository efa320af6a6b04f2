"""WeChat and WeCom users talking to the real Rasa and action servers through the channel
(connectors/wechat.py): messages signed and encrypted as WeChat does; WeCom's replies arrive at
the local stand-in for WeChat's API (tests/e2e/conftest.py)."""

import time
import uuid

import pytest

from borrower.casestore import CaseStore
from connectors.wechat_protocol import MESSAGES, Settings
from connectors.wechat_sim import WeChatUser
from tests.e2e.conftest import CASE_NUMBER, WECHAT_ENV

pytestmark = pytest.mark.e2e

OFFICIAL = Settings(kind="wechat", token=WECHAT_ENV["WECHAT_TOKEN"], receive_id=WECHAT_ENV["WECHAT_APP_ID"],
                    aes_key=WECHAT_ENV["WECHAT_ENCODING_AES_KEY"], mode="safe")
CORP = Settings(kind="wecom", token=WECHAT_ENV["WECOM_TOKEN"], receive_id=WECHAT_ENV["WECOM_CORP_ID"],
                aes_key=WECHAT_ENV["WECOM_ENCODING_AES_KEY"], agent_id=WECHAT_ENV["WECOM_AGENT_ID"], mode="safe")


def test_a_complaint_through_wechat_with_numbered_choices_and_long_replies_in_parts(servers):
    user = WeChatUser(f"{servers.rasa_url}/webhooks/wechat/", OFFICIAL)
    assert user.verify_url("echo-42").body == "echo-42"
    welcome = user.post(user.xml("event", Event="subscribe")).text
    assert "借款人维权助手" in welcome and "不是律师" in welcome

    reply = user.text("我要投诉易鑫车贷乱收GPS费").text
    assert "哪种借款" in reply and "1. 车贷" in reply and MESSAGES["choose_by_number"] in reply
    assert "多少钱" in user.text("1").text  # 1 = 车贷

    shown = [user.text("五万二").text]  # the ladder and the letter: longer than one message
    while MESSAGES["more"] in shown[-1] and len(shown) < 10:
        shown.append(user.text("继续").text)
    assert len(shown) > 1 and all(len(part.encode()) <= 2048 for part in shown)
    whole = "".join(shown)
    assert "12378" in whole and "投诉书" in whole and "我不是律师" in whole
    [number] = set(CASE_NUMBER.findall(whole))

    [case] = CaseStore(servers.cases_db_url).cases_for(f"wechat:{user.openid}")  # the OpenID is the sender
    assert (case.case_number, case.loan_type, case.amount) == (number, "车贷", 52000)


def test_a_wechat_user_in_crisis_gets_the_crisis_lines_first(servers):
    reply = WeChatUser(f"{servers.rasa_url}/webhooks/wechat/", OFFICIAL).text("欠了太多钱 我真的不想活了").text
    assert "12356" in reply and ("110" in reply or "120" in reply)


def test_wecom_replies_come_through_message_send(servers, wechat_api):
    user = WeChatUser(f"{servers.rasa_url}/webhooks/wecom/", CORP, openid=f"zhangsan-{uuid.uuid4().hex[:6]}")
    assert user.verify_url("1616140317555161061").body == "1616140317555161061"
    answer = user.text("催收半夜打电话还爆我通讯录")
    assert (answer.status, answer.body) == (200, "success")  # nothing passive: WECOM_PASSIVE_WAIT_S=0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(to == user.openid for to, _ in wechat_api.sent):
        time.sleep(0.2)
    replies = [content for to, content in wechat_api.sent if to == user.openid]
    assert replies and "哪个平台" in "".join(replies)


def test_a_forged_message_is_refused_by_the_real_server(servers):
    user = WeChatUser(f"{servers.rasa_url}/webhooks/wechat/", OFFICIAL)
    assert user.text("你好", signature="0" * 40).status == 403
    assert user.text("你好", timestamp=int(time.time()) - 3600).status == 403
