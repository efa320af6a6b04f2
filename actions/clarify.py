"""Clarification: the first stage of Rasa's two-stage fallback (action_two_stage_fallback, rule in
data/rules.yml) asks 「你是想……吗？」 with the two or three likeliest requests as buttons (WeChat
shows them numbered) and 「都不是」; a click is the clear message, 「都不是」 asks to rephrase, and a
second unclear message gets utter_default. Rasa's own version asks "Did you mean 'intent'?" in
English. Only requests a user can safely pick are offered: never a crisis reply, never small talk.
Each offer's wording is domain.yml `utter_choice_<intent>`."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

MAX_CHOICES = 3


def choice_title(domain: Dict[Text, Any], intent: Text) -> Text:
    return domain["responses"][f"utter_choice_{intent}"][0]["text"]


def offerable(domain: Dict[Text, Any], intent: Text) -> bool:
    return f"utter_choice_{intent}" in (domain.get("responses") or {})


class ActionAskAffirmation(Action):
    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        intents = [entry["name"] for entry in ranking if offerable(domain, entry.get("name", ""))]
        for fallback in ("complain_platform", "report_harassment", "negotiate_repayment"):
            if len(intents) >= MAX_CHOICES:
                break
            if fallback not in intents:
                intents.append(fallback)  # the three journeys fill up a flat ranking
        buttons = [{"title": choice_title(domain, intent), "payload": f"/{intent}"} for intent in intents[:MAX_CHOICES]]
        buttons.append({"title": choice_title(domain, "none"), "payload": "/deny"})
        dispatcher.utter_message(response="utter_ask_which", buttons=buttons)
        return []
