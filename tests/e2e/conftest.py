"""Starts the real action server and Rasa server on free ports for the end-to-end tests."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import List

import pytest
import requests

from tests.cli.conftest import ROOT, model_path

BIN = Path(sys.executable).parent
START_TIMEOUT_S = 420


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Servers:
    rasa_url: str
    cases_db_url: str
    tracker_db_url: str
    logs: Path

    def say(self, sender: str, message: str) -> List[dict]:
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def text(self, sender: str, message: str) -> str:
        return "\n".join(reply.get("text", "") for reply in self.say(sender, message))


def _wait(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    pytest.fail(f"{url} not ready after {START_TIMEOUT_S} s:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Servers:
    if not model_path().exists():
        pytest.fail("no trained model: run `make train` (make test does it)")
    work = tmp_path_factory.mktemp("e2e")
    action_port, rasa_port = free_port(), free_port()
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "BORROWER_VAR_DIR": str(work),
        "CASES_DB_URL": f"sqlite:///{work / 'cases.db'}",
        "TRACKER_DB_URL": f"sqlite:///{work / 'tracker.db'}",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
    }
    processes = []
    try:
        action_log = work / "actions.log"
        actions = subprocess.Popen(
            [str(BIN / "rasa"), "run", "actions", "--port", str(action_port), "--actions", "actions"],
            cwd=ROOT, env=env, stdout=action_log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(actions)
        rasa_log = work / "rasa.log"
        rasa = subprocess.Popen(
            [str(BIN / "rasa"), "run", "--model", str(model_path()), "--port", str(rasa_port),
             "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"],
            cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(rasa)
        _wait(f"http://127.0.0.1:{action_port}/health", actions, action_log)
        _wait(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log)
        yield Servers(f"http://127.0.0.1:{rasa_port}", env["CASES_DB_URL"], env["TRACKER_DB_URL"], work)
    finally:
        for process in processes:
            _stop(process)


@pytest.fixture
def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"
