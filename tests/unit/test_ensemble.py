"""IntentEnsemble: trains, persists, loads, and averages DIET's ranking with its own."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.ensemble import IntentEnsemble

TRAINING = {
    "report_harassment": ["催收天天打我电话", "催收打给我爸妈了", "催收上门堵我", "被爆通讯录了"],
    "ask_collection_rules": ["催收能打给我爸妈吗", "催收上门合法吗", "爆通讯录违法吗", "催收可以半夜打电话吗"],
}


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def _context():
    return ExecutionContext(GraphSchema({}), node_name="ensemble")


def _trained(storage, weight=0.5):
    resource = Resource("ensemble")
    component = IntentEnsemble.create({"weight": weight}, storage, resource, _context())
    data = TrainingData([
        Message(data={TEXT: text, INTENT: intent}) for intent, texts in TRAINING.items() for text in texts
    ])
    component.train(data)
    return component, resource


def _diet_says(text, intent, confidence, runner_up=None):
    message = Message(data={TEXT: text})
    ranking = [{"name": intent, "confidence": confidence}]
    if runner_up:
        ranking.append({"name": runner_up, "confidence": 1 - confidence})
    message.set(INTENT, ranking[0], add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
    return message


def test_an_unsure_diet_answer_is_outvoted(storage):
    component, _ = _trained(storage)
    diet = _diet_says("催收打给我爸妈合法吗", "report_harassment", 0.55, "ask_collection_rules")
    [message] = component.process([diet])
    assert message.get(INTENT)["name"] == "ask_collection_rules"
    confidences = [entry["confidence"] for entry in message.get(INTENT_RANKING_KEY)]
    assert confidences == sorted(confidences, reverse=True) and sum(confidences) == pytest.approx(1.0)


def test_a_confident_diet_answer_stands(storage):
    component, _ = _trained(storage)
    [message] = component.process([_diet_says("催收打给我爸妈合法吗", "report_harassment", 1.0)])
    assert message.get(INTENT)["name"] == "report_harassment"


def test_weight_zero_keeps_diets_ranking(storage):
    component, _ = _trained(storage, weight=0.0)
    [message] = component.process([_diet_says("催收上门合法吗", "report_harassment", 0.9)])
    assert message.get(INTENT) == {"name": "report_harassment", "confidence": pytest.approx(0.9)}


def test_the_trained_model_survives_persist_and_load(storage):
    component, resource = _trained(storage)
    loaded = IntentEnsemble.load({"weight": 0.5}, storage, resource, _context())
    text = "催收可以上门吗"
    [a] = component.process([_diet_says(text, "report_harassment", 0.5)])
    [b] = loaded.process([_diet_says(text, "report_harassment", 0.5)])
    assert a.get(INTENT_RANKING_KEY) == b.get(INTENT_RANKING_KEY)
