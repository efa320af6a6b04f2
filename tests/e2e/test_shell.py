"""`make shell` (scripts/run.sh shell) in a pseudo-terminal, as a person uses it: Chinese typed
in, Chinese printed, and a question with buttons shown as a list to pick from."""

import os
import pty
import re
import select
import signal
import subprocess
import time

import pytest

from tests.support.servers import ROOT, START_TIMEOUT_S, free_port, run_script_env

pytestmark = pytest.mark.e2e

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][AB0-2]|\r")


class Terminal:
    def __init__(self, command, env, cwd) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdin=slave, stdout=slave,
                                        stderr=slave, start_new_session=True)
        os.close(slave)
        self.screen = ""

    def expect(self, *needles: str, timeout: float = 120) -> str:
        """Reads until every needle has appeared since the last expect; returns that text."""
        start = len(self.screen)
        deadline = time.monotonic() + timeout
        while not all(needle in self.screen[start:] for needle in needles):
            assert self.process.poll() is None, f"exited:\n{self.screen[-3000:]}"
            assert time.monotonic() < deadline, f"waited for {needles}:\n{self.screen[-3000:]}"
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    chunk = b""
                self.screen += ANSI.sub("", chunk.decode("utf-8", errors="replace"))
        return self.screen[start:]

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        os.close(self.master)


def test_make_shell_speaks_chinese_and_shows_buttons_as_choices(tmp_path, trained_model):
    env = {**run_script_env(tmp_path, free_port(), free_port()),
           "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    terminal = Terminal(["bash", "scripts/run.sh", "shell"], env, ROOT)
    try:
        terminal.expect("Your input", timeout=START_TIMEOUT_S)
        terminal.type("我要投诉易鑫车贷乱收GPS费\r")
        shown = terminal.expect("哪种借款", "车贷", "以租代购 / 融资租赁", "网贷", "信用卡")
        assert "Use arrow keys" in shown  # a list to pick from, not text to retype
        terminal.type("\x1b[B")  # arrow down: the second choice
        time.sleep(0.5)
        terminal.type("\r")
        assert "多少钱" in terminal.expect("多少钱")  # 以租代购 was taken as the loan type
        terminal.type("五万二\r")
        reply = terminal.expect("我不是律师", "TS-", timeout=120)
        assert "52,000 元" in reply
    finally:
        terminal.close()
