"""WeChat's server APIs that the channel calls, with non-blocking HTTP (aiohttp): the access
token and sending a message outside the passive reply (Official Account: the customer-service
message API; WeCom: message/send).

One `AccessToken` per account and process, shared by every request: fetched when first needed,
refreshed five minutes before it expires and when WeChat says it is no longer valid. The
Official Account uses `/cgi-bin/stable_token`, which does not invalidate the token other
processes hold (`/cgi-bin/token` would, and is limited to 2000 calls a day)."""

import asyncio
import json
import logging
import time
from typing import Any, Dict, Optional

import aiohttp

from connectors.wechat_protocol import Settings

logger = logging.getLogger(__name__)

REFRESH_MARGIN_S = 300
TIMEOUT = aiohttp.ClientTimeout(total=10)
# errcodes meaning "this token is not valid (any more)"
TOKEN_INVALID = {40001, 40014, 42001}


class WeChatApiError(RuntimeError):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode


class WeChatApi:
    """The calls one account needs, against `settings.api_base` (WeChat's, or a local fake)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._token: Optional[str] = None
        self._expires_at = 0.0
        self._lock: Optional[asyncio.Lock] = None
        self._session: Optional[aiohttp.ClientSession] = None

    async def _call(self, method: str, path: str, **kwargs: Any) -> Dict[str, Any]:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        async with self._session.request(method, self.settings.api_base + path, **kwargs) as response:
            data = json.loads(await response.text())
        if data.get("errcode", 0) != 0:
            raise WeChatApiError(int(data["errcode"]), str(data.get("errmsg", "")))
        return data

    async def token(self, refresh: bool = False) -> str:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # one fetch at a time; the others wait and reuse it
            if refresh or not self._token or time.time() > self._expires_at - REFRESH_MARGIN_S:
                settings = self.settings
                if settings.kind == "wecom":
                    data = await self._call("GET", "/cgi-bin/gettoken", params={
                        "corpid": settings.receive_id, "corpsecret": settings.secret})
                else:
                    data = await self._call("POST", "/cgi-bin/stable_token", json={
                        "grant_type": "client_credential", "appid": settings.receive_id,
                        "secret": settings.secret, "force_refresh": refresh})
                self._token = data["access_token"]
                self._expires_at = time.time() + int(data.get("expires_in", 7200))
            return self._token

    async def send_text(self, user: str, content: str) -> None:
        """Sends one text message to a user; retried once with a fresh token if WeChat says
        the token is invalid."""
        if self.settings.kind == "wecom":
            path = "/cgi-bin/message/send"
            body = {"touser": user, "msgtype": "text", "agentid": int(self.settings.agent_id or 0),
                    "text": {"content": content}}
        else:
            path = "/cgi-bin/message/custom/send"
            body = {"touser": user, "msgtype": "text", "text": {"content": content}}
        # WeChat wants the characters themselves, not \\u escapes.
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        for attempt in (1, 2):
            token = await self.token(refresh=attempt == 2)
            try:
                await self._call("POST", path, params={"access_token": token}, data=payload,
                                 headers=headers)
                return
            except WeChatApiError as error:
                if error.errcode not in TOKEN_INVALID or attempt == 2:
                    raise

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
