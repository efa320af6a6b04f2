"""What every channel checks before a message reaches Rasa: who sent it and what it says; and
what it says itself when a turn fails.

A sender id is an identity (cases belong to it), so a malformed one is refused, never repaired:
it must be a string of 1 to `max_sender_chars` printable characters. A message is text: NUL,
other control characters and lone surrogates (which no encoder can write, so the tracker store
failed on them) are removed, and a message longer than `max_message_chars` is not processed but
answered with connectors/messages.yml `too_long`.
"""

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from borrower.lexicon import lexicon
from connectors.wechat_protocol import MESSAGES

logger = logging.getLogger(__name__)
DOMAIN = Path(__file__).resolve().parent.parent / "domain.yml"

# The website widget's session ids as connectors/webchat.py issues them (uuid4().hex).
_ISSUED_SESSION_ID = re.compile(r"[0-9a-f]{32}")
# Control characters but tab, line feed and carriage return; lone (unpaired) surrogates.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class Limits:
    max_message_chars: int = 2000
    max_sender_chars: int = 128

    @classmethod
    def from_config(cls, config: Optional[Dict[Text, Any]]) -> "Limits":
        """The channel's limits from its credentials.yml entry; the defaults where it has none."""
        config = config or {}
        return cls(**{name: int(config[name]) for name in ("max_message_chars", "max_sender_chars")
                      if config.get(name) is not None})


class Refused(ValueError):
    """The request cannot be a message; the text says why (for the client's developer)."""


def check_sender(sender: Any, limits: Limits) -> Text:
    if not isinstance(sender, str) or not sender.strip():
        raise Refused("'sender' must be a non-empty string")
    if len(sender) > limits.max_sender_chars:
        raise Refused(f"'sender' must be at most {limits.max_sender_chars} characters")
    if _UNWRITABLE.search(sender):
        raise Refused("'sender' must not contain control characters or unpaired surrogates")
    return sender


def clean_message(text: Any) -> Text:
    """The text of a message without what cannot be stored; refuses what is not text."""
    if not isinstance(text, str):
        raise Refused("'message' must be a string")
    return _UNWRITABLE.sub("", text)


def too_long(text: Text, limits: Limits) -> Optional[Text]:
    """The reply for a message over the limit, or None."""
    if len(text) <= limits.max_message_chars:
        return None
    return MESSAGES["too_long"].format(limit=limits.max_message_chars)


def issued_session_id(value: Any) -> bool:
    """Whether `value` has the shape of a session id the widget's server issues."""
    return isinstance(value, str) and bool(_ISSUED_SESSION_ID.fullmatch(value))


@lru_cache(maxsize=None)
def _response_text(name: Text) -> Text:
    return yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"][name][0]["text"]


def _sent_anything(output: Any) -> bool:
    if isinstance(output, CollectingOutputChannel):
        return bool(output.messages)
    return bool(getattr(output, "sent", True))  # channels that do not count are trusted


def answered(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[None]]:
    """`on_new_message` that never leaves a person without an answer: when the turn fails (the
    action server down, say: Rasa then fails the whole turn inside a form) or says nothing, the
    channel says so itself — and a message with a crisis phrase gets the crisis lines first,
    from domain.yml, whatever else is down."""

    async def handle(message: UserMessage) -> None:
        failed = False
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("the turn failed")  # no text: it may hold personal numbers
            failed = True
        if not failed and (_sent_anything(message.output_channel) or (message.text or "").startswith("/")):
            return  # an intent given directly ("/restart") may be answered by nothing
        output, sender = message.output_channel, message.sender_id
        if lexicon().mentions_crisis(message.text):
            await output.send_text_message(sender, _response_text("utter_crisis_help"))
        await output.send_text_message(sender, MESSAGES["error"])

    return handle
