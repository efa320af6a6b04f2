"""Talk to the WeChat channel as WeChat does: messages built as XML, signed, encrypted in safe
mode, and WeChat's retry on a slow answer; plus a local stand-in for WeChat's API (token and
customer-service messages) on loopback, since WeChat's servers are not reachable from here.

`make wechat-sim` starts the servers with throw-away credentials and chats from the terminal
(`python -m connectors.wechat_sim --help`). The tests use the same `WeChatUser` and `FakeWeChatApi`."""

import argparse
import json
import os
import random
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlparse

import requests

from connectors.wechat_protocol import Settings, decrypt, encrypt, parse_xml, sign


@dataclass
class Answer:
    status: int
    body: str
    text: Optional[str] = None  # the reply's content, decrypted; None for success / an error


class WeChatUser:
    """One WeChat user writing to the account at `url` (…/webhooks/wechat/ or …/wecom/)."""

    def __init__(self, url: str, settings: Settings, openid: Optional[str] = None) -> None:
        self.url = url
        self.settings = settings
        self.openid = openid or "o" + uuid.uuid4().hex[:27]
        self.account = "gh_" + settings.receive_id[-12:] if settings.kind == "wechat" else settings.receive_id

    def xml(self, msg_type: str, msg_id: Optional[str] = None, **fields: str) -> str:
        body = "".join(f"<{key}><![CDATA[{value}]]></{key}>" for key, value in fields.items())
        msg_id_xml = f"<MsgId>{msg_id}</MsgId>" if msg_id else ""
        agent = f"<AgentID>{self.settings.agent_id}</AgentID>" if self.settings.kind == "wecom" else ""
        return (f"<xml><ToUserName><![CDATA[{self.account}]]></ToUserName>"
                f"<FromUserName><![CDATA[{self.openid}]]></FromUserName>"
                f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>"
                f"{body}{msg_id_xml}{agent}</xml>")

    def text(self, content: str, msg_id: Optional[str] = None, **kwargs) -> Answer:
        return self.post(self.xml("text", msg_id or new_msg_id(), Content=content), **kwargs)

    def post(self, xml: str, timestamp: Optional[int] = None, signature: Optional[str] = None,
             timeout: float = 30.0, raw: Optional[bytes] = None) -> Answer:
        """Sends a message as WeChat would (signed, encrypted per mode). Raises
        requests.Timeout when the answer takes longer than `timeout` (WeChat's 5 s)."""
        timestamp_s = str(timestamp if timestamp is not None else int(time.time()))
        nonce = str(random.randint(10**8, 10**9))
        args = {"timestamp": timestamp_s, "nonce": nonce, "openid": self.openid,
                "signature": sign(self.settings.token, timestamp_s, nonce)}
        body = xml
        if self.settings.mode != "plaintext":
            envelope = parse_xml(encrypt(self.settings, xml, nonce, timestamp_s).encode())
            body = f"<xml><ToUserName><![CDATA[{self.account}]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
            args.update(encrypt_type="aes", msg_signature=envelope["MsgSignature"])
        if signature is not None:
            args["signature"] = args["msg_signature"] = signature
        reply = requests.post(self.url, params=args, data=raw if raw is not None else body.encode("utf-8"),
                              headers={"Content-Type": "text/xml"}, timeout=timeout)
        return Answer(reply.status_code, reply.text, self._content(reply))

    def _content(self, reply: requests.Response) -> Optional[str]:
        if reply.status_code != 200 or reply.text in ("", "success"):
            return None
        fields = parse_xml(reply.content)
        if "Encrypt" in fields:
            if fields["MsgSignature"] != sign(self.settings.token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"]):
                raise AssertionError("the reply's msg_signature is wrong")
            fields = parse_xml(decrypt(self.settings, fields["Encrypt"]).encode("utf-8"))
        if fields.get("ToUserName") != self.openid or fields.get("FromUserName") != self.account:
            raise AssertionError("the reply is not addressed to this user from this account")
        return fields.get("Content")

    def verify_url(self, echostr: str = "1616140317555161061") -> Answer:
        timestamp, nonce = str(int(time.time())), str(random.randint(10**8, 10**9))
        if self.settings.kind == "wecom":
            echo = parse_xml(encrypt(self.settings, echostr, nonce, timestamp).encode())["Encrypt"]
            args = {"msg_signature": sign(self.settings.token, timestamp, nonce, echo), "echostr": echo}
        else:
            args = {"signature": sign(self.settings.token, timestamp, nonce), "echostr": echostr}
        reply = requests.get(self.url, params={**args, "timestamp": timestamp, "nonce": nonce}, timeout=10)
        return Answer(reply.status_code, reply.text)


def new_msg_id() -> str:
    return str(random.randint(10**18, 10**19 - 1))


@dataclass
class FakeWeChatApi:
    """WeChat's token and message APIs, on 127.0.0.1: records what it is asked to send."""

    secret: str
    sent: List[Tuple[str, str]] = field(default_factory=list)   # (user, content)
    token_calls: int = 0
    expires_in: int = 7200                                      # what the token calls say
    failures: List[int] = field(default_factory=list)           # errcodes for the next sends
    port: int = 0

    def __post_init__(self) -> None:
        api = self
        tokens: Dict[str, float] = {}

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _json(self, data: dict) -> None:
                body = json.dumps(data, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _token(self, secret: str) -> None:
                api.token_calls += 1
                if secret != api.secret:
                    return self._json({"errcode": 40125, "errmsg": "invalid appsecret"})
                token = uuid.uuid4().hex
                tokens[token] = time.time() + api.expires_in
                self._json({"access_token": token, "expires_in": api.expires_in})

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/cgi-bin/gettoken":
                    return self._token(query.get("corpsecret", ""))
                self._json({"errcode": 404, "errmsg": "unknown api"})

            def do_POST(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                data = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if url.path == "/cgi-bin/stable_token":
                    return self._token(data.get("secret", ""))
                if url.path in ("/cgi-bin/message/custom/send", "/cgi-bin/message/send"):
                    if query.get("access_token") not in tokens:
                        return self._json({"errcode": 40001, "errmsg": "invalid credential"})
                    if api.failures:
                        errcode = api.failures.pop(0)
                        if errcode == 40001:
                            tokens.pop(query["access_token"], None)
                        return self._json({"errcode": errcode, "errmsg": "failed on purpose"})
                    api.sent.append((data["touser"], data["text"]["content"]))
                    return self._json({"errcode": 0, "errmsg": "ok"})
                self._json({"errcode": 404, "errmsg": "unknown api"})

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_for(self, count: int, timeout: float = 30.0) -> List[Tuple[str, str]]:
        deadline = time.monotonic() + timeout
        while len(self.sent) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.sent)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def chat(url: str, settings: Settings, api: Optional[FakeWeChatApi]) -> None:
    """The terminal loop: each line is a text message; WeChat's 5-second retry is imitated."""
    user = WeChatUser(url, settings)
    print(f"模拟微信用户 {user.openid} → {url}（{settings.mode} 模式）。输入消息，Ctrl-D 退出；"
          "「/关注」模拟关注事件。")
    shown = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        xml = user.xml("event", Event="subscribe") if line == "/关注" else user.xml("text", new_msg_id(), Content=line)
        for attempt in range(1, 4):
            try:
                answer = user.post(xml, timeout=5.0)
                break
            except requests.Timeout:
                print(f"（5 秒内没有回复，微信第 {attempt + 1} 次重试）" if attempt < 3 else "（三次都超时）")
        else:
            answer = None
        if answer is not None and answer.status != 200:
            print(f"[HTTP {answer.status}] {answer.body}")
        elif answer is not None and answer.text:
            print(answer.text)
        if api is not None:  # replies sent later through the customer-service API
            time.sleep(0.5)
            for _, content in api.sent[shown:]:
                print(f"[客服消息] {content}")
            shown = len(api.sent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=f"http://localhost:{os.environ.get('RASA_PORT', '5005')}/webhooks/wechat/")
    parser.add_argument("--fake-api-port", type=int, default=0,
                        help="serve the stand-in WeChat API on this port (the server's WECHAT_API_BASE)")
    args = parser.parse_args()
    settings = Settings.from_env("wecom" if "/wecom" in args.url else "wechat")
    if not settings.configured:
        sys.exit("WECHAT_TOKEN (and WECHAT_ENCODING_AES_KEY unless WECHAT_MODE=plaintext) must be set "
                 "to the values the server uses; `make wechat-sim` sets throw-away ones.")
    api = FakeWeChatApi(settings.secret, port=args.fake_api_port) if args.fake_api_port else None
    chat(args.url, settings, api)


if __name__ == "__main__":
    main()
