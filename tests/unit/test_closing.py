"""Goodbyes and thanks: a check-in with the crisis lines after a crisis message in the session."""

import pytest

from actions.closing import ActionGoodbye, ActionYouAreWelcome
from tests.conftest import responses


def _user(intent, text="…"):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


SESSION = {"event": "session_started"}
CRISIS = _user("express_distress", "我不想活了")
ORDINARY = _user("complain_platform", "平台乱收费")


@pytest.mark.parametrize(
    "action, plain, after_crisis",
    [
        (ActionGoodbye, "utter_goodbye", "utter_goodbye_after_crisis"),
        (ActionYouAreWelcome, "utter_you_are_welcome", "utter_welcome_after_crisis"),
    ],
)
@pytest.mark.parametrize(
    "events, checks_in",
    [
        ([SESSION, ORDINARY], False),
        ([SESSION, CRISIS, {"event": "bot", "text": "…"}, ORDINARY], True),  # later in the same session
        ([CRISIS, SESSION, ORDINARY], False),  # a crisis of an earlier session: a new session starts afresh
        ([], False),
    ],
)
async def test_a_closing_checks_in_after_a_crisis_message_of_the_session(
    tracker_factory, dispatcher, domain, action, plain, after_crisis, events, checks_in
):
    tracker = tracker_factory(events=events + [_user("thank", "谢谢")], intent="thank", text="谢谢")
    assert await action().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == [after_crisis if checks_in else plain]


def test_the_check_ins_name_the_crisis_lines(domain):
    for name in ("utter_goodbye_after_crisis", "utter_welcome_after_crisis"):
        text = domain["responses"][name][0]["text"]
        assert "12356" in text and "110" in text and "120" in text
