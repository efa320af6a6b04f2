"""WeChat Official Account (公众号) and WeCom (企业微信) as Rasa input channels.

Registered in credentials.yml as `connectors.wechat.WeChatInput` (URL /webhooks/wechat/) and
`connectors.wechat.WeComInput` (/webhooks/wecom/); secrets come from environment variables
(README, "WeChat"). The protocol is in `wechat_protocol.py`, WeChat's APIs in `wechat_api.py`.

The 5-second rule: WeChat waits 5 s for the answer to a message, then drops the request and
tries again (3 tries). Each message is answered by one bot turn, whichever try started it
(deduplicated on MsgId). A request waits up to `passive_wait_s` (4.5 s) for the turn and
answers passively when it is ready. Otherwise, with the customer-service API (an AppSecret is
set), it answers `success` and the reply follows through the API when the turn ends; without
it (passive-only accounts), it holds the request past WeChat's timeout so that the retry gets
the reply, and the last try says the reply is coming with 「继续」.
"""

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.inbound import answered
from connectors.wechat_api import WeChatApi
from connectors.wechat_protocol import (
    MAX_BODY_BYTES, MESSAGES, REPLAY_WINDOW_S, Inbound, Pending, Rejected, Settings, chosen,
    inbound, open_envelope, parts, passive_reply, render, verify_url,
)

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


@dataclass
class Turn:
    """One user message being answered, across WeChat's tries."""

    task: "asyncio.Task[str]"
    started: float = field(default_factory=time.monotonic)
    tries: int = 0
    # None until decided: "passive" (answered in a response), "api" (sent later), "queued"
    outcome: Optional[str] = None
    passive: Optional[str] = None  # the passive answer, served again if WeChat asks again


class WeChatInput(InputChannel):
    """WeChat Official Account callbacks: plaintext, compatible or safe (AES) mode."""

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(Settings.from_env(cls.name(), credentials))

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.api = WeChatApi(settings) if settings.customer_service else None
        self.turns: Dict[str, Turn] = {}           # dedup key → turn
        self.options: Dict[str, List[str]] = {}    # sender → payloads of the numbered buttons
        self.pending: Dict[str, Pending] = {}      # sender → parts still to show (「继续」)
        self._background: Set["asyncio.Task[Any]"] = set()
        if not settings.configured:
            logger.warning("%s channel: no token / EncodingAESKey in the environment; it answers 503",
                           self.name())

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        hook = Blueprint(f"{self.name()}_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def check_url(request: Request) -> HTTPResponse:
            if not self.settings.configured:
                return response.text("not configured", status=503)
            try:
                return response.text(verify_url(self.settings, _args(request)))
            except Rejected as refused:
                logger.warning("%s: URL check refused: %s", self.name(), refused.reason)
                return response.text("forbidden", status=refused.status)

        @hook.route("/", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            arrived = time.monotonic()
            if not self.settings.configured:
                return response.text("not configured", status=503)
            try:
                if len(request.body or b"") > MAX_BODY_BYTES:
                    raise Rejected(413, "body too large")
                envelope = open_envelope(self.settings, _args(request), request.body or b"")
                message = inbound(envelope.fields)
            except Rejected as refused:
                logger.warning("%s: request refused: %s", self.name(), refused.reason)
                return response.text(refused.reason, status=refused.status)
            answer = await self.answer(message, on_new_message, arrived)
            if not answer:
                return response.text("success")
            return response.text(passive_reply(self.settings, envelope, message, answer),
                                 content_type="application/xml")

        return hook

    # --- one message, across WeChat's tries ----------------------------------------------

    async def answer(self, message: Inbound, on_new_message: Handler, arrived: float) -> Optional[str]:
        """The passive answer to this try of a message, or None for `success`."""
        self._forget_old_turns()
        turn = self.turns.get(message.key)
        if turn is None:
            turn = Turn(asyncio.ensure_future(self._reply(message, on_new_message)))
            self.turns[message.key] = turn
        turn.tries += 1
        if turn.outcome in ("api", "queued"):
            return None
        last_try = turn.tries >= self.settings.tries
        patience = self.settings.passive_wait_s
        if self.api is None and not last_try:
            patience = self.settings.hold_s  # past WeChat's timeout: it will try again
        await asyncio.wait({turn.task}, timeout=max(0.0, patience - (time.monotonic() - arrived)))
        if turn.task.done():
            return self._passive(turn, message.sender)
        if self.api is not None:
            turn.outcome = "api"
            turn.task.add_done_callback(lambda task: self._spawn(self._send_later(message.sender, task)))
            return None
        if last_try:
            turn.outcome = "queued"
            turn.task.add_done_callback(lambda task: self._queue(message.sender, _result(task)))
            return MESSAGES["still_working"]
        return None  # WeChat has given up on this request by now; the next try gets the reply

    def _passive(self, turn: Turn, sender: str) -> Optional[str]:
        if turn.outcome is None:
            turn.outcome = "passive"
            pieces = parts(_result(turn.task))
            if pieces:
                turn.passive = pieces[0]
                if len(pieces) > 1 and self.api is not None:
                    # after a moment, so that the passive answer is shown first
                    self._spawn(self._send(sender, pieces[1:], after_s=1.0))
                elif len(pieces) > 1:
                    self.pending[sender] = Pending(pieces[1:])
                    turn.passive += "\n\n" + MESSAGES["more"]
        return turn.passive

    async def _reply(self, message: Inbound, on_new_message: Handler) -> str:
        """Runs the bot turn for a message; the text to send (empty: nothing to say)."""
        sender = message.sender
        if message.kind == "ignore":
            return ""
        if message.kind == "unsupported":
            return MESSAGES["voice_unrecognised" if message.text == "voice" else "unsupported"]
        text = "/greet" if message.kind == "welcome" else message.text
        if text.strip() in MESSAGES["continue_words"] and self.pending.get(sender):
            pending = self.pending[sender]
            part = pending.take()
            if not pending.parts:
                del self.pending[sender]
            return part
        self.pending.pop(sender, None)  # a new message: parts of an older reply are stale
        text = chosen(text, self.options.pop(sender, [])) or text
        collector = CollectingOutputChannel()
        # A failed or silent turn is answered (the crisis lines first where needed), never lost.
        await answered(on_new_message)(UserMessage(text, collector, sender, input_channel=self.name()))
        reply, payloads = render(collector.messages)
        if payloads:
            self.options[sender] = payloads
        return reply

    # --- replies that come later --------------------------------------------------------

    async def _send_later(self, sender: str, task: "asyncio.Task[str]") -> None:
        await self._send(sender, parts(_result(task)))

    async def _send(self, sender: str, pieces: List[str], after_s: float = 0.0) -> None:
        """Sends parts through the API; what cannot be sent waits for 「继续」."""
        await asyncio.sleep(after_s)
        for index, piece in enumerate(pieces):
            try:
                await self.api.send_text(sender, piece)
            except Exception as error:  # 45015: the user's last message is over 48 h old, …
                logger.warning("%s: could not send a reply part: %s", self.name(), error)
                self._queue(sender, "\n".join(pieces[index:]))
                return

    def _queue(self, sender: str, text: str) -> None:
        pieces = parts(text)
        if pieces:
            self.pending.setdefault(sender, Pending()).parts.extend(pieces)

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)  # keep a reference until it is done
        task.add_done_callback(self._background.discard)

    def _forget_old_turns(self) -> None:
        # A try older than the replay window is refused anyway, so its key can go.
        horizon = time.monotonic() - REPLAY_WINDOW_S - 60
        for key in [key for key, turn in self.turns.items() if turn.started < horizon and turn.task.done()]:
            del self.turns[key]


class WeComInput(WeChatInput):
    """WeCom (企业微信) app callbacks: always encrypted, the CorpID binds the AES; replies that
    come later go through message/send."""

    @classmethod
    def name(cls) -> Text:
        return "wecom"


def _args(request: Request) -> Dict[str, str]:
    return {key: request.args.get(key) for key in request.args}


def _result(task: "asyncio.Task[str]") -> str:
    if task.cancelled():
        return ""
    if task.exception() is not None:  # _reply catches the bot's errors; this is a bug of ours
        logger.error("wechat: reply failed", exc_info=task.exception())
        return MESSAGES["error"]
    return task.result()
