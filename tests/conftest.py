import itertools
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    *,
    text: str = "",
    intent: str = "inform",
    entities: Optional[List[Dict[str, Any]]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    sender_id: str = "test-user",
    input_channel: str = "rest",
):
    """A rasa-sdk Tracker built from a state dict, as the action server receives it: its events
    end with the latest user message (on `input_channel`) unless `events` has user messages."""
    from rasa_sdk import Tracker

    events = list(events or [])
    if not any(event.get("event") == "user" for event in events):
        events.append({"event": "user", "timestamp": None, "text": text, "input_channel": input_channel,
                       "parse_data": {"intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}})
    return Tracker.from_dict(
        {
            "sender_id": sender_id,
            "slots": slots or {},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 1.0},
                "entities": entities or [],
            },
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
    )


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The project's model, trained first if its inputs changed (scripts/train.sh: a no-op when
    it is up to date). Only the tests that load a model ask for it, so a selection without them
    (tests/unit) never waits for a training."""
    import subprocess

    from tests.support.servers import default_model

    result = subprocess.run(["bash", str(ROOT / "scripts" / "train.sh")], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"training failed:\n{(result.stdout + result.stderr)[-3000:]}")
    path = default_model()
    assert path.exists(), f"scripts/train.sh left no model at {path}"
    return path


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the session (tests/support/postgres.py); a loud skip where
    none can be started."""
    from tests.support import postgres

    missing = postgres.available()
    if missing:
        pytest.skip(f"!!! NOT TESTED ON POSTGRESQL: {missing} !!!")
    yield from postgres.running_server()


_databases = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """An empty database for one test: a SQLite file, then a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    from sqlalchemy import create_engine, text

    server = request.getfixturevalue("postgres_server")
    name = f"test_{next(_databases)}"
    with create_engine(server, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    return server.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(autouse=True, scope="session")
def _secret_key():
    """A key for the case store's secrets (borrower/secret.py), so tests write no key file."""
    from cryptography.fernet import Fernet

    os.environ.setdefault("CASES_SECRET_KEY", Fernet.generate_key().decode())


@pytest.fixture
def tracker_factory():
    return make_tracker


@pytest.fixture
def dispatcher():
    from rasa_sdk.executor import CollectingDispatcher

    return CollectingDispatcher()


@pytest.fixture
def case_db(tmp_path, monkeypatch):
    """A fresh SQLite case database for one test; actions use it through CASES_DB_URL."""
    import actions.cases

    url = f"sqlite:///{tmp_path / 'cases.db'}"
    monkeypatch.setenv("CASES_DB_URL", url)
    monkeypatch.setattr(actions.cases, "_store", None)
    yield url
    actions.cases._store = None


def responses(dispatcher) -> List[str]:
    """Names of the responses an action dispatched, in order."""
    return [message.get("response") for message in dispatcher.messages]


def rendered(dispatcher, response: str) -> Dict[str, Any]:
    """The template variables dispatched with `response` (its first occurrence)."""
    message = next(m for m in dispatcher.messages if m.get("response") == response)
    return {key: value for key, value in message.items() if key not in _MESSAGE_KEYS}


_MESSAGE_KEYS = {"text", "buttons", "elements", "custom", "template", "response", "image",
                 "attachment", "json_message", "quick_replies"}

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """domain.yml as the action server receives it."""
    import yaml

    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
