"""Starts the real action server and Rasa server on free loopback ports, for the end-to-end
tests and the benchmarks. Each server runs in its own process group and is stopped with it."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT_S = 420
# The secret the servers under test share (scripts/action_server.py, endpoints.yml).
ACTION_SERVER_TOKEN = "tests-" + os.urandom(16).hex()


class ServerError(RuntimeError):
    """A server exited or did not become ready; the message ends with its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def default_model() -> Path:
    return Path(os.environ.get("MODEL_PATH", ROOT / "models" / "borrower.tar.gz"))


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total_kb = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


@dataclass
class Servers:
    rasa_url: str
    cases_db_url: str
    tracker_db_url: str
    work: Path
    pids: Dict[str, int] = field(default_factory=dict)
    ready_after_s: Dict[str, float] = field(default_factory=dict)
    starter: Optional[Callable[[str], None]] = None  # starts a server again, as a supervisor would

    def restart(self, name: str) -> None:
        """Starts `name` ("actions" or "rasa") again after a test killed it, and waits until ready."""
        self.starter(name)

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


def _wait(url: str, process: subprocess.Popen, log: Path) -> float:
    start = time.monotonic()
    while time.monotonic() - start < START_TIMEOUT_S:
        if process.poll() is not None:
            raise ServerError(f"{url} exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise ServerError(f"{url} not ready after {START_TIMEOUT_S} s:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_script_env(work: Path, rasa_port: int, action_port: int) -> Dict[str, str]:
    """The environment for starting scripts/run.sh in a test: its own ports and databases."""
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "BORROWER_VAR_DIR": str(work),
        "TRACKER_DB_URL": f"sqlite:///{work / 'tracker.db'}",
        "CASES_DB_URL": f"sqlite:///{work / 'cases.db'}",
    }
    env.pop("ACTION_ENDPOINT_URL", None)  # derived from ACTION_PORT by scripts/env.sh
    return env


@contextmanager
def running_servers(work: Path, model: Path = None, extra_env: Dict[str, str] = None) -> Iterator[Servers]:
    """Action server and Rasa server with their own SQLite files under `work`; `extra_env`
    adds to their environment (channel credentials, say)."""
    model = model or default_model()
    if not model.exists():
        raise ServerError(f"no trained model at {model}: run `make train`")
    action_port, rasa_port = free_port(), free_port()
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "BORROWER_VAR_DIR": str(work),
        "CASES_DB_URL": f"sqlite:///{work / 'cases.db'}",
        "TRACKER_DB_URL": f"sqlite:///{work / 'tracker.db'}",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "SANIC_HOST": "127.0.0.1",
        "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN,
        **(extra_env or {}),
    }
    commands = {
        "actions": [sys.executable, str(ROOT / "scripts" / "action_server.py"), "--port", str(action_port)],
        "rasa": [str(BIN / "python"), str(ROOT / "scripts" / "rasa_server.py"), "run", "--model", str(model),
                 "--interface", "127.0.0.1", "--port", str(rasa_port),
                 "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"],
    }
    health = {
        "actions": f"http://127.0.0.1:{action_port}/health",
        "rasa": f"http://127.0.0.1:{rasa_port}/",
    }
    processes: Dict[str, subprocess.Popen] = {}
    servers = Servers(f"http://127.0.0.1:{rasa_port}", env["CASES_DB_URL"], env["TRACKER_DB_URL"], work)

    def launch(name: str) -> None:
        log = (work / f"{name}.log").open("a")
        processes[name] = subprocess.Popen(
            commands[name], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        servers.pids[name] = processes[name].pid

    def start_again(name: str) -> None:
        _stop(processes[name])
        launch(name)
        servers.ready_after_s[name] = _wait(health[name], processes[name], work / f"{name}.log")

    servers.starter = start_again
    try:
        for name in commands:
            launch(name)
        for name, process in processes.items():
            servers.ready_after_s[name] = _wait(health[name], process, work / f"{name}.log")
        yield servers
    finally:
        for process in processes.values():
            _stop(process)
