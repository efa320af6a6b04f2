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
