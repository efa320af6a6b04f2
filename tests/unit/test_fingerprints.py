"""What Rasa's graph cache cannot see is in our components' fingerprints (scripts/train.sh no
longer forces a full retraining after a word-list edit)."""

from pathlib import Path

import components.chinese as chinese
from components.char_crf import CharCRFEntityExtractor
from components.chinese import LexiconSpacyTokenizer, TextNormalizer, fingerprint_of
from components.intent import NgramIntentClassifier


class _Words:
    def __init__(self, words):
        self.words = words

    def jieba_words(self):
        return self.words


def test_the_tokenizers_fingerprint_is_the_jieba_dictionary(monkeypatch):
    monkeypatch.setattr(chinese, "lexicon", lambda: _Words(["催收", "爆通讯录"]))
    before = LexiconSpacyTokenizer.fingerprint_addon({})
    assert LexiconSpacyTokenizer.fingerprint_addon({}) == before
    monkeypatch.setattr(chinese, "lexicon", lambda: _Words(["催收", "爆通讯录", "橙意贷"]))
    assert LexiconSpacyTokenizer.fingerprint_addon({}) != before


def test_trained_components_and_the_normaliser_fingerprint_their_code():
    import borrower.text
    import components.char_crf
    import components.intent

    class Elsewhere(NgramIntentClassifier):  # a subclass in another file: that file counts
        pass

    assert TextNormalizer.fingerprint_addon({}) == fingerprint_of(Path(borrower.text.__file__))
    import components.persisted

    base = Path(components.persisted.__file__)
    assert NgramIntentClassifier.fingerprint_addon({}) == fingerprint_of(Path(components.intent.__file__), base)
    assert CharCRFEntityExtractor.fingerprint_addon({}) == fingerprint_of(Path(components.char_crf.__file__), base)
    assert Elsewhere.fingerprint_addon({}) == fingerprint_of(Path(__file__), base)
    assert len({NgramIntentClassifier.fingerprint_addon({}), CharCRFEntityExtractor.fingerprint_addon({}),
                Elsewhere.fingerprint_addon({})}) == 3


def test_fingerprint_of_tells_files_and_values_apart(tmp_path):
    one, two = tmp_path / "a.yml", tmp_path / "b.yml"
    one.write_text("a: 1", encoding="utf-8")
    two.write_text("a: 2", encoding="utf-8")
    assert fingerprint_of(one) != fingerprint_of(two)
    assert fingerprint_of(["a"], 1) != fingerprint_of(["a"], 2)


def _model_inputs():
    import importlib.util

    from tests.support.servers import ROOT

    spec = importlib.util.spec_from_file_location("model_inputs", ROOT / "scripts" / "model_inputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_word_list_edit_forces_training_only_when_jieba_segments_differently(tmp_path, monkeypatch):
    """scripts/train.sh starts Rasa when scripts/model_inputs.py prints another hash: a new
    behaviour pattern (read when the model loads) must not change it, a new platform name must."""
    import shutil

    from borrower.lexicon import Lexicon
    from borrower.paths import LEXICON_DIR

    model_inputs = _model_inputs()
    copy = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, copy)

    def inputs_with(directory):
        monkeypatch.setattr(chinese, "lexicon", lambda: Lexicon.from_dir(directory))
        return model_inputs.fingerprint_of(model_inputs.addons())

    before = inputs_with(copy)
    assert not Lexicon.from_dir(copy).behaviour_spans("催收去我家门口堵人")
    behaviours = copy / "behaviours.yml"
    behaviours.write_text(behaviours.read_text(encoding="utf-8").replace(
        "  third_party_contact:\n", "  third_party_contact:\n    - 去我?(?:{places})堵人\n", 1), encoding="utf-8")
    assert Lexicon.from_dir(copy).behaviour_spans("催收去我家门口堵人")  # the edit took effect
    assert inputs_with(copy) == before
    terms = copy / "terms.yml"
    terms.write_text(terms.read_text(encoding="utf-8").replace(
        "platform:\n", "platform:\n  - {id: probe, name: 橙意贷, terms: [橙意贷]}\n", 1), encoding="utf-8")
    assert inputs_with(copy) != before
    named = [name for name, _ in model_inputs.addons()]
    assert "components.chinese.LexiconSpacyTokenizer" in named and "components.intent.NgramIntentClassifier" in named
