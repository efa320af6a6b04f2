"""What every channel checks before a message reaches Rasa: who sent it and what it says.

A sender id is an identity (cases belong to it), so a malformed one is refused, never repaired:
it must be a string of 1 to `max_sender_chars` printable characters. A message is text: NUL,
other control characters and lone surrogates (which no encoder can write, so the tracker store
failed on them) are removed, and a message longer than `max_message_chars` is not processed but
answered with connectors/messages.yml `too_long`.
"""

import re
from dataclasses import dataclass
from typing import Any, Dict, Optional, Text

from connectors.wechat_protocol import MESSAGES

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
