"""Faults with the real servers: the action server killed in the middle of a form.

The crisis reply comes from Rasa alone (components/safety_policy.py), so it is given in full —
and nothing else — even for a message no crisis phrase of the lexicon matches. Other turns of
the form need the action server: the channel answers those with an apology that says to try
again and to call 110 if urgent (connectors/inbound.py), and the form goes on once the action
server is back."""

import os
import signal
import time

import pytest

from borrower.lexicon import lexicon
from connectors.wechat_protocol import MESSAGES

pytestmark = pytest.mark.e2e

# What the classifiers read as distress but no crisis phrase of lexicon/crisis.yml matches.
NOT_IN_THE_LEXICON = "真想睡过去不再醒来"


def test_with_the_action_server_killed_mid_form_a_crisis_still_gets_the_lines(fresh_servers):
    servers, sender = fresh_servers, "fault-1"
    assert not lexicon().mentions_crisis(NOT_IN_THE_LEXICON)
    assert "一共欠多少钱" in servers.text(sender, "我还不上网贷了，想协商")
    os.killpg(servers.pids["actions"], signal.SIGKILL)
    time.sleep(1)

    for message in (NOT_IN_THE_LEXICON, "我真的不想活了"):
        crisis = servers.text(sender, message)
        assert "12356" in crisis and "120" in crisis and MESSAGES["error"] not in crisis, crisis
    # The form was paused by the crisis reply; taking it up again needs the action server.
    answer = servers.say(sender, "我想继续协商还款")
    assert [reply["text"] for reply in answer] == [MESSAGES["error"]]


def test_a_crisis_in_a_new_conversation_with_the_action_server_down(fresh_servers):
    """The session start is a custom action: it fails, the crisis reply does not."""
    servers = fresh_servers
    os.killpg(servers.pids["actions"], signal.SIGKILL)
    time.sleep(1)
    crisis = servers.text("fault-2", NOT_IN_THE_LEXICON)
    assert "12356" in crisis and "110" in crisis, crisis


def test_the_form_goes_on_when_the_action_server_is_back(fresh_servers):
    servers, sender = fresh_servers, "fault-3"
    assert "一共欠多少钱" in servers.text(sender, "我还不上网贷了，想协商")
    os.killpg(servers.pids["actions"], signal.SIGKILL)
    time.sleep(1)
    assert servers.text(sender, "大概五万") == MESSAGES["error"]
    servers.restart("actions")
    assert "每月收入" in servers.text(sender, "大概五万")
