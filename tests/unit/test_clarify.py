"""actions/clarify.py: an unclear message gets the likeliest requests as Chinese buttons, never
the crisis reply or small talk, and always 「都不是」."""

from actions.clarify import ActionAskAffirmation
from tests.conftest import responses


def _ranked(*names):
    return [{"name": name, "confidence": 0.1} for name in names]


async def test_the_likeliest_safe_requests_are_offered_as_buttons(tracker_factory, dispatcher, domain):
    tracker = tracker_factory(text="那个钱的事咋整", intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = _ranked(
        "nlu_fallback", "express_distress", "negotiate_repayment", "greet", "ask_interest_legality", "ask_evidence",
        "report_harassment")
    assert await ActionAskAffirmation().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_ask_which"]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/negotiate_repayment", "/ask_interest_legality", "/ask_evidence", "/deny"]
    assert [b["title"] for b in buttons] == ["还不上了，想协商还款", "问利息或收费合不合法", "问该留哪些证据", "都不是"]


async def test_a_flat_ranking_offers_the_three_journeys(tracker_factory, dispatcher, domain):
    tracker = tracker_factory(text="？？", intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = _ranked("nlu_fallback", "greet", "thank")
    await ActionAskAffirmation().run(dispatcher, tracker, domain)
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        "/complain_platform", "/report_harassment", "/negotiate_repayment", "/deny"]
