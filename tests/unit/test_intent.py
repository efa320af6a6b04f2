"""NgramIntentClassifier: trains on characters and jieba words, ranks every intent, persists."""

import jieba
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.intent import NgramIntentClassifier, word_ngrams

TRAINING = {
    "report_harassment": ["催收天天打我电话", "催收打给我爸妈了", "催收上门堵我", "被爆通讯录了"],
    "ask_collection_rules": ["催收能打给我爸妈吗", "催收上门合法吗", "爆通讯录违法吗", "催收可以半夜打电话吗"],
    "negotiate_repayment": ["想跟银行协商分期", "还不上了能不能停息挂账", "申请延期还款", "协商还款怎么谈"],
}


def _message(text, intent=None):
    message = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    message.set(TOKENS_NAMES[TEXT], [Token(word, start) for word, start, _ in jieba.tokenize(text)])
    return message


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def _context():
    return ExecutionContext(GraphSchema({}), node_name="intent")


def _trained(storage):
    resource = Resource("intent")
    component = NgramIntentClassifier.create({}, storage, resource, _context())
    component.train(TrainingData([_message(t, i) for i, texts in TRAINING.items() for t in texts]))
    return component, resource


def test_word_ngrams_are_the_tokens_and_their_pairs():
    assert word_ngrams(["催收", " ", "上门", "合法"]) == ["催收", "上门", "合法", "催收 上门", "上门 合法"]


def test_it_ranks_every_intent_with_probabilities(storage):
    component, _ = _trained(storage)
    [message] = component.process([_message("催收半夜上门合法吗")])
    assert message.get(INTENT)["name"] == "ask_collection_rules"
    ranking = message.get(INTENT_RANKING_KEY)
    assert {entry["name"] for entry in ranking} == set(TRAINING)
    confidences = [entry["confidence"] for entry in ranking]
    assert confidences == sorted(confidences, reverse=True) and sum(confidences) == pytest.approx(1.0)


def test_an_unseen_phrasing_goes_to_the_intent_sharing_its_words(storage):
    component, _ = _trained(storage)
    [message] = component.process([_message("我想和平台协商一下分期")])
    assert message.get(INTENT)["name"] == "negotiate_repayment"


def test_the_trained_model_survives_persist_and_load(storage):
    component, resource = _trained(storage)
    loaded = NgramIntentClassifier.load({}, storage, resource, _context())
    [a] = component.process([_message("催收可以上门吗")])
    [b] = loaded.process([_message("催收可以上门吗")])
    assert a.get(INTENT_RANKING_KEY) == b.get(INTENT_RANKING_KEY)


def test_one_intent_trains_nothing_and_changes_no_message(storage):
    component = NgramIntentClassifier.create({}, storage, Resource("one"), _context())
    component.train(TrainingData([_message("你好", "greet"), _message("您好", "greet")]))
    [message] = component.process([_message("你好")])
    assert message.get(INTENT) is None


def test_without_a_trained_model_loading_leaves_messages_alone(storage):
    loaded = NgramIntentClassifier.load({}, storage, Resource("never-trained"), _context())
    [message] = loaded.process([_message("你好")])
    assert message.get(INTENT) is None
