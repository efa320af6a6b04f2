"""components/safety_policy.py: the crisis reply first in every state — inside a form it
overrules the form's happy path (which would have asked the action server first) — then the
form paused with its slots kept, then listening."""

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered, UserUtteranceReverted
from rasa.shared.core.trackers import DialogueStateTracker

from components.safety_policy import SafetyFirstPolicy
from tests.support.servers import ROOT


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def policy(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    return SafetyFirstPolicy.create(SafetyFirstPolicy.get_default_config(), storage, Resource("safety"), context)


def _user(text, intent):
    return UserUttered(text, {"name": intent, "confidence": 1.0})


def _in_form(domain, *after):
    return DialogueStateTracker.from_events("s", [
        ActionExecuted("action_listen"), _user("我还不上了想协商", "negotiate_repayment"),
        ActionExecuted("negotiation_form"), ActiveLoop("negotiation_form"), SlotSet("requested_slot", "debt_amount"),
        ActionExecuted("action_listen"), *after], domain.slots)


def _predicted(policy, tracker, domain):
    prediction = policy.predict_action_probabilities(tracker, domain)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return (domain.action_names_or_texts[best] if prediction.max_confidence else None), prediction


def test_inside_a_form_the_crisis_reply_then_the_form_paused_then_listening(policy, domain):
    tracker = _in_form(domain, _user("真想睡过去不再醒来", "express_distress"))
    action, prediction = _predicted(policy, tracker, domain)
    assert action == "utter_crisis_help" and prediction.is_no_user_prediction and prediction.policy_priority == 7
    tracker.update(ActionExecuted("utter_crisis_help"))
    assert _predicted(policy, tracker, domain)[0] == "action_deactivate_loop"
    tracker.update(ActionExecuted("action_deactivate_loop"))
    tracker.update(ActiveLoop(None))
    assert _predicted(policy, tracker, domain)[0] == "action_listen"


def test_outside_a_form_the_crisis_reply_then_listening(policy, domain):
    tracker = DialogueStateTracker.from_events("s", [ActionExecuted("action_listen"), _user("不想活了", "express_distress")],
                                               domain.slots)
    assert _predicted(policy, tracker, domain)[0] == "utter_crisis_help"
    tracker.update(ActionExecuted("utter_crisis_help"))
    assert _predicted(policy, tracker, domain)[0] == "action_listen"


def test_other_messages_are_left_to_the_other_policies(policy, domain):
    tracker = _in_form(domain, _user("大概五万", "inform"))
    action, prediction = _predicted(policy, tracker, domain)
    assert action is None and not prediction.is_no_user_prediction


def test_it_wins_over_the_forms_happy_path_in_rasas_ensemble(policy, domain):
    """RulePolicy predicts the form again (a prediction "without user input", which Rasa's
    ensemble puts above every other); the safety prediction is chosen over it."""
    tracker = _in_form(domain, _user("真想睡过去不再醒来", "express_distress"))
    probabilities = [0.0] * domain.num_actions
    probabilities[domain.index_for_action("negotiation_form")] = 1.0
    form_again = PolicyPrediction(probabilities, "RulePolicy", policy_priority=6, is_no_user_prediction=True)
    safety = policy.predict_action_probabilities(tracker, domain)
    best = DefaultPolicyPredictionEnsemble._pick_best_policy([form_again, safety])
    assert best.policy_name == "SafetyFirstPolicy"
    assert domain.action_names_or_texts[best.max_confidence_index] == "utter_crisis_help"


def test_a_fallback_that_reverts_the_next_message_does_not_repeat_the_reply(policy, domain):
    """「大概五万」 after the crisis reply went to the default fallback, which reverts the user's
    message: the crisis message is the latest again, already answered."""
    tracker = _in_form(domain, _user("真想睡过去不再醒来", "express_distress"), ActionExecuted("utter_crisis_help"),
                       ActionExecuted("action_deactivate_loop"), ActiveLoop(None), ActionExecuted("action_listen"),
                       _user("大概五万", "inform"), ActionExecuted("action_default_fallback"),
                       UserUtteranceReverted())
    assert tracker.latest_message.intent["name"] == "express_distress"
    assert _predicted(policy, tracker, domain)[0] == "action_listen"
