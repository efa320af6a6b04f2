"""Sanic apps on free loopback ports for the tests that talk to a channel (with a scripted bot in
place of Rasa's agent) or to the action server over real HTTP."""

import asyncio
import threading
import uuid
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from sanic import Sanic

from tests.support.servers import free_port


@contextmanager
def serve(channel: Any, bot: Callable) -> Iterator[str]:
    """The channel's blueprint in a Sanic server on a free loopback port; yields its URL."""
    app = Sanic(f"channel_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(bot), url_prefix=f"/webhooks/{channel.name()}")
    with serve_app(app) as url:
        yield f"{url}/webhooks/{channel.name()}/"


@contextmanager
def serve_app(app: Sanic) -> Iterator[str]:
    """A Sanic app on a free loopback port, in a thread; yields its base URL."""
    Sanic.test_mode = True  # Sanic rewrites its protocol class at the first start; test mode keeps the original
    port, loop, ready = free_port(), asyncio.new_event_loop(), threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(app.create_server(
            host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False))
        loop.run_until_complete(server.startup())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(server.close())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10), "the test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
