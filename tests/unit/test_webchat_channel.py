"""The website widget's socket.io channel (connectors/webchat.py) driven through python-socketio's
real packet handling, rooms and emit; only the engine.io transport is replaced by a list of the
packets each client would have received.

The server here behaves like python-socketio >= 5.10 as far as RasaHQ/rasa#13027 goes: its
`enter_room` is a coroutine. Rasa 3.6's own channel calls it without await, so the client never
joins its session's room and the reply never reaches it; the tests show both."""

import asyncio
from collections import defaultdict
from typing import Dict, List

import pytest
import rasa.core.channels.socketio as rasa_socketio
import socketio
from rasa.core.channels.channel import UserMessage
from socketio import packet

from connectors.wechat_protocol import MESSAGES
from connectors.webchat import WebChatInput, WebChatOutput, plain_text

S1 = "0f5c3a3e9d2b4c8e8a7f6b5c4d3e2f1a"  # a session id as the server issues them


class AsyncEnterRoomServer(socketio.AsyncServer):
    """`enter_room` as in python-socketio >= 5.10; packets to clients are collected instead of
    being sent over engine.io; event handlers run to completion before a message call returns."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "async_handlers": False})
        self.received: Dict[str, List[packet.Packet]] = defaultdict(list)

    async def enter_room(self, sid, room, namespace=None):
        super().enter_room(sid, room, namespace)  # synchronous in the pinned 5.9

    # The two ways python-socketio 5.9 hands a packet to engine.io: one client, or a room.
    async def _send_packet(self, eio_sid, pkt):
        self.received[eio_sid].append(pkt)

    async def _send_eio_packet(self, eio_sid, eio_pkt):
        self.received[eio_sid].append(packet.Packet(encoded_packet=eio_pkt.data))

    async def connect_client(self, eio_sid: str) -> str:
        await self._handle_eio_connect(eio_sid, {})
        await self._handle_eio_message(eio_sid, "0")  # socket.io CONNECT to the default namespace
        return self.manager.sid_from_eio_sid(eio_sid, "/")

    async def client_emits(self, eio_sid: str, event: str, data) -> None:
        await self._handle_eio_message(eio_sid, packet.Packet(packet.EVENT, data=[event, data]).encode())

    def events(self, eio_sid: str) -> List[list]:
        return [pkt.data for pkt in self.received[eio_sid] if pkt.packet_type == packet.EVENT]


@pytest.fixture
def async_server(monkeypatch):
    """Rasa's channel builds its server from the AsyncServer name in its module."""
    monkeypatch.setattr(rasa_socketio, "AsyncServer", AsyncEnterRoomServer)


@pytest.fixture
def heard() -> List[UserMessage]:
    return []


def channel(cls, heard: List[UserMessage]):
    """A channel from credentials.yml's settings whose bot echoes every message to the sender."""
    channel = cls.from_credentials({
        "user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
        "session_persistence": True, "metadata_key": "customData",
    })

    async def echo(message: UserMessage) -> None:
        heard.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"收到：{message.text}")

    channel.blueprint(echo)
    return channel, channel.sio


async def test_the_reply_reaches_the_widget_when_enter_room_is_a_coroutine(async_server, heard):
    webchat, sio = channel(WebChatInput, heard)
    sid = await sio.connect_client("eio-1")
    await sio.client_emits("eio-1", "session_request", {"session_id": S1})
    assert ["session_confirm", S1] in sio.events("eio-1")
    assert S1 in sio.rooms(sid)

    await sio.client_emits("eio-1", "user_uttered", {"message": "你好", "session_id": S1, "customData": {"language": "zh"}})
    [message] = heard
    assert (message.sender_id, message.input_channel, message.metadata) == (S1, "socketio", {"language": "zh"})
    assert ["bot_uttered", {"text": "收到：你好"}] in sio.events("eio-1")


@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
async def test_rasas_own_channel_loses_the_reply_there(async_server, heard):
    """The bug the subclass fixes, shown with the same harness (so the test above can fail)."""
    _, sio = channel(rasa_socketio.SocketIOInput, heard)
    sid = await sio.connect_client("eio-1")
    await sio.client_emits("eio-1", "session_request", {"session_id": S1})
    assert S1 not in sio.rooms(sid)
    await sio.client_emits("eio-1", "user_uttered", {"message": "你好", "session_id": S1})
    assert len(heard) == 1
    assert not [event for event in sio.events("eio-1") if event[0] == "bot_uttered"]


async def test_a_new_session_gets_an_id_and_a_reload_keeps_its_own(async_server, heard):
    _, sio = channel(WebChatInput, heard)
    await sio.connect_client("eio-1")
    await sio.client_emits("eio-1", "session_request", {"session_id": None})
    [[_, new_id]] = [event for event in sio.events("eio-1") if event[0] == "session_confirm"]
    assert len(new_id) == 32

    # A reload: a new connection asking for the session it stored; the replies follow it there.
    sid = await sio.connect_client("eio-2")
    await sio.client_emits("eio-2", "session_request", {"session_id": new_id})
    assert ["session_confirm", new_id] in sio.events("eio-2") and new_id in sio.rooms(sid)
    await sio.client_emits("eio-2", "user_uttered", {"message": "还在吗", "session_id": new_id})
    assert ["bot_uttered", {"text": "收到：还在吗"}] in sio.events("eio-2")


@pytest.mark.parametrize("custom_data, metadata", [
    ('{"language": "zh"}', {"language": "zh"}),  # a JSON string, as some pages send it
    ('{"language": ', {}),  # malformed: ignored, the message is still answered
    ("[1, 2]", {}),
    (["zh"], {}),
    (None, {}),
])
async def test_custom_data_becomes_metadata_and_a_malformed_one_is_ignored(async_server, heard, custom_data, metadata):
    _, sio = channel(WebChatInput, heard)
    await sio.connect_client("eio-1")
    await sio.client_emits("eio-1", "session_request", {"session_id": S1})
    await sio.client_emits("eio-1", "user_uttered", {"message": "你好", "session_id": S1, "customData": custom_data})
    assert [message.metadata for message in heard] == [metadata]
    assert ["bot_uttered", {"text": "收到：你好"}] in sio.events("eio-1")


async def test_rasas_own_channel_crashes_on_malformed_custom_data(async_server, heard):
    _, sio = channel(rasa_socketio.SocketIOInput, heard)
    await sio.connect_client("eio-1")
    with pytest.raises(ValueError):
        await sio.client_emits("eio-1", "user_uttered", {"message": "你好", "session_id": S1, "customData": "{"})
    assert heard == []


async def test_a_message_without_session_id_is_ignored(async_server, heard):
    _, sio = channel(WebChatInput, heard)
    await sio.connect_client("eio-1")
    await sio.client_emits("eio-1", "user_uttered", {"message": "你好"})
    await sio.client_emits("eio-1", "user_uttered", "not an object")
    assert heard == []


@pytest.mark.parametrize("claimed", ["default", "someone-else", "x\ud800", 7, "0" * 33])
async def test_a_session_id_the_server_did_not_issue_is_neither_resumed_nor_heard(async_server, heard, claimed):
    """The session id is the sender id: a client may not pick another person's (or "default")."""
    _, sio = channel(WebChatInput, heard)
    sid = await sio.connect_client("eio-1")
    await sio.client_emits("eio-1", "session_request", {"session_id": claimed})
    [[_, given]] = [event for event in sio.events("eio-1") if event[0] == "session_confirm"]
    assert given != claimed and len(given) == 32 and claimed not in sio.rooms(sid)
    await sio.client_emits("eio-1", "user_uttered", {"message": "我的案件", "session_id": claimed})
    assert heard == []


async def test_another_socket_cannot_speak_in_a_session_it_did_not_ask_for(async_server, heard):
    _, sio = channel(WebChatInput, heard)
    await sio.connect_client("eio-victim")
    await sio.client_emits("eio-victim", "session_request", {"session_id": S1})
    await sio.connect_client("eio-other")
    await sio.client_emits("eio-other", "user_uttered", {"message": "删除我的信息", "session_id": S1})
    assert heard == []
    assert not [event for event in sio.events("eio-victim") if event[0] == "bot_uttered"]


async def test_the_message_is_cleaned_and_one_over_the_limit_answered_not_processed(async_server, heard):
    webchat, sio = channel(WebChatInput, heard)
    await sio.connect_client("eio-1")
    await sio.client_emits("eio-1", "session_request", {"session_id": S1})
    await sio.client_emits("eio-1", "user_uttered", {"message": "催收\ud800半夜\x00打电话", "session_id": S1})
    await sio.client_emits("eio-1", "user_uttered", {"message": 5, "session_id": S1})
    assert [message.text for message in heard] == ["催收半夜打电话"]
    await sio.client_emits("eio-1", "user_uttered", {"message": "催" * 2001, "session_id": S1})
    assert len(heard) == 1
    limit = webchat.limits.max_message_chars
    assert ["bot_uttered", {"text": MESSAGES["too_long"].format(limit=limit)}] in sio.events("eio-1")


def test_plain_text_escapes_what_markdown_would_change():
    text = "二、依据\n1. 《民法典》第 670 条。\n联系电话：138****5678　身份证号：110101********1234\n- [链接](x) _a_ `b` #c >d ~e~ |f| +g !h {i}"
    escaped = plain_text(text)
    assert escaped == (
        "二、依据\n1\\. 《民法典》第 670 条。\n联系电话：138\\*\\*\\*\\*5678　身份证号：110101\\*\\*\\*\\*\\*\\*\\*\\*1234\n"
        "\\- \\[链接\\]\\(x\\) \\_a\\_ \\`b\\` \\#c \\>d \\~e\\~ \\|f\\| \\+g \\!h \\{i\\}"
    )
    assert plain_text("没有特殊字符，换行\n保留") == "没有特殊字符，换行\n保留"


async def test_the_output_escapes_text_and_keeps_buttons():
    sent = []

    class Sio:
        async def emit(self, event, data, room):
            sent.append((event, data, room))

    output = WebChatOutput(Sio(), "bot_uttered")
    await output.send_text_with_buttons(S1, "是哪种借款？1. 车贷", [{"title": "车贷", "payload": "车贷"}])
    assert sent == [("bot_uttered", {
        "text": "是哪种借款？1\\. 车贷",
        "quick_replies": [{"content_type": "text", "title": "车贷", "payload": "车贷"}],
    }, S1)]


def test_the_output_channel_for_external_events_is_ours(async_server, heard):
    webchat, _ = channel(WebChatInput, heard)
    assert isinstance(webchat.get_output_channel(), WebChatOutput)
    with pytest.warns(UserWarning, match="cannot be recreated"):
        assert WebChatInput().get_output_channel() is None  # before the server exists


def test_the_upstream_handlers_are_replaced_not_added(async_server, heard):
    _, sio = channel(WebChatInput, heard)
    handlers = sio.handlers["/"]
    assert handlers["session_request"].__qualname__.startswith("WebChatInput.")
    assert handlers["user_uttered"].__qualname__.startswith("WebChatInput.")
    assert asyncio.iscoroutinefunction(handlers["connect"])  # Rasa's, kept
