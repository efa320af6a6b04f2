"""Dialogue patterns stated once, for every form and outside them: Rasa-side policies that need
no training and no action server.

- SafetyFirstPolicy: the crisis reply first, in every state (then the form paused).
- ConversationRepairPolicy: what a user may do in the middle of any form — stop it, leave it for
  something else (deletion), ask a question (answered, then the form asks again), or start
  another journey (the form is left and the other one starts, keeping what is known); and, in
  every state, the lines that come first in a turn (110 for a threat, the distress check-in).
- RulePolicyAfterFirstLines: Rasa's RulePolicy, blind to those first lines, so the rules and the
  forms play the rest of the turn as usual.

Both act on the latest user message and predict a short script of actions after it, one per
prediction. Inside a form Rasa's RulePolicy predicts the form again after every user message (the
loop's "happy path") and consults rules only once the form rejects the message — after asking the
action server. Rasa marks that prediction as made without user input, which the ensemble puts
above all others; so are these, with higher priorities (RulePolicy has 6), so they come first.
Adding a form to domain.yml gives it these patterns without a new rule.
"""

import copy
from collections import deque
from typing import Any, Dict, List, Optional, Set, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from borrower import distress
from borrower.danger import reports_danger
from borrower.repair import says_resume, says_switch


# The end of a script that hands the rest of the turn to the other policies.
HAND_OVER = "<hand over>"


def distress_tier(tracker: DialogueStateTracker) -> Optional[Text]:
    """The check-in or line-unanswered tier CrisisGuard set on the latest message, if any."""
    return (tracker.latest_message.parse_data or {}).get(distress.MESSAGE_KEY) if tracker.latest_message else None


def actions_since_user(tracker: DialogueStateTracker) -> List[Text]:
    """The actions run since the latest user message, in order. Applied events: a fallback that
    reverted a later message (UserUtteranceReverted) makes the message before it the latest again,
    with what already answered it."""
    done: List[Text] = []
    for event in reversed(tracker.applied_events()):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            done.append(event.action_name)
    return list(reversed(done))


def actions_this_turn(tracker: DialogueStateTracker) -> List[Text]:
    """The actions run since the bot last listened, reverted ones included: a script never runs a
    step twice in one turn, whatever an action reverts (the two-stage fallback reverts the user's
    message, which would otherwise start the script again)."""
    done: List[Text] = []
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            if event.action_name == ACTION_LISTEN_NAME:
                break
            done.append(event.action_name)
    return done


def unfinished_form(tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
    """The form last left unfinished in this session — closed by action_deactivate_loop (stopped,
    paused), not by itself on completion — when no form ran since."""
    events = list(tracker.applied_events())
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, SessionStarted):
            return None
        if isinstance(event, ActiveLoop):
            if event.name is not None:
                return None  # a loop ran since
            closer = next((e.action_name for e in reversed(events[:index]) if isinstance(e, ActionExecuted)), None)
            if closer != ACTION_DEACTIVATE_LOOP_NAME:
                return None  # the form finished
            opened = next((e.name for e in reversed(events[:index]) if isinstance(e, ActiveLoop) and e.name), None)
            return opened if opened in domain.form_names else None
    return None


def _next(script: List[Text], done: List[Text], forms: List[Text]) -> Optional[Text]:
    """The first step of `script` not yet run (`done`); after the last, listening — or nothing
    when the last was a form, whose own next step (a question, or the actions that finish it) is
    the other policies' to predict."""
    ran: Set[Text] = set(done)
    step = next((step for step in script if step not in ran), None)
    if step == HAND_OVER:
        return None
    if step is not None:
        return step
    return None if script[-1] in forms else ACTION_LISTEN_NAME


class ScriptedPolicy(Policy):
    """A policy that answers some user messages with a fixed script of actions."""

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
        action = self.next_action(tracker, domain)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
        """The next step of the script for the latest user message; None when it has none."""
        script = self.script(tracker, (tracker.latest_message.intent or {}).get("name"), domain)
        if script is None:
            return None
        return _next(script, actions_since_user(tracker) + actions_this_turn(tracker), domain.form_names)

    def script(self, tracker: DialogueStateTracker, intent: Optional[Text], domain: Domain) -> Optional[List[Text]]:
        raise NotImplementedError


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class SafetyFirstPolicy(ScriptedPolicy):
    """For the configured intents (`replies`: intent → response in domain.yml): the response, then
    `action_deactivate_loop` when a form is active (its slots are kept, so the user can pick it up
    again), then listening. It overrules every other policy, so the crisis reply never waits for
    a form's validation on the action server."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 8, "replies": {"express_distress": "utter_crisis_help"}, "line_unanswered": None}

    def script(self, tracker: DialogueStateTracker, intent: Optional[Text], domain: Domain) -> Optional[List[Text]]:
        response = self.config["replies"].get(intent)
        if response is None:
            return None
        if self.config["line_unanswered"] and distress_tier(tracker) == distress.LINE_UNANSWERED:
            response = self.config["line_unanswered"]  # 「打了12356没人接」: the next step first
        done = actions_since_user(tracker)
        # The form is paused only when one was active when the reply went out.
        paused = tracker.active_loop_name or ACTION_DEACTIVATE_LOOP_NAME in done
        return [response] + ([ACTION_DEACTIVATE_LOOP_NAME] if paused else [])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class ConversationRepairPolicy(ScriptedPolicy):
    """Inside any form (and only there; outside, data/rules.yml answers):

    - `leave` (intent → action): the form is left, then the action — 「不弄了」 stops it at once,
      「删除我的信息」 asks to confirm the deletion;
    - `digressions` (intent → action): the question is answered, then the form asks its question
      again;
    - `journeys` (intent → form): a request for another journey leaves this form and starts that
      one; slots are kept, so what is known (platform, amount, region) is not asked again. While a
      `free_text` question is open (what happened), an answer is a description, whatever journey
      its words sound like (「他们天天打电话骚扰我家人」 describes a complaint): only a short request
      (at most `switch_max_chars`) or one with a switch word (lexicon/repair.yml `switch`:
      「先不说这个了，我想协商还款」) starts another journey.

    And after a form was left unfinished (stopped, paused by the crisis reply, left for a
    question), a message that asks to go on (「刚才说到哪了」「还是弄吧」; lexicon/repair.yml
    `resume`) takes it up again where it was, with what it knew.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 7, "leave": {}, "digressions": {}, "journeys": {}, "not_resume": [], "free_text": [],
                "switch_max_chars": 12, "first_lines": [], "crisis_replies": []}

    def script(self, tracker: DialogueStateTracker, intent: Optional[Text], domain: Domain) -> Optional[List[Text]]:
        script = self._repair(tracker, intent, domain)
        firsts = self._first_lines(tracker)
        if not firsts:
            return script
        # After the lines, the repair script — or the turn as the other policies would have
        # played it (RulePolicyAfterFirstLines does not see the lines).
        return [*firsts, *(script if script is not None else [HAND_OVER])]

    def _first_lines(self, tracker: DialogueStateTracker) -> List[Text]:
        """The lines this message gets before anything else (`first_lines`, in order): 110 for a
        threat to someone's safety (borrower/danger.py), the check-in for an uncertain distress
        signal (CrisisGuard's check-in tier) — each unless it, or a crisis reply (which has the
        numbers), went out within the last `every` user messages."""
        text = tracker.latest_message.text if tracker.latest_message else None
        signals = {"danger": reports_danger(text), "check_in": distress_tier(tracker) == distress.CHECK_IN}
        return [line["say"] for line in self.config["first_lines"]
                if signals.get(line["when"]) and not self._said_lately(tracker, line["say"], line["every"])]

    def _said_lately(self, tracker: DialogueStateTracker, response: Text, every: int) -> bool:
        """All events, reverted ones included: a fallback that reverts the message and plays it
        again (the two-stage fallback) must not bring the line again — it did, without end."""
        replies = {response, *self.config["crisis_replies"]}
        messages = 0
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                messages += 1
                if messages > every:
                    return False
            elif isinstance(event, ActionExecuted) and event.action_name in replies and messages >= 1:
                return True
        return False

    def _repair(self, tracker: DialogueStateTracker, intent: Optional[Text], domain: Domain) -> Optional[List[Text]]:
        # Forms only: Rasa's own loops (the two-stage fallback) keep their own logic.
        form = tracker.active_loop_name if tracker.active_loop_name in domain.form_names else None
        # A form this turn's script has left is still this turn's context.
        in_form = form is not None or ACTION_DEACTIVATE_LOOP_NAME in actions_since_user(tracker)
        if not in_form:
            unfinished = unfinished_form(tracker, domain)
            handled = {*self.config["leave"], *self.config["digressions"], *self.config["journeys"],
                       *self.config["not_resume"]}
            if unfinished and intent not in handled and says_resume(tracker.latest_message.text):
                return [unfinished]
            return None
        if intent is None:
            return None
        if intent in self.config["leave"]:
            return [ACTION_DEACTIVATE_LOOP_NAME, self.config["leave"][intent]]
        if intent in self.config["digressions"] and form is not None:
            return [self.config["digressions"][intent], form]
        target = self.config["journeys"].get(intent)
        if target is not None and target != form and self._switches(tracker):
            return [ACTION_DEACTIVATE_LOOP_NAME, target]
        return None

    def _switches(self, tracker: DialogueStateTracker) -> bool:
        """Whether a message that sounds like another journey asks for it: always, but for an
        answer to a free-text question, which must be short or say it switches."""
        if tracker.get_slot("requested_slot") not in self.config["free_text"]:
            return True
        text = (tracker.latest_message.text or "").strip()
        return len(text) <= self.config["switch_max_chars"] or says_switch(text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RulePolicyAfterFirstLines(RulePolicy):
    """Rasa's RulePolicy, blind to the lines ConversationRepairPolicy puts first in a turn
    (`first_lines`: 110 for a threat, the distress check-in): after one, the rules, a form's happy
    path and the fallbacks go on as if it had not been said — so a line first never needs rules
    of its own, outside forms or in them."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**RulePolicy.get_default_config(), "first_lines": []}

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        return super().predict_action_probabilities(
            self._without_first_lines(tracker, domain), domain, rule_only_data, **kwargs
        )

    def _without_first_lines(self, tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
        lines = set(self.config["first_lines"])
        events = list(tracker.events)
        last_user = max((i for i, event in enumerate(events) if isinstance(event, UserUttered)), default=-1)
        kept = [event for i, event in enumerate(events)
                if i <= last_user or not (isinstance(event, ActionExecuted) and event.action_name in lines)]
        if len(kept) == len(events):
            return tracker
        # A shallow copy with those events left out and the latest action before them: replaying
        # the events (DialogueStateTracker.from_events) costs seconds on a long conversation.
        # Nothing else of the state changes with an utterance; the copy is only read.
        seen = copy.copy(tracker)
        seen.events = deque(kept)
        last_action = next((event for event in reversed(kept) if isinstance(event, ActionExecuted)), None)
        seen.latest_action = last_action.as_sub_state() if last_action else {"action_name": ACTION_LISTEN_NAME}
        return seen
