"""Rasa's REST channel with its input checked at the edge (connectors/inbound.py).

Rasa's own channel reads `request.json.get(...)` without looking: a body that is not a JSON object
(`[1,2,3]`, `"hi"`, `null`, nothing) answered 500, a message that is not a string got silence, a
lone surrogate in the sender stopped the server (the tracker store could not encode it), and the
client chose its `input_channel` (so it could pass for WeChat). Here a POST to /webhook must be a
JSON object with a valid `sender` and a string `message`, else 400 with a JSON `error`; the
message is cleaned of what cannot be stored; one over the length limit is answered in Chinese
and not processed; the input channel is always `rest` and `metadata` only an object. A turn that
fails or says nothing is answered by the channel (`answered`: the crisis lines first when the
message needs them).

The REST channel is for trusted server-to-server use: whoever can reach it can speak as any
sender (README "Security"). With a token (`REST_CHANNEL_TOKEN` in the environment, or `token` in
credentials.yml) every POST must carry `Authorization: Bearer <token>`, else 401.
"""

import hmac
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from connectors.inbound import Limits, Refused, answered, check_sender, clean_message, too_long


class ValidatedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"  # what Rasa's own REST channel is called: URL and input_channel unchanged

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ValidatedRestInput":
        token = (credentials or {}).get("token") or os.environ.get("REST_CHANNEL_TOKEN") or None
        return cls(Limits.from_config(credentials), token=token)

    def __init__(self, limits: Limits = Limits(), token: Optional[Text] = None) -> None:
        self.limits = limits
        self.token = token

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        return req.ctx.sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        return req.ctx.message

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = request.json.get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def _checked(self, request: Request) -> Optional[response.HTTPResponse]:
        """None when the request may go on (values in request.ctx), else the answer to it."""
        if self.token is not None:
            given = request.headers.get("Authorization", "").encode("utf-8")
            if not hmac.compare_digest(given, f"Bearer {self.token}".encode("utf-8")):
                return response.json({"error": "unauthorized"}, status=401)
        try:
            body = request.json
        except Exception:  # sanic's BadRequest for malformed JSON
            body = None
        if not isinstance(body, dict):
            return response.json({"error": "the body must be a JSON object"}, status=400)
        try:
            request.ctx.sender = check_sender(body.get("sender"), self.limits)
            request.ctx.message = clean_message(body.get("message"))
        except Refused as refused:
            return response.json({"error": str(refused)}, status=400)
        reply = too_long(request.ctx.message, self.limits)
        if reply:
            return response.json([{"recipient_id": request.ctx.sender, "text": reply}])
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = super().blueprint(answered(on_new_message))

        @webhook.middleware("request")
        async def check(request: Request) -> Optional[response.HTTPResponse]:
            if request.method == "POST" and request.path.rstrip("/").endswith("/webhook"):
                return self._checked(request)
            return None

        return webhook
