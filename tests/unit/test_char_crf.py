"""CharCRFEntityExtractor: BIO labels over characters, features, training and persistence."""

import jieba
import pytest
from hypothesis import given, strategies as st
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.char_crf import CharCRFEntityExtractor, bio_labels, char_features, spans_of


@st.composite
def _spans(draw):
    """Non-overlapping (start, end, entity) spans inside a text of some length."""
    length = draw(st.integers(1, 40))
    cuts = sorted(draw(st.sets(st.integers(0, length), max_size=8)))
    pairs = list(zip(cuts[::2], cuts[1::2]))
    kinds = st.sampled_from(["platform", "loan_type"])
    return length, [(start, end, draw(kinds)) for start, end in pairs if end > start]


@given(_spans())
def test_bio_labels_and_spans_are_inverse(case):
    length, spans = case
    labels = bio_labels(length, spans)
    assert len(labels) == length
    assert spans_of(labels) == spans  # adjacent spans of one type stay apart: B- starts each


def test_a_stray_inside_label_still_makes_a_span():
    assert spans_of(["O", "I-platform", "I-platform", "O"]) == [(1, 3, "platform")]


def test_features_see_neighbours_and_the_segmenters_boundaries():
    features = char_features("借橙意贷", [(0, 1), (1, 3), (3, 4)])
    assert [f["place"] for f in features] == ["S", "B", "E", "S"]
    assert features[1]["c-1"] == "借" and features[1]["c+1"] == "意" and features[0]["c-1"] == "\x02"
    assert features[2]["b+1"] == "意贷" and features[3]["kind"] == "han"


def _message(text, spans=(), intent="complain_platform"):
    entities = [{"start": s, "end": e, "entity": "platform", "value": text[s:e]} for s, e in spans]
    message = Message(data={TEXT: text, INTENT: intent, ENTITIES: entities})
    message.set(TOKENS_NAMES[TEXT], [Token(word, start) for word, start, _ in jieba.tokenize(text)])
    return message


TRAINING = [
    ("我在速借宝借了钱", [(2, 5)]), ("闪电花的催收骂人", [(0, 3)]), ("投诉金牛贷乱收费", [(2, 5)]),
    ("我在快来花借了三千", [(2, 5)]), ("橙子分期的客服不理人", [(0, 4)]), ("想投诉鑫源贷", [(3, 6)]),
    ("催收天天打电话", []), ("我想协商还款", []), ("借了钱还不上", []), ("利息太高了", []),
]


@pytest.fixture
def trained(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("crf")
    context = ExecutionContext(GraphSchema({}), node_name="crf")
    component = CharCRFEntityExtractor.create({}, storage, resource, context)
    component.train(TrainingData([_message(text, spans) for text, spans in TRAINING]))
    return component, CharCRFEntityExtractor.load({}, storage, resource, context)


def test_a_name_it_never_saw_is_found_by_its_shape_and_context(trained):
    component, _ = trained
    [message] = component.process([_message("我在金橙花借了钱")])
    found = [(e["value"], e["entity"], e["extractor"]) for e in message.get(ENTITIES)]
    assert found == [("金橙花", "platform", "CharCRFEntityExtractor")]
    assert 0 < message.get(ENTITIES)[0]["confidence_entity"] <= 1


def test_no_name_no_entity_and_the_loaded_model_agrees(trained):
    component, loaded = trained
    for text in ("催收又打电话了", "我在快来花借了三千"):
        [a] = component.process([_message(text)])
        [b] = loaded.process([_message(text)])
        assert a.get(ENTITIES) == b.get(ENTITIES)
    [quiet] = loaded.process([_message("催收又打电话了")])
    assert not quiet.get(ENTITIES)


def test_without_annotations_nothing_is_trained_and_nothing_found(tmp_path):
    context = ExecutionContext(GraphSchema({}), node_name="crf")
    component = CharCRFEntityExtractor.create({}, LocalModelStorage(tmp_path), Resource("c"), context)
    component.train(TrainingData([_message("催收天天打电话"), _message("利息太高了")]))
    [message] = component.process([_message("我在速借宝借了钱")])
    assert not message.get(ENTITIES)
