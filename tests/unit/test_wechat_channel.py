"""The WeChat / WeCom channel over real HTTP on loopback (connectors/wechat.py): the channel runs
in a Sanic server, messages come from `WeChatUser` (signed and encrypted as WeChat does), replies
sent later go to `FakeWeChatApi`, the local stand-in for WeChat's API. The bot here is a scripted
stand-in for Rasa's agent, so that turn length and output can be chosen; tests/e2e/test_wechat.py
talks to the real Rasa server."""

import asyncio
import threading
import time
from dataclasses import replace
from typing import Iterator, List, Tuple

import pytest
import requests
from rasa.core.channels.channel import UserMessage

from connectors.wechat import WeChatInput, WeComInput
from connectors.wechat_api import REFRESH_MARGIN_S, WeChatApi
from connectors.wechat_protocol import MESSAGES, Settings, parts
from connectors.wechat_sim import FakeWeChatApi, WeChatUser, new_msg_id
from tests.support.channel_server import serve

AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAFE = Settings(kind="wechat", token="test-token", receive_id="wx2c2769f8efd9abc2", aes_key=AES_KEY,
                mode="safe", passive_wait_s=0.8, hold_s=1.6)
LONG = "\n".join(f"第{i}条：催收人员凌晨两点连续拨打我的电话，还给我的父母和同事发短信。" * 4 for i in range(30))


class Bot:
    """Stands in for Rasa's agent: echoes, and is slow, long, broken or has buttons on request."""

    def __init__(self, slow_s: float = 0.0) -> None:
        self.slow_s = slow_s
        self.calls: List[Tuple[str, str]] = []

    async def __call__(self, message: UserMessage) -> None:
        self.calls.append((message.sender_id, message.text))
        out, who, text = message.output_channel, message.sender_id, message.text
        if "慢" in text:
            await asyncio.sleep(self.slow_s)
        if text == "/greet":
            await out.send_text_message(who, "你好，我是借款人维权助手。")
        elif "按钮" in text:
            await out.send_text_with_buttons(who, "是哪种借款？", [
                {"title": "车贷", "payload": "车贷"}, {"title": "网贷", "payload": "网贷"}])
        elif "长信" in text:
            await out.send_text_message(who, LONG)
        elif "崩溃" in text:
            raise RuntimeError("the bot broke")
        else:
            await out.send_text_message(who, f"收到：{text}")


@pytest.fixture
def api() -> Iterator[FakeWeChatApi]:
    fake = FakeWeChatApi("test-secret")
    yield fake
    fake.close()


def channel_with(api: FakeWeChatApi = None, **changes) -> WeChatInput:
    settings = replace(SAFE, **changes)
    if api is not None:
        settings = replace(settings, secret="test-secret", api_base=api.url)
    return (WeComInput if settings.kind == "wecom" else WeChatInput)(settings)


def test_url_check_answers_echostr_and_refuses_a_wrong_signature():
    with serve(channel_with(mode="plaintext"), Bot()) as url:
        user = WeChatUser(url, replace(SAFE, mode="plaintext"))
        answer = user.verify_url("4385394838")
        assert (answer.status, answer.body) == (200, "4385394838")
        forged = requests.get(url, params={"signature": "0" * 40, "timestamp": "1", "nonce": "1", "echostr": "x"})
        assert forged.status_code == 403


def test_wecom_url_check_decrypts_the_echostr():
    settings = replace(SAFE, kind="wecom", receive_id="ww5823bf96d3bd56c7", agent_id="1000002")
    with serve(channel_with(**{k: getattr(settings, k) for k in ("kind", "receive_id", "agent_id")}), Bot()) as url:
        answer = WeChatUser(url, settings).verify_url("1616140317555161061")
        assert (answer.status, answer.body) == (200, "1616140317555161061")


@pytest.mark.parametrize("mode", ["safe", "compatible", "plaintext"])
def test_a_text_is_answered_passively_in_each_mode(mode):
    bot = Bot()
    with serve(channel_with(mode=mode), bot) as url:
        user = WeChatUser(url, replace(SAFE, mode=mode))
        answer = user.text("催收半夜打电话")
        assert answer.status == 200 and answer.text == "收到：催收半夜打电话"
        assert ("<Encrypt>" in answer.body) == (mode != "plaintext")
        assert bot.calls == [(user.openid, "催收半夜打电话")]  # the OpenID is the sender id


def test_safe_mode_refuses_a_plaintext_message():
    bot = Bot()
    with serve(channel_with(), bot) as url:
        plain = WeChatUser(url, replace(SAFE, mode="plaintext"))
        assert plain.text("你好").status == 403
        assert bot.calls == []


def test_forged_stale_and_broken_requests_never_reach_the_bot():
    bot = Bot()
    with serve(channel_with(), bot) as url:
        user = WeChatUser(url, SAFE)
        assert user.text("你好", signature="0" * 40).status == 403
        assert user.text("你好", timestamp=1409735669).status == 403  # replayed from 2014
        assert WeChatUser(url, replace(SAFE, aes_key="B" * 43)).text("你好").status == 403  # wrong key
        plain = WeChatUser(url, replace(SAFE, mode="plaintext"))
        xxe = (b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b"<xml><Encrypt>&x;</Encrypt></xml>")
        assert plain.post("", raw=xxe).status == 400
        assert plain.post("", raw=b"<xml><Encrypt>").status == 400
        assert plain.post("", raw=b"<xml>" + b"x" * (1024 * 1024) + b"</xml>").status == 413
        assert bot.calls == []


def test_a_channel_without_credentials_answers_503():
    with serve(channel_with(token=""), Bot()) as url:
        assert requests.post(url, data=b"<xml/>").status_code == 503


def test_a_repeated_msgid_is_processed_once():
    bot = Bot(slow_s=0.3)
    with serve(channel_with(), bot) as url:
        user, msg_id = WeChatUser(url, SAFE), new_msg_id()
        xml = user.xml("text", msg_id, Content="慢慢说")
        answers = []
        threads = [threading.Thread(target=lambda: answers.append(user.post(xml))) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        answers.append(user.post(xml))  # and once more after the answer
        assert [answer.text for answer in answers] == ["收到：慢慢说"] * 4
        assert bot.calls == [(user.openid, "慢慢说")]


def test_a_slow_turn_answers_success_and_the_reply_follows_through_the_api(api):
    bot = Bot(slow_s=2.0)
    with serve(channel_with(api), bot) as url:
        user, msg_id = WeChatUser(url, SAFE), new_msg_id()
        first = user.text("慢一点回答我", msg_id=msg_id, timeout=1.5)  # answered before WeChat's limit
        assert (first.status, first.body) == (200, "success")
        retry = user.text("慢一点回答我", msg_id=msg_id, timeout=1.5)
        assert retry.body == "success"
        assert api.wait_for(1) == [(user.openid, "收到：慢一点回答我")]
        assert len(bot.calls) == 1 and api.token_calls == 1


def test_wecom_sends_a_slow_reply_with_message_send(api):
    bot = Bot(slow_s=1.5)
    channel = channel_with(api, kind="wecom", receive_id="ww5823bf96d3bd56c7", agent_id="1000002")
    with serve(channel, bot) as url:
        user = WeChatUser(url, channel.settings, openid="zhangsan")
        assert user.text("慢慢来").body == "success"
        assert api.wait_for(1) == [("zhangsan", "收到：慢慢来")]
        assert bot.calls == [("zhangsan", "慢慢来")]


def test_passive_only_a_slow_reply_is_served_on_wechats_retry():
    bot = Bot(slow_s=1.8)
    with serve(channel_with(), bot) as url:  # no AppSecret: no customer-service API
        user, msg_id = WeChatUser(url, SAFE), new_msg_id()
        with pytest.raises(requests.Timeout):  # WeChat gives up on the first try…
            user.text("慢慢说", msg_id=msg_id, timeout=1.0)
        retry = user.text("慢慢说", msg_id=msg_id, timeout=2.0)  # …and the retry gets the reply
        assert retry.text == "收到：慢慢说"
        assert len(bot.calls) == 1


def test_passive_only_a_reply_slower_than_every_try_waits_for_continue():
    bot = Bot(slow_s=3.5)
    with serve(channel_with(), bot) as url:
        user, msg_id = WeChatUser(url, SAFE), new_msg_id()
        for _ in range(2):
            with pytest.raises(requests.Timeout):
                user.text("慢慢说", msg_id=msg_id, timeout=1.0)
        last = user.text("慢慢说", msg_id=msg_id, timeout=2.0)
        assert last.text == MESSAGES["still_working"]
        time.sleep(2.0)
        assert user.text("继续").text == "收到：慢慢说"
        assert len(bot.calls) == 1  # 「继续」 was answered by the channel


def test_buttons_are_numbered_and_a_number_answers_them():
    bot = Bot()
    with serve(channel_with(), bot) as url:
        user = WeChatUser(url, SAFE)
        shown = user.text("给我按钮").text
        assert "1. 车贷" in shown and "2. 网贷" in shown and MESSAGES["choose_by_number"] in shown
        assert user.text("2").text == "收到：网贷"
        assert user.text("2").text == "收到：2"  # the options were for the previous question only
        assert [text for _, text in bot.calls] == ["给我按钮", "网贷", "2"]


def test_a_long_reply_is_split_passive_then_api(api):
    with serve(channel_with(api), Bot()) as url:
        user = WeChatUser(url, SAFE)
        first = user.text("写一封长信").text
        assert LONG.startswith(first) and len(first.encode()) <= 2048
        rest = "".join(content for _, content in api.wait_for(len(parts(LONG)) - 1))
        assert (first + rest).replace("\n", "") == LONG.replace("\n", "")


def test_a_long_reply_passive_only_comes_in_parts_with_continue():
    with serve(channel_with(), Bot()) as url:
        user = WeChatUser(url, SAFE)
        shown = [user.text("写一封长信").text]
        while MESSAGES["more"] in shown[-1]:
            shown.append(user.text("继续").text)
        assert len(shown) > 1
        assert all(len(part.encode()) <= 2048 for part in shown)
        text = "".join(part.replace("\n\n" + MESSAGES["more"], "") for part in shown)
        assert text.replace("\n", "") == LONG.replace("\n", "")


def test_events_voice_and_unsupported_types():
    bot = Bot()
    with serve(channel_with(), bot) as url:
        user = WeChatUser(url, SAFE)
        assert user.post(user.xml("event", Event="subscribe")).text == "你好，我是借款人维权助手。"
        assert user.post(user.xml("event", Event="unsubscribe")).body == "success"
        voice = user.xml("voice", new_msg_id(), MediaId="m1", Format="amr", Recognition="催收爆我通讯录")
        assert user.post(voice).text == "收到：催收爆我通讯录"
        assert user.post(user.xml("voice", new_msg_id(), MediaId="m2", Format="amr")).text == MESSAGES["voice_unrecognised"]
        image = user.xml("image", new_msg_id(), PicUrl="http://example.invalid/a.jpg", MediaId="m3")
        assert user.post(image).text == MESSAGES["unsupported"]
        location = user.xml("location", new_msg_id(), Location_X="23.1", Location_Y="113.3", Label="广州")
        assert user.post(location).text == MESSAGES["unsupported"]
        assert [text for _, text in bot.calls] == ["/greet", "催收爆我通讯录"]


def test_a_failing_turn_gets_a_chinese_message_not_a_trace():
    with serve(channel_with(), Bot()) as url:
        answer = WeChatUser(url, SAFE).text("崩溃吧")
        assert answer.text == MESSAGES["error"] and "Traceback" not in answer.body


def test_an_invalid_token_is_refreshed_once_and_the_token_is_shared(api):
    bot = Bot(slow_s=1.2)
    with serve(channel_with(api), bot) as url:
        users = [WeChatUser(url, SAFE) for _ in range(3)]
        for user in users:
            assert user.text("慢慢说").body == "success"
        api.wait_for(3)
        assert api.token_calls == 1  # one token for all three
        api.failures.append(40001)  # WeChat says the token is no longer valid
        assert users[0].text("慢一点").body == "success"
        assert api.wait_for(4)[-1] == (users[0].openid, "收到：慢一点")
        assert api.token_calls == 2


def test_a_reply_the_api_refuses_waits_for_continue(api):
    with serve(channel_with(api), Bot(slow_s=1.2)) as url:
        user = WeChatUser(url, SAFE)
        api.failures.append(45015)  # the user's last message is more than 48 hours old
        assert user.text("慢慢说").body == "success"
        time.sleep(1.5)
        assert api.sent == []
        assert user.text("继续").text == "收到：慢慢说"


def test_the_token_is_reused_until_five_minutes_before_it_expires(api):
    async def two_tokens() -> List[str]:
        client = WeChatApi(replace(SAFE, secret="test-secret", api_base=api.url))
        try:
            return [await client.token() for _ in range(2)]
        finally:
            await client.close()

    assert len(set(asyncio.run(two_tokens()))) == 1 and api.token_calls == 1
    api.expires_in = REFRESH_MARGIN_S - 1  # each new token is already due for renewal
    assert len(set(asyncio.run(two_tokens()))) == 2 and api.token_calls == 3
