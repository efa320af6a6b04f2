"""Faults with the real servers: the action server killed in the middle of a form. Rasa then
fails the whole turn (its slot extraction calls the form's validation action), which used to
give silence — even to a crisis message. The channel answers instead: the crisis lines first
when the message needs them, and an apology that says to try again and to call 110 if urgent."""

import os
import signal
import time

import pytest

from connectors.wechat_protocol import MESSAGES
from tests.support.servers import ServerError, running_servers

pytestmark = pytest.mark.e2e


@pytest.fixture
def servers_to_break(tmp_path, trained_model):
    try:
        with running_servers(tmp_path, trained_model) as started:
            yield started
    except ServerError as error:
        pytest.fail(str(error))


def test_with_the_action_server_killed_mid_form_a_crisis_still_gets_the_lines(servers_to_break):
    servers, sender = servers_to_break, "fault-1"
    assert "一共欠多少钱" in servers.text(sender, "我还不上网贷了，想协商")
    os.killpg(servers.pids["actions"], signal.SIGKILL)
    time.sleep(1)

    crisis = servers.text(sender, "我真的不想活了")
    assert crisis.index("12356") < crisis.index(MESSAGES["error"]) and "120" in crisis
    answer = servers.say(sender, "大概五万")
    assert [reply["text"] for reply in answer] == [MESSAGES["error"]]
