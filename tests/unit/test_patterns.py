"""components/patterns.py: the crisis reply first in every state — inside a form it overrules
the form's happy path (which would have asked the action server first) — then the form paused
with its slots kept; and the repair patterns of every form: stop, leave for a deletion, a
question answered then the form again, another journey started. Configured as config.yml does."""

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionReverted, ActiveLoop, SlotSet, UserUttered, UserUtteranceReverted
from rasa.shared.core.trackers import DialogueStateTracker

import yaml

from components.patterns import ConversationRepairPolicy, SafetyFirstPolicy, actions_since_user
from tests.support.servers import ROOT


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


def _configured(cls, tmp_path):
    """The policy with its config.yml settings."""
    settings = next(p for p in yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["policies"]
                    if p["name"].endswith(cls.__name__))
    config = {**cls.get_default_config(), **{k: v for k, v in settings.items() if k != "name"}}
    return cls.create(config, LocalModelStorage(tmp_path), Resource(cls.__name__), ExecutionContext(GraphSchema({}), "t"))


@pytest.fixture
def policy(tmp_path):
    return _configured(SafetyFirstPolicy, tmp_path)


@pytest.fixture
def repair(tmp_path):
    return _configured(ConversationRepairPolicy, tmp_path)


def _script(policy, tracker, domain):
    """Every action the policy predicts for the latest message, run one after the other."""
    steps = []
    for _ in range(6):
        action = _predicted(policy, tracker, domain)[0]
        if action in (None, "action_listen"):
            return steps + ([action] if action else [])
        steps.append(action)
        tracker.update(ActionExecuted(action))
        if action == "action_deactivate_loop":
            tracker.update(ActiveLoop(None))
        elif action.endswith("_form"):
            tracker.update(ActiveLoop(action))
    raise AssertionError(f"no end: {steps}")


def _user(text, intent):
    return UserUttered(text, {"name": intent, "confidence": 1.0})


def _form(domain, form, *after):
    return DialogueStateTracker.from_events("s", [
        ActionExecuted("action_listen"), _user("开始", "inform"),
        ActionExecuted(form), ActiveLoop(form), SlotSet("requested_slot", "platform"),
        ActionExecuted("action_listen"), *after], domain.slots)


def _in_form(domain, *after):
    return _form(domain, "negotiation_form", *after)


def _predicted(policy, tracker, domain):
    prediction = policy.predict_action_probabilities(tracker, domain)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return (domain.action_names_or_texts[best] if prediction.max_confidence else None), prediction


def test_inside_a_form_the_crisis_reply_then_the_form_paused_then_listening(policy, domain):
    tracker = _in_form(domain, _user("真想睡过去不再醒来", "express_distress"))
    action, prediction = _predicted(policy, tracker, domain)
    assert action == "utter_crisis_help" and prediction.is_no_user_prediction and prediction.policy_priority == 8
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


@pytest.mark.parametrize("form", ["complaint_form", "harassment_form", "negotiation_form"])
def test_every_form_stops_in_one_turn(repair, domain, form):
    tracker = _form(domain, form, _user("算了不弄了", "stop"))
    assert _script(repair, tracker, domain) == ["action_deactivate_loop", "utter_form_stopped", "action_listen"]


@pytest.mark.parametrize("form", ["complaint_form", "harassment_form", "negotiation_form"])
def test_a_question_in_any_form_is_answered_then_the_form_asks_again(repair, domain, form):
    tracker = _form(domain, form, _user("打电话给我家人合法吗", "ask_collection_rules"))
    assert _script(repair, tracker, domain) == ["action_explain_collection_rules", form]


def test_another_journey_inside_a_form_switches_to_it(repair, domain):
    tracker = _form(domain, "harassment_form", _user("我想跟平台协商分期还款", "negotiate_repayment"))
    assert _script(repair, tracker, domain) == ["action_deactivate_loop", "negotiation_form"]
    # the form's own journey is no switch: the form goes on
    same = _form(domain, "negotiation_form", _user("我想协商", "negotiate_repayment"))
    assert _script(repair, same, domain) == []


def _asked(domain, form, slot, *after):
    return DialogueStateTracker.from_events("s", [
        ActionExecuted("action_listen"), _user("开始", "inform"),
        ActionExecuted(form), ActiveLoop(form), SlotSet("requested_slot", slot),
        ActionExecuted("action_listen"), *after], domain.slots)


def test_a_description_that_sounds_like_another_journey_stays_the_answer(repair, domain):
    """What happened, asked by the complaint form: a description of harassment is the answer."""
    tracker = _asked(domain, "complaint_form", "complaint_problem",
                     _user("逾期以后他们天天打我同事电话，还把我照片发到群里", "report_harassment"))
    assert _script(repair, tracker, domain) == []


@pytest.mark.parametrize("text", ["我想协商还款", "先不说这个了，我其实是想跟银行商量分期还款的事"])
def test_a_short_or_explicit_request_still_switches_from_a_description(repair, domain, text):
    tracker = _asked(domain, "harassment_form", "harassment_detail", _user(text, "negotiate_repayment"))
    assert _script(repair, tracker, domain) == ["action_deactivate_loop", "negotiation_form"]


def test_deletion_inside_a_form_leaves_it_and_asks_to_confirm(repair, domain):
    tracker = _form(domain, "complaint_form", _user("删除我的信息", "delete_my_data"))
    assert _script(repair, tracker, domain) == ["action_deactivate_loop", "action_confirm_delete", "action_listen"]


def test_outside_a_form_the_rules_answer(repair, domain):
    tracker = DialogueStateTracker.from_events("s", [ActionExecuted("action_listen"), _user("不弄了", "stop")],
                                               domain.slots)
    assert _script(repair, tracker, domain) == []
    answer = _form(domain, "complaint_form", _user("大概五万", "inform"))
    assert _script(repair, answer, domain) == []


def test_rasas_own_loops_are_left_alone(repair, domain):
    """The two-stage fallback is a loop too, but no form: a question inside it is no digression."""
    tracker = _form(domain, "action_two_stage_fallback", _user("利息合法吗", "ask_interest_legality"))
    assert _script(repair, tracker, domain) == []


def test_a_step_never_runs_twice_in_a_turn_whatever_is_reverted(repair, domain):
    """An action that reverts the user's message (the two-stage fallback does) must not make the
    script start again: that looped until the request timed out."""
    tracker = _form(domain, "complaint_form", _user("我想协商还款", "negotiate_repayment"),
                    ActionExecuted("action_deactivate_loop"), ActiveLoop(None), ActionExecuted("negotiation_form"),
                    ActionReverted())
    assert "negotiation_form" not in actions_since_user(tracker)  # reverted: gone from the applied events
    assert _predicted(repair, tracker, domain)[0] is None


def _stopped(domain, form, *after):
    return _form(domain, form, _user("算了不弄了", "stop"), ActionExecuted("action_deactivate_loop"), ActiveLoop(None),
                 SlotSet("requested_slot", None), ActionExecuted("utter_form_stopped"), ActionExecuted("action_listen"),
                 *after)


@pytest.mark.parametrize("text, intent", [("还是弄吧 刚才说到哪了", "update_case"), ("咱们继续", "inform")])
def test_a_form_left_unfinished_is_taken_up_again(repair, domain, text, intent):
    tracker = _stopped(domain, "negotiation_form", _user(text, intent))
    assert _script(repair, tracker, domain) == ["negotiation_form"]


def test_a_finished_form_or_an_unrelated_message_is_not_resumed(repair, domain):
    tracker = _stopped(domain, "negotiation_form", _user("催收打我电话合法吗", "ask_collection_rules"))
    assert _script(repair, tracker, domain) == []
    finished = DialogueStateTracker.from_events("s", [
        ActionExecuted("action_listen"), _user("我想协商", "negotiate_repayment"), ActionExecuted("negotiation_form"),
        ActiveLoop("negotiation_form"), ActionExecuted("action_listen"), _user("2000", "inform"),
        ActionExecuted("negotiation_form"), ActiveLoop(None), SlotSet("requested_slot", None),
        ActionExecuted("action_explain_negotiation"), ActionExecuted("action_listen"), _user("继续吧", "affirm")],
        domain.slots)
    assert _script(repair, finished, domain) == []


def test_a_refusal_never_takes_a_stopped_form_up_again(repair, domain):
    tracker = _stopped(domain, "negotiation_form", _user("不想继续弄了", "deny"))
    assert _script(repair, tracker, domain) == []


def _flagged(text, intent, tier="check_in"):
    return UserUttered(text, {"name": intent, "confidence": 0.9},
                       parse_data={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [],
                                   "distress": tier})


def test_an_uncertain_signal_in_a_form_gets_one_line_then_the_turn_is_handed_over(repair, domain):
    """After the line the other policies play the turn (RulePolicyAfterFirstLines: the form)."""
    tracker = _form(domain, "negotiation_form", _flagged("每个月房租都紧巴巴的 压力大到睡不着", "inform"))
    assert _script(repair, tracker, domain) == ["utter_distress_check_in"]


def test_an_uncertain_signal_with_a_question_in_a_form_gets_the_line_and_the_answer(repair, domain):
    tracker = _form(domain, "harassment_form", _flagged("被催得快疯了 他们能打我同事电话吗", "ask_collection_rules"))
    assert _script(repair, tracker, domain) == ["utter_distress_check_in", "action_explain_collection_rules",
                                                "harassment_form"]


def test_an_uncertain_signal_outside_a_form_gets_the_line_then_hands_over(repair, domain):
    start = DialogueStateTracker.from_events("s", [ActionExecuted("action_listen"),
                                                   _flagged("被裁了 欠了一堆 真的心态崩了 想跟银行谈谈", "negotiate_repayment")],
                                             domain.slots)
    assert _script(repair, start, domain) == ["utter_distress_check_in"]


def test_the_check_in_is_not_repeated_within_a_few_messages(repair, domain):
    earlier = [_flagged("压力好大", "inform"), ActionExecuted("utter_distress_check_in"), ActionExecuted("negotiation_form"),
               ActionExecuted("action_listen")]
    tracker = _form(domain, "negotiation_form", *earlier, _flagged("真的快扛不住了 每月就三千", "inform"))
    assert _script(repair, tracker, domain) == []  # the form's own happy path, no second line
    after_crisis = _form(domain, "negotiation_form", _user("不想活了", "express_distress"),
                         ActionExecuted("utter_crisis_help"), ActionExecuted("action_listen"),
                         _flagged("还是好累 每天都失眠", "inform"))
    assert _script(repair, after_crisis, domain) == []


def test_an_unanswered_crisis_line_gets_the_next_step_first(policy, domain):
    tracker = _in_form(domain, _flagged("打了12356没人接", "express_distress", tier="line_unanswered"))
    assert _script(policy, tracker, domain) == ["utter_crisis_line_unanswered", "action_deactivate_loop",
                                                "action_listen"]


@pytest.mark.parametrize("form", ["complaint_form", "harassment_form", "negotiation_form"])
def test_a_threat_gets_110_first_in_every_form(repair, domain, form):
    tracker = _form(domain, form, _user("他们放话说今晚派人到我家堵门", "report_harassment"))
    assert _script(repair, tracker, domain)[0] == "utter_danger_first"


def test_a_threat_with_a_question_gets_110_then_the_answer(repair, domain):
    tracker = _form(domain, "negotiation_form", _user("催收说知道我儿子在哪上学 这犯法吗", "ask_collection_rules"))
    assert _script(repair, tracker, domain) == ["utter_danger_first", "action_explain_collection_rules",
                                                "negotiation_form"]


def test_rule_policy_after_first_lines_sees_the_turn_without_them(domain, tmp_path):
    from components.patterns import RulePolicyAfterFirstLines
    policy = _configured(RulePolicyAfterFirstLines, tmp_path)
    tracker = _form(domain, "negotiation_form", _user("有人天天蹲在我家楼下", "inform"),
                    ActionExecuted("utter_danger_first"))
    seen = policy._without_first_lines(tracker, domain)
    assert seen.latest_action_name == "action_listen" and seen.active_loop_name == "negotiation_form"
    assert tracker.latest_action_name == "utter_danger_first"  # the real tracker is left alone


def test_a_message_the_two_stage_fallback_plays_again_gets_its_first_line_once(repair, domain):
    """The two-stage fallback reverts the user's message and plays it again after an
    action_listen: the 110 line came again on every replay, without end (a request timed out)."""
    threat = "他们天天打电话还说要来我家闹"
    tracker = DialogueStateTracker.from_events("s", [
        ActionExecuted("action_listen"), _user("嗯嗯那个", "nlu_fallback"),
        ActionExecuted("action_two_stage_fallback"), ActiveLoop("action_two_stage_fallback"),
        ActionExecuted("action_listen"), _user(threat, "report_harassment"),
        ActionExecuted("utter_danger_first"), ActionExecuted("action_two_stage_fallback"), ActiveLoop(None),
        UserUtteranceReverted(), ActionExecuted("action_listen"), _user(threat, "report_harassment")],
        domain.slots)
    assert _predicted(repair, tracker, domain)[0] is None  # the rest of the turn is the others'
