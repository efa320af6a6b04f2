"""Goodbyes and thanks. After a crisis message in the same session, a goodbye or a thank-you is
the moment to check in once more and repeat where help is (12356, 110 / 120): a farewell after
despair can be a warning sign the words alone do not show."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

CRISIS_INTENT = "express_distress"


def crisis_in_session(tracker: Tracker) -> bool:
    """Whether a user message of the current session was read as a crisis message."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent == CRISIS_INTENT:
                return True
    return False


def closing(dispatcher: CollectingDispatcher, tracker: Tracker, plain: Text, after_crisis: Text) -> List[EventType]:
    dispatcher.utter_message(response=after_crisis if crisis_in_session(tracker) else plain)
    return []


class ActionGoodbye(Action):
    def name(self) -> Text:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return closing(dispatcher, tracker, "utter_goodbye", "utter_goodbye_after_crisis")


class ActionYouAreWelcome(Action):
    def name(self) -> Text:
        return "action_you_are_welcome"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return closing(dispatcher, tracker, "utter_you_are_welcome", "utter_welcome_after_crisis")
