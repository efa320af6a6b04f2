"""The action server, closed by default: rasa-sdk's app (the `actions` package), listening on
SANIC_HOST (127.0.0.1 unless configured) and answering /webhook and /actions only to requests that
carry the shared secret Rasa sends (`Authorization: Bearer $ACTION_SERVER_TOKEN`, endpoints.yml).

`rasa run actions` listens on every interface and runs any tracker anyone posts: a forged one
read another sender's cases, their letter with full numbers, and deleted their case. It also
answered a failing action with a 500 whose body echoed the whole tracker into Rasa's log.

    python scripts/action_server.py --port 5055      (scripts/run.sh starts it)

It refuses to start without a secret, and warns when it listens beyond loopback.
"""

import argparse
import hmac
import ipaddress
import logging
import os
import sys
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

logger = logging.getLogger("action_server")

OPEN_PATHS = ("/health",)  # what a load balancer's probe needs, and nothing else


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def create_app(token: str):
    from rasa_sdk.endpoint import create_app as create_sdk_app
    from sanic import response
    from sanic.exceptions import SanicException
    from sanic.request import Request

    app = create_sdk_app("actions", cors_origins=None)

    @app.middleware("request")
    async def require_secret(request: Request) -> Optional[response.HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode("utf-8"), f"Bearer {token}".encode("utf-8")):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    # rasa-sdk's handler answers with the request body (the tracker: names, numbers) and logs it.
    # Here the log names the action and has the traceback; the answer has neither.
    async def failed(request: Request, exception: Exception) -> response.HTTPResponse:
        if isinstance(exception, SanicException):  # 404, malformed JSON …: their own status
            return response.json({"error": type(exception).__name__}, status=exception.status_code)
        try:
            action = request.json.get("next_action") if isinstance(request.json, dict) else None
        except SanicException:  # a body that is no JSON (a deflated one, say)
            action = None
        logger.error("action %r failed", action, exc_info=exception)
        return response.json({"error": "the action failed"}, status=500)

    app.error_handler.add(Exception, failed)
    return app


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="the action server, closed by default")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_PORT", 5055)))
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    from borrower.logmask import install

    install()  # no phone, ID or card number in the log, whatever an action or the SDK logs
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    token = os.environ.get("ACTION_SERVER_TOKEN", "")
    if len(token) < 16:
        print("ACTION_SERVER_TOKEN (16 characters or more) must be set: Rasa sends it, and the "
              "action server answers nothing else (scripts/env.sh makes one per run)", file=sys.stderr)
        return 2
    if not _loopback(args.host):
        logger.warning("the action server listens on %s: only Rasa should reach it", args.host)
    app = create_app(token)
    logger.info("action server on http://%s:%d", args.host, args.port)
    app.run(args.host, args.port, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
