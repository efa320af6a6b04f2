"""The website chat widget (rasa-webchat 1.0.1) on Rasa's socket.io channel, and the page that
hosts it. Registered in credentials.yml as `connectors.webchat.WebChatInput`.

The channel keeps Rasa's name "socketio": messages keep `input_channel: socketio` (as recorded
with the cases before), the socket.io path stays /socket.io/ and the page is served under the
channel's own prefix, /webhooks/socketio/. Compared with Rasa 3.6's `SocketIOInput` it
- awaits `enter_room` when it is a coroutine (python-socketio >= 5.10, RasaHQ/rasa#13027);
  without that the client never joins its session's room and never gets a reply;
- ignores a `customData` that is not a JSON object (a malformed JSON string used to raise)
  and still answers;
- sends the bot's text with markdown escaped (see `plain_text`);
- serves the page, the widget bundle and our script and stylesheet, from a fixed list.
"""

import inspect
import json
import logging
import re
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, NamedTuple, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.inbound import Limits, Refused, answered, clean_message, issued_session_id, too_long

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
WEBCHAT_VERSION = "1.0.1"
# Fetched from the npm registry and checked by scripts/web_assets.sh (build/ is git-ignored).
BUNDLE = ROOT / "build" / "web" / f"rasa-webchat-{WEBCHAT_VERSION}.js"

# The widget renders bot text as markdown (react-markdown 4, remark's GFM escapes). Our texts are
# plain: "1. " at a line start would become a list (copied without its numbers) and the asterisks
# of two masked numbers on one line (138****5678 … 110101********1234) bold text and vanish.
# Backslash-escaping exactly the characters remark lets be escaped shows them as written.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*{}\[\]()#+\-.!_>~|])")

# The page may load from and talk to its own origin only (the bundle's web font import is removed
# by scripts/web_assets.sh; this also stops anything else the widget might fetch).
_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
)


class StaticFile(NamedTuple):
    path: Path
    content_type: str
    cache_control: str


# Everything the page loads, by the name in its URL. Nothing else is served: no path traversal.
STATIC_FILES: Dict[str, StaticFile] = {
    BUNDLE.name: StaticFile(BUNDLE, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"),
    "chat.js": StaticFile(ROOT / "web" / "chat.js", "text/javascript; charset=utf-8", "no-cache"),
    "chat.css": StaticFile(ROOT / "web" / "chat.css", "text/css; charset=utf-8", "no-cache"),
}
PAGE = StaticFile(ROOT / "web" / "index.html", "text/html; charset=utf-8", "no-cache")


def plain_text(text: Text) -> Text:
    """The text with markdown escaped, so that the widget shows it as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class WebChatOutput(SocketIOOutput):
    """Rasa's socket.io output with the bot's text markdown-escaped; `sent` tells whether the
    turn said anything (connectors/inbound.py `answered`)."""

    sent = False

    async def _send_message(self, socket_id: Text, message: Any) -> None:
        if isinstance(message, dict) and isinstance(message.get("text"), str):
            message = {**message, "text": plain_text(message["text"])}
        await super()._send_message(socket_id, message)
        self.sent = True


class WebChatInput(SocketIOInput):
    """Rasa's socket.io input channel, fixed (see the module docstring), with the page."""

    limits = Limits()

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WebChatInput":
        channel = super().from_credentials(credentials)
        channel.limits = Limits.from_config(credentials)
        return channel

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        if self.sio is None:
            return super().get_output_channel()  # warns and returns None
        return WebChatOutput(self.sio, self.bot_message_evt)

    def metadata(self, data: Dict) -> Dict:
        """The widget's `customData`: an object, or a JSON string of one; anything else is
        ignored (logged), so that a broken page still gets its answers."""
        metadata = data.get(self.metadata_key) or {}
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                metadata = None
        if not isinstance(metadata, dict):
            logger.warning("socket.io: ignoring %s that is not a JSON object", self.metadata_key)
            return {}
        return metadata

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Rasa's blueprint() creates the socket.io server (self.sio) with its connect and
        # disconnect handlers. We keep the server, replace the two handlers below and attach it
        # through our own blueprint: Rasa's answers "/" with a JSON health check, ours the page.
        super().blueprint(on_new_message)
        on_new_message = answered(on_new_message)
        sio = self.sio
        webchat = SocketBlueprint(sio, self.socketio_path, "webchat", __name__)

        async def session_request(sid: Text, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            # The session id is the sender id, so an identity: only one this server issued (a
            # random uuid, which the browser keeps) is resumed; any other gets a new one.
            session_id = data.get("session_id")
            if not issued_session_id(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                # The replies go to the room named after the session id (the sender id).
                entered = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(entered):  # python-socketio >= 5.10
                    await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def user_message(sid: Text, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            if self.session_persistence:
                # Only the session this socket asked for (session_request put it in that room):
                # another socket cannot speak in someone's conversation by sending its id.
                if not issued_session_id(data.get("session_id")) or data["session_id"] not in sio.rooms(sid, namespace=self.namespace):
                    logger.warning("socket.io: message ignored: not this socket's session (no session_request?)")
                    return
                sender_id = data["session_id"]
            else:
                sender_id = sid
            output = WebChatOutput(sio, self.bot_message_evt)
            try:
                text = clean_message(data.get("message", ""))
            except Refused as refused:
                logger.warning("socket.io: message ignored: %s", refused)
                return
            reply = too_long(text, self.limits)
            if reply:
                await output.send_text_message(sender_id, reply)
                return
            await on_new_message(
                UserMessage(
                    text,
                    output,
                    sender_id,
                    input_channel=self.name(),
                    metadata=self.metadata(data),
                )
            )

        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, user_message, namespace=self.namespace)

        if not BUNDLE.is_file():
            logger.warning("website widget: %s is missing; run `bash scripts/web_assets.sh`", BUNDLE)

        @webchat.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):  # the page's links are relative to the folder
                return response.redirect(request.path + "/")
            return await _file(PAGE, {"Content-Security-Policy": _PAGE_CSP})

        @webchat.route("/static/<name>", methods=["GET"])
        async def static(_: Request, name: str) -> HTTPResponse:
            wanted = STATIC_FILES.get(name)
            if wanted is None or not wanted.path.is_file():
                return response.text("not found", status=404)
            return await _file(wanted)

        return webchat


async def _file(wanted: StaticFile, headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
    return await response.file(
        wanted.path,
        mime_type=wanted.content_type,
        headers={
            "Cache-Control": wanted.cache_control,
            "X-Content-Type-Options": "nosniff",
            **(headers or {}),
        },
    )
