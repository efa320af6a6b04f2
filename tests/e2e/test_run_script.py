"""`make run` (scripts/run.sh serve): starts both servers under supervisord, on loopback only,
answers, prints the website widget's URL, which serves the page, restarts a crashed action
server and a crashed Rasa (the conversation goes on where it was), and Ctrl-C leaves nothing."""

import os
import signal
import subprocess
import time

import pytest
import requests

from connectors.wechat_protocol import MESSAGES
from tests.support.servers import BIN, ROOT, START_TIMEOUT_S, free_port, run_script_env

pytestmark = pytest.mark.e2e


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def listening_addresses(port: int) -> set:
    """The local addresses with a listening TCP socket on `port` (/proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in open(table).read().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def _supervised_pid(env, program: str) -> int:
    """The pid supervisord reports for `program` (0: not running)."""
    result = subprocess.run([str(BIN / "supervisorctl"), "-c", "deploy/supervisord.conf", "pid", program],
                            cwd=ROOT, env={**env, "RASA_AUTOSTART": "true"}, capture_output=True, text=True, timeout=30)
    return int(result.stdout.strip()) if result.stdout.strip().isdigit() else 0


def _healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


def _kill_and_see_restarted(env, program: str, health_url: str, timeout_s: float, while_down=None) -> None:
    """kill -9 the supervised `program`, run `while_down`, and wait until supervisord has it back."""
    crashed = _supervised_pid(env, program)
    os.kill(crashed, signal.SIGKILL)
    if while_down:
        while_down()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        restarted = _supervised_pid(env, program)
        if restarted not in (0, crashed) and _healthy(health_url):
            return
        time.sleep(1)
    pytest.fail(f"{program} was not restarted")


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1 as /proc writes them


def test_run_script_serves_and_ctrl_c_stops_everything(tmp_path, trained_model):
    rasa_port, action_port = free_port(), free_port()
    env = run_script_env(tmp_path, rasa_port, action_port)
    output = tmp_path / "run.out"
    process = subprocess.Popen(
        ["bash", "scripts/run.sh", "serve"], cwd=ROOT, env=env,
        stdout=output.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while "Ctrl-C stops both servers" not in output.read_text():
            assert process.poll() is None, output.read_text()[-3000:]
            assert time.monotonic() < deadline, output.read_text()[-3000:]
            time.sleep(1)
        reply = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "run-script", "message": "你好"}, timeout=60,
        ).json()
        assert "借款人维权助手" in reply[0]["text"]
        for port in (rasa_port, action_port):  # closed by default: loopback only
            addresses = listening_addresses(port)
            assert addresses and addresses <= LOOPBACK, (port, addresses)

        # Conversations, cases and logs are the owner's only.
        for name in ("tracker.db", "rasa.log", "actions.log"):
            assert (tmp_path / name).stat().st_mode & 0o077 == 0, name

        # A crashed action server is restarted by the supervisor; Rasa never stopped.
        _kill_and_see_restarted(env, "actions", f"http://127.0.0.1:{action_port}/health", 60)
        again = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "run-script-2", "message": "催收半夜打电话骚扰我"}, timeout=60,
        ).json()
        assert again and MESSAGES["error"] not in again[0]["text"]

        # Rasa killed mid-form: a message while it is down fails clearly (no answer is faked),
        # the supervisor restarts it, and the conversation goes on where it was.
        def say(text):
            return " ".join(reply.get("text", "") for reply in requests.post(
                f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
                json={"sender": "run-script-3", "message": text}, timeout=60).json())

        assert "一共欠多少钱" in say("我还不上网贷了，想协商")
        _kill_and_see_restarted(env, "rasa", f"http://127.0.0.1:{rasa_port}/", START_TIMEOUT_S,
                                while_down=lambda: pytest.raises(requests.ConnectionError, say, "大概五万"))
        assert "每月收入" in say("大概五万")  # the tracker kept the form and its question
        widget_url = f"http://localhost:{rasa_port}/webhooks/socketio/"
        assert f"Website widget: {widget_url}" in output.read_text()
        page = requests.get(widget_url.replace("localhost", "127.0.0.1"), timeout=10)
        assert page.status_code == 200 and "<title>借款人维权助手</title>" in page.text

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while _group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _group_alive(process.pid), "processes left behind after Ctrl-C"
        for port in (rasa_port, action_port):
            with pytest.raises(requests.ConnectionError):
                requests.get(f"http://127.0.0.1:{port}/", timeout=2)
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
