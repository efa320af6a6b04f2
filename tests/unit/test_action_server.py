"""The action server (scripts/action_server.py) over real HTTP: only requests carrying the shared
secret reach an action, the health probe stays open, and a failing action's answer does not echo
the tracker (names, numbers) it was given."""

import importlib.util
import uuid

import pytest
import requests

from tests.support.channel_server import serve_app
from tests.support.servers import ROOT

SPEC = importlib.util.spec_from_file_location("action_server", ROOT / "scripts" / "action_server.py")
action_server = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(action_server)

TOKEN = "t" * 32
PHONE = "13812345678"


def _call(action: str, sender: str = "someone-else") -> dict:
    """An action call as Rasa posts it: a tracker of another sender, with a phone number."""
    return {
        "next_action": action, "sender_id": sender, "version": "3.6.21", "domain": {},
        "tracker": {"sender_id": sender, "slots": {"phone": PHONE}, "latest_message": {"text": PHONE},
                    "events": [], "paused": False, "followup_action": None, "active_loop": {},
                    "latest_action_name": "action_listen"},
    }


@pytest.fixture(scope="module")
def server():
    app = action_server.create_app(TOKEN)
    app.name = f"actions_{uuid.uuid4().hex[:8]}"
    with serve_app(app) as url:
        yield url


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                                     {"Authorization": f"Bearer {TOKEN}x"}])
def test_a_request_without_the_secret_reaches_no_action(server, headers):
    for path in ("/webhook", "/actions"):
        answer = requests.post(server + path, json=_call("action_channel_overview"), headers=headers, timeout=10) \
            if path == "/webhook" else requests.get(server + path, headers=headers, timeout=10)
        assert answer.status_code == 401 and answer.json() == {"error": "unauthorized"}
        assert PHONE not in answer.text


def test_with_the_secret_the_action_runs_and_the_probe_needs_none(server):
    assert requests.get(server + "/health", timeout=10).json() == {"status": "ok"}
    answer = requests.post(server + "/webhook", json=_call("action_channel_overview"),
                           headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert answer.status_code == 200 and "events" in answer.json()


def test_a_failing_action_answers_500_without_echoing_the_tracker(server):
    broken = {**_call("action_channel_overview"), "tracker": ["not a tracker", PHONE]}  # from_dict fails
    answer = requests.post(server + "/webhook", json=broken, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert answer.status_code == 500
    assert answer.json() == {"error": "the action failed"} and PHONE not in answer.text


def test_it_will_not_start_without_a_secret(monkeypatch, capsys):
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "short")
    assert action_server.main(["--port", "1"]) == 2
    assert "ACTION_SERVER_TOKEN" in capsys.readouterr().err


def test_malformed_json_and_unknown_paths_keep_their_own_status(server):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    assert requests.post(server + "/webhook", data=b"{not json", headers=auth, timeout=10).status_code == 400
    assert requests.get(server + "/nowhere", headers=auth, timeout=10).status_code == 404
