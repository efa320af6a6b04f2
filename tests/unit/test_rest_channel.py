"""The REST channel over real HTTP (connectors/rest.py), with a recording bot in place of Rasa's
agent: malformed requests get 400 and a JSON error, never 500 or silence, and what reaches the
bot is a clean string from a valid sender on the `rest` channel. The same cases against Rasa's
own RestInput show what they used to do."""

import json
from typing import List

import pytest
import requests
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput

from connectors.inbound import Limits
from connectors.rest import ValidatedRestInput
from connectors.wechat_protocol import MESSAGES
from tests.support.channel_server import serve


class Bot:
    def __init__(self) -> None:
        self.messages: List[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"收到：{message.text}")


@pytest.fixture
def rest():
    bot = Bot()
    with serve(ValidatedRestInput(Limits(max_message_chars=50, max_sender_chars=16)), bot) as url:
        yield url + "webhook", bot


def _post(url, body: bytes):
    return requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=10)


BAD_BODIES = [b"[1,2,3]", b'"hi"', b"null", b"", b"{not json", b"42",
              b'{"message": "hi"}', b'{"sender": "", "message": "hi"}', b'{"sender": 7, "message": "hi"}',
              b'{"sender": "x\\ud800", "message": "hi"}', b'{"sender": "a\\u0000b", "message": "hi"}',
              b'{"sender": "' + b"s" * 17 + b'", "message": "hi"}',
              b'{"sender": "me", "message": 5}', b'{"sender": "me", "message": null}',
              b'{"sender": "me", "message": ["hi"]}', b'{"sender": "me"}']


@pytest.mark.parametrize("body", BAD_BODIES)
def test_a_malformed_request_gets_400_with_a_json_error_and_reaches_no_one(rest, body):
    url, bot = rest
    answer = _post(url, body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]
    assert bot.messages == []


def test_the_same_requests_broke_rasas_own_channel():
    """What the fix is for: Rasa's channel answered 500 to a non-object body, silence to a
    message that is not a string, and let the client pick its input channel."""
    bot = Bot()
    with serve(RestInput(), bot) as url:
        assert _post(url + "webhook", b"[1,2,3]").status_code == 500
        silent = _post(url + "webhook", b'{"sender": "x", "message": 5}')
        assert (silent.status_code, silent.json()) == (200, [])
        _post(url + "webhook", b'{"sender": "x", "message": "hi", "input_channel": "wechat"}')
    assert [m.input_channel for m in bot.messages] == ["wechat"]


def test_unwritable_characters_are_removed_from_the_message(rest):
    url, bot = rest
    answer = _post(url, json.dumps({"sender": "me", "message": "催收\ud800半夜\x00打电话"}).encode())
    assert answer.status_code == 200
    assert answer.json() == [{"recipient_id": "me", "text": "收到：催收半夜打电话"}]
    assert bot.messages[0].text == "催收半夜打电话"


def test_a_message_over_the_limit_is_answered_in_chinese_and_not_processed(rest):
    url, bot = rest
    answer = _post(url, json.dumps({"sender": "me", "message": "催" * 51}, ensure_ascii=False).encode())
    assert answer.status_code == 200
    assert answer.json() == [{"recipient_id": "me", "text": MESSAGES["too_long"].format(limit=50)}]
    assert bot.messages == []
    assert _post(url, json.dumps({"sender": "me", "message": "催" * 50}).encode()).status_code == 200
    assert len(bot.messages) == 1


def test_the_channel_is_always_rest_and_metadata_only_an_object(rest):
    url, bot = rest
    for metadata in ({"page": "faq"}, "x", [1]):
        body = {"sender": "me", "message": "你好", "input_channel": "wechat", "metadata": metadata}
        assert _post(url, json.dumps(body).encode()).status_code == 200
    assert [m.input_channel for m in bot.messages] == ["rest"] * 3
    assert [m.metadata for m in bot.messages] == [{"page": "faq"}, None, None]


def test_limits_come_from_credentials_with_defaults():
    assert ValidatedRestInput.from_credentials(None).limits == Limits(2000, 128)
    assert ValidatedRestInput.from_credentials({"max_message_chars": "300"}).limits == Limits(300, 128)


class BrokenBot:
    """A turn that fails (the action server down inside a form) or says nothing."""

    def __init__(self, silent: bool = False) -> None:
        self.silent = silent

    async def __call__(self, message: UserMessage) -> None:
        if not self.silent:
            raise RuntimeError("Failed to execute custom action 'validate_negotiation_form'")


@pytest.mark.parametrize("silent", [False, True])
def test_a_failed_or_silent_turn_is_answered_and_a_crisis_gets_the_lines_first(silent):
    from connectors.inbound import _response_text

    with serve(ValidatedRestInput(), BrokenBot(silent)) as url:
        plain = _post(url + "webhook", json.dumps({"sender": "me", "message": "五万"}).encode()).json()
        crisis = _post(url + "webhook", json.dumps({"sender": "me", "message": "我不想活了"}).encode()).json()
        command = _post(url + "webhook", json.dumps({"sender": "me", "message": "/restart"}).encode()).json()
    # An intent given directly may be answered by nothing; only a failure is apologised for.
    assert [m["text"] for m in plain] == [MESSAGES["error"]]
    assert [m["text"] for m in crisis] == [_response_text("utter_crisis_help"), MESSAGES["error"]]
    assert "12356" in crisis[0]["text"]
    assert command == ([] if silent else [{"recipient_id": "me", "text": MESSAGES["error"]}])


def test_with_a_token_only_requests_that_carry_it_reach_the_bot(monkeypatch):
    monkeypatch.setenv("REST_CHANNEL_TOKEN", "s3cret-token-for-the-test")
    bot = Bot()
    channel = ValidatedRestInput.from_credentials({"max_message_chars": 50})
    with serve(channel, bot) as url:
        body = json.dumps({"sender": "me", "message": "你好"}).encode("utf-8")
        refused = [requests.post(url + "webhook", data=body, headers=headers, timeout=10) for headers in (
            {}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-token-for-the-test"})]
        allowed = requests.post(url + "webhook", data=body, timeout=10,
                                headers={"Authorization": "Bearer s3cret-token-for-the-test"})
    assert [r.status_code for r in refused] == [401, 401, 401] and refused[0].json() == {"error": "unauthorized"}
    assert allowed.status_code == 200 and [m.text for m in bot.messages] == ["你好"]
