"""The WeChat callback protocol, without Sanic or Rasa: signatures, the replay window, safe XML,
AES (wechatpy's crypto), inbound messages, passive replies, numbered buttons and reply parts.

Official Account (公众号) and WeCom (企业微信) share it; they differ in the id that AES binds
(AppID / CorpID), in which modes they allow (WeCom: always encrypted) and in their APIs
(`wechat_api.py`)."""

import hashlib
import hmac
import os
import re
import time
from base64 import b64decode
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from wechatpy.crypto import PrpCrypto
from wechatpy.enterprise.crypto import PrpCrypto as CorpPrpCrypto
from wechatpy.replies import TextReply

from borrower.text import normalize, parse_numeral, split_for_chat

# WeChat's own requests are a few hundred bytes; anything bigger is not from WeChat.
MAX_BODY_BYTES = 64 * 1024
# A request whose timestamp is further than this from our clock is refused (replay).
REPLAY_WINDOW_S = 300
# Passive replies and customer-service text messages: at most 2048 bytes of content.
MESSAGE_BYTES = 2000

MODES = ("plaintext", "compatible", "safe")
MESSAGES: Dict[str, str] = yaml.safe_load(
    (Path(__file__).with_name("messages.yml")).read_text(encoding="utf-8"))


class Rejected(Exception):
    """A request that is not from WeChat or cannot be read; `status` is the HTTP answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Settings:
    """One account's callback settings. Secrets come from the environment (see README)."""

    kind: str                      # "wechat" (Official Account) or "wecom"
    token: str
    receive_id: str                # AppID or CorpID: what AES binds a message to
    aes_key: str = ""              # EncodingAESKey (43 characters), empty in plaintext mode
    mode: str = "safe"
    secret: str = ""               # AppSecret / the WeCom app's Secret: customer-service API
    agent_id: str = ""             # WeCom only
    api_base: str = ""
    passive_wait_s: float = 4.5    # how long a request waits for the reply
    hold_s: float = 6.0            # passive-only: hold a request past WeChat's 5 s, so it retries
    tries: int = 3                 # WeChat tries each message this often

    @property
    def configured(self) -> bool:
        return bool(self.token and (self.mode == "plaintext" or self.aes_key))

    @property
    def customer_service(self) -> bool:
        """Can we send a reply later (customer-service API / WeCom message/send)?"""
        return bool(self.secret and self.receive_id and self.api_base)

    @classmethod
    def from_env(cls, kind: str, options: Optional[Dict[str, Any]] = None) -> "Settings":
        options = options or {}
        env = os.environ.get
        if kind == "wecom":
            prefix, id_var, default_api = "WECOM", "WECOM_CORP_ID", "https://qyapi.weixin.qq.com"
        else:
            prefix, id_var, default_api = "WECHAT", "WECHAT_APP_ID", "https://api.weixin.qq.com"
        mode = "safe" if kind == "wecom" else env(f"{prefix}_MODE", options.get("mode", "safe"))
        if mode not in MODES:
            raise ValueError(f"{prefix}_MODE must be one of {MODES}, not {mode!r}")
        return cls(
            kind=kind,
            token=env(f"{prefix}_TOKEN", ""),
            receive_id=env(id_var, ""),
            aes_key=env(f"{prefix}_ENCODING_AES_KEY", ""),
            mode=mode,
            secret=env(f"{prefix}_SECRET", ""),
            agent_id=env("WECOM_AGENT_ID", "") if kind == "wecom" else "",
            api_base=env(f"{prefix}_API_BASE", options.get("api_base", default_api)).rstrip("/"),
            passive_wait_s=float(env(f"{prefix}_PASSIVE_WAIT_S", options.get("passive_wait_s", 4.5))),
            hold_s=float(env(f"{prefix}_HOLD_S", options.get("hold_s", 6.0))),
        )


def sign(*parts: str) -> str:
    """WeChat's signature: SHA-1 of the sorted parts joined."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def same(expected: str, given: Optional[str]) -> bool:
    return hmac.compare_digest(expected.encode(), (given or "").encode())


def check_fresh(timestamp: Optional[str], now: Optional[float] = None) -> None:
    try:
        sent = int(timestamp or "")
    except ValueError:
        raise Rejected(403, "no timestamp")
    if abs((now if now is not None else time.time()) - sent) > REPLAY_WINDOW_S:
        raise Rejected(403, "stale timestamp")


def parse_xml(body: bytes) -> Dict[str, str]:
    """The children of <xml> as {tag: text}. DTDs (and so external entities and entity
    expansion) are refused, as is anything over MAX_BODY_BYTES."""
    if len(body) > MAX_BODY_BYTES:
        raise Rejected(413, "body too large")
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise Rejected(400, f"unreadable XML ({type(error).__name__})")
    if root.tag != "xml":
        raise Rejected(400, "not a WeChat message")
    return {child.tag: (child.text or "").strip() for child in root}


def _cipher(settings: Settings):
    key = b64decode(settings.aes_key + "=")
    return (CorpPrpCrypto if settings.kind == "wecom" else PrpCrypto)(key)


def decrypt(settings: Settings, encrypted: str) -> str:
    try:
        return _cipher(settings).decrypt(encrypted, settings.receive_id)
    except Exception as error:  # wrong key, padding, AppID / CorpID: all mean "not for us"
        raise Rejected(403, f"cannot decrypt ({type(error).__name__})")


def encrypt(settings: Settings, plain: str, nonce: str, timestamp: str) -> str:
    """The encrypted envelope of a passive reply (safe mode), as WeChat expects it."""
    encrypted = _cipher(settings).encrypt(plain, settings.receive_id)
    encrypted = encrypted.decode() if isinstance(encrypted, bytes) else encrypted
    return (
        "<xml><Encrypt><![CDATA[{e}]]></Encrypt><MsgSignature><![CDATA[{s}]]></MsgSignature>"
        "<TimeStamp>{t}</TimeStamp><Nonce><![CDATA[{n}]]></Nonce></xml>"
    ).format(e=encrypted, s=sign(settings.token, timestamp, nonce, encrypted), t=timestamp, n=nonce)


def verify_url(settings: Settings, args: Dict[str, str]) -> str:
    """The GET check when the URL is configured: what to answer."""
    check_fresh(args.get("timestamp"))
    timestamp, nonce, echostr = args.get("timestamp", ""), args.get("nonce", ""), args.get("echostr", "")
    if settings.kind == "wecom":
        if not same(sign(settings.token, timestamp, nonce, echostr), args.get("msg_signature")):
            raise Rejected(403, "bad msg_signature")
        return decrypt(settings, echostr)
    if not same(sign(settings.token, timestamp, nonce), args.get("signature")):
        raise Rejected(403, "bad signature")
    return echostr


@dataclass
class Envelope:
    """A verified, decrypted callback: the message fields and how to answer it."""

    fields: Dict[str, str]
    encrypted: bool
    nonce: str
    timestamp: str


def open_envelope(settings: Settings, args: Dict[str, str], body: bytes) -> Envelope:
    """Checks the replay window and the signature of a POST and returns its message."""
    check_fresh(args.get("timestamp"))
    timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
    outer = parse_xml(body)
    encrypted = "Encrypt" in outer
    if settings.mode == "safe" and not encrypted:
        raise Rejected(403, "plaintext message in safe mode")
    if encrypted and settings.mode != "plaintext":
        if not same(sign(settings.token, timestamp, nonce, outer["Encrypt"]), args.get("msg_signature")):
            raise Rejected(403, "bad msg_signature")
        inner = decrypt(settings, outer["Encrypt"])
        return Envelope(parse_xml(inner.encode("utf-8")), True, nonce, timestamp)
    if not same(sign(settings.token, timestamp, nonce), args.get("signature")):
        raise Rejected(403, "bad signature")
    return Envelope(outer, False, nonce, timestamp)


@dataclass
class Inbound:
    """What a user sent, in the terms the channel acts on."""

    kind: str            # text | welcome | ignore | unsupported
    sender: str          # OpenID / UserID
    account: str         # our account (ToUserName): the From of a passive reply
    key: str             # deduplication key: MsgId, or sender + CreateTime for events
    text: str = ""


def inbound(fields: Dict[str, str]) -> Inbound:
    sender, account = fields.get("FromUserName", ""), fields.get("ToUserName", "")
    if not sender:
        raise Rejected(400, "no sender")
    msg_type = fields.get("MsgType", "").lower()
    key = fields.get("MsgId") or f"{sender}:{fields.get('CreateTime', '')}:{fields.get('Event', '')}"
    if msg_type == "text":
        return Inbound("text", sender, account, key, fields.get("Content", ""))
    if msg_type == "voice":
        recognised = fields.get("Recognition", "")
        if recognised:  # the platform's speech recognition, when the account has it on
            return Inbound("text", sender, account, key, recognised)
        return Inbound("unsupported", sender, account, key, "voice")
    if msg_type == "event":
        event = fields.get("Event", "").lower()
        return Inbound("welcome" if event == "subscribe" else "ignore", sender, account, key)
    return Inbound("unsupported", sender, account, key, msg_type)


def passive_reply(settings: Settings, envelope: Envelope, message: Inbound, text: str) -> str:
    """The XML answer to a message (encrypted when the message was)."""
    content = text.replace("]]>", "]] >")  # the content goes into a CDATA section
    xml = TextReply(source=message.account, target=message.sender, content=content,
                    time=int(time.time())).render()
    if envelope.encrypted:
        return encrypt(settings, xml, envelope.nonce, envelope.timestamp)
    return xml


# --- buttons and long replies --------------------------------------------------------------

def render(messages: List[Dict[str, Any]]) -> Tuple[str, List[str]]:
    """Rasa's collected bot messages as one text, buttons as numbered options, and the
    payloads in their order (what a number answers)."""
    texts: List[str] = []
    payloads: List[str] = []
    for message in messages:
        if message.get("text"):
            texts.append(message["text"])
        buttons = message.get("buttons") or []
        if buttons:
            lines = []
            for button in buttons:
                payloads.append(button.get("payload") or button.get("title", ""))
                lines.append(f"{len(payloads)}. {button.get('title', '')}")
            texts.append("\n".join(lines) + "\n" + MESSAGES["choose_by_number"])
    return "\n\n".join(texts), payloads


def chosen(text: str, payloads: List[str]) -> Optional[str]:
    """The payload a reply like 「2」「２」「二」「第2个」 picks, if it picks one."""
    answer = re.sub(r"^(?:选|第)|[个项号.、。\s]+$", "", normalize(text).strip())
    number = parse_numeral(answer) if answer and len(answer) <= 3 else None
    if number and 1 <= number <= len(payloads):
        return payloads[number - 1]
    return None


def parts(text: str) -> List[str]:
    """A reply cut at line or sentence ends into pieces WeChat accepts."""
    return split_for_chat(text, MESSAGE_BYTES) if text else []


@dataclass
class Pending:
    """Reply parts not yet delivered (passive-only accounts get one message per user message)."""

    parts: List[str] = field(default_factory=list)

    def take(self) -> str:
        """The next part, with a hint when more remain."""
        part = self.parts.pop(0)
        return part + ("\n\n" + MESSAGES["more"] if self.parts else "")
