"""SafetyFirstPolicy: the crisis reply comes first, in every state, from Rasa alone.

Inside a form Rasa's RulePolicy predicts the form again after every user message (the loop's
"happy path") and consults rules only once the form rejects the message — and the form asks the
action server (its validation action) before it rejects anything. With the action server down,
a message like 「真想睡过去不再醒来」 inside a form therefore failed the whole turn instead of
getting the crisis lines: the safety reply depended on a process that was not there.

This policy needs no training and no action server. When the latest user message has one of
the configured intents (`replies`: intent → response in domain.yml) it predicts, in order: the
response, `action_deactivate_loop` when a form is active (its slots are kept, so the user can
pick it up again), then `action_listen`. It overrules every other policy: Rasa marks the happy
path of a loop as a prediction made without user input, which the ensemble puts above all
others, so this prediction is marked the same way and has the higher priority.
"""

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class SafetyFirstPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # RulePolicy has priority 6.
        return {"priority": 7, "replies": {"express_distress": "utter_crisis_help"}}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)

    def next_action(self, tracker: DialogueStateTracker) -> Optional[Text]:
        """The next step of the safety reply to the latest user message; None when it needs none."""
        response = self.config["replies"].get((tracker.latest_message.intent or {}).get("name"))
        if response is None:
            return None
        done = set()
        # Applied events: a fallback that reverted the next message (UserUtteranceReverted) makes
        # the crisis message the latest one again, with its reply already given.
        for event in reversed(tracker.applied_events()):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, ActionExecuted):
                done.add(event.action_name)
        if response not in done:
            return response
        if tracker.active_loop_name and ACTION_DEACTIVATE_LOOP_NAME not in done:
            return ACTION_DEACTIVATE_LOOP_NAME
        return ACTION_LISTEN_NAME
