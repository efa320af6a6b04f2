"""NLU components for Chinese chat input.

- TextNormalizer: first in the pipeline; Traditional → Simplified (OpenCC), full-width →
  half-width, control characters removed, length bounded. Everything after it, including the
  spaCy entity ruler and the classifiers, sees one script.
- LexiconSpacyTokenizer: spaCy's tokenizer (jieba with the lexicon as user dictionary) whose
  training fingerprint includes that dictionary, so that `rasa train` retrains what reads tokens
  when a word list changes, and nothing else (Rasa cannot see files outside its training data).
- CaseEditClassifier: after the classifiers; a message that says it adds to or corrects a
  recorded case (lexicon/progress.yml: 「补充一下」「记录里的城市填错了」) is update_case.
- ShortReplyClassifier: after the classifiers; a message that is only a yes / no word
  (lexicon/replies.yml: "好", "行", "不用了", "no") is affirm / deny.
- NoContentGuard: after the classifiers; a message with no letter, digit or Chinese character
  (empty, only emoji or punctuation) gets nlu_fallback instead of an arbitrary intent.
- CrisisGuard: last in the pipeline; when a message contains a crisis phrase
  (lexicon/crisis.yml), or the classifiers rank express_distress at `ranking_threshold` or more,
  the intent becomes express_distress whatever won, so crisis help does not depend on the
  classifier's top choice.

Importing this module installs the lexicon into jieba's global dictionary. Rasa imports every
component class of a model before it instantiates any of them, so the dictionary is in place
before SpacyNLP loads the spaCy model and its entity-ruler patterns are segmented.
"""

import hashlib
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.shared.nlu.training_data.training_data import TrainingData

import borrower.text
from borrower import distress
from borrower.lexicon import JIEBA_FREQ, install_jieba_dictionary, lexicon
from borrower.text import has_content, normalize

install_jieba_dictionary()

CRISIS_INTENT = "express_distress"


def fingerprint_of(*parts: Any) -> Text:
    """A stable hash of files (Path) and values, for GraphComponent.fingerprint_addon."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.read_bytes() if isinstance(part, Path) else repr(part).encode("utf-8"))
    return digest.hexdigest()



FALLBACK_INTENT = "nlu_fallback"


class _Stateless(GraphComponent):
    """A component with no training or persisted state; the keys of its default config (Rasa
    merges config.yml over them) are passed to its constructor."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(**{key: config.get(key, default) for key, default in cls.get_default_config().items()})


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class TextNormalizer(_Stateless):
    """Rewrites the message text into normalised Simplified Chinese, keeping its length."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        # normalize() lives in borrower/text.py: an edit there must reach the training data.
        return fingerprint_of(Path(borrower.text.__file__))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is not None:
                message.set(TEXT, normalize(text))
        return messages


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class LexiconSpacyTokenizer(SpacyTokenizer):
    """SpacyTokenizer whose fingerprint is the jieba dictionary it segments with.

    Rasa fingerprints config and training data, not lexicon/*.yml: without this, an edited word
    list would need `rasa train --force` (everything, the policies too). With it, the tokenizer
    runs again when the dictionary changed, and the components after it retrain only if the
    tokens of some training example changed (Rasa fingerprints its outputs by content).
    """

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        return fingerprint_of(lexicon().jieba_words(), JIEBA_FREQ)


class _IntentOverride(_Stateless):
    """Sets the intent `intent_for` returns with confidence 1, keeping the rest of the
    classifier's ranking below it; messages it returns None for are left alone."""

    intent: Text = ""

    def applies(self, text: Text) -> bool:
        raise NotImplementedError

    def intent_for(self, text: Text) -> Optional[Text]:
        return self.intent if self.applies(text) else None

    def intent_for_message(self, message: Message) -> Optional[Text]:
        return self.intent_for(message.get(TEXT) or "")

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = self.intent_for_message(message)
            if intent is None:
                continue
            top = {"name": intent, "confidence": 1.0}
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get("name") != intent
            ]
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CaseEditClassifier(_IntentOverride):
    """update_case for a message that says it adds to or corrects a recorded case
    (lexicon/progress.yml): 「补充一下，昨天催收又给我单位打电话了」 names a new incident, but the
    user wants it in their case, not a fresh report."""

    intent = "update_case"

    def applies(self, text: Text) -> bool:
        return lexicon().edits_case(text)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class ShortReplyClassifier(_IntentOverride):
    """affirm / deny / inform for whole-message yes / no / don't-know words (lexicon/replies.yml):
    "好", "不用了", "不知道"; inform for a message of digits alone ("1234"; "88" is goodbye)."""

    def intent_for(self, text: Text) -> Optional[Text]:
        return lexicon().short_reply(text)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class NoContentGuard(_IntentOverride):
    """Sends messages without any content (emoji only, punctuation, empty) to the fallback."""

    intent = FALLBACK_INTENT

    def applies(self, text: Text) -> bool:
        return not has_content(text)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisGuard(_IntentOverride):
    """Three tiers of distress (borrower/distress.py for the words):

    - **crisis** — a crisis phrase (not negated) or pattern, the crisis line unanswered, or the
      classifiers ranking express_distress at `ranking_threshold` or more (first, or second in a
      message of at least `ranking_min_chars`): the intent becomes express_distress, whatever won (a miss can
      cost a life). 「打了12356没人接」 also sets `distress: line_unanswered` on the message;
    - **check-in** — express_distress won or ranked at `check_in_threshold` or more, but below
      `ranking_threshold`; a crisis phrase only negated (「我没想死啊」); strain words: the intent
      is the likeliest other one and the message gets `distress: check_in`, which
      components/patterns.py answers with one line before the usual reply — no form is stopped;
    - nothing otherwise (money hardship alone is no signal).
    """

    intent = CRISIS_INTENT

    def __init__(self, ranking_threshold: Optional[float] = None, ranking_min_chars: int = 1,
                 check_in_threshold: Optional[float] = None) -> None:
        self.ranking_threshold = ranking_threshold
        # A ranking says little about a message of a few characters ("结束吧", "算了"): their
        # rankings are flat, and short crisis messages are the lexicon's job.
        self.ranking_min_chars = max(1, ranking_min_chars)
        self.check_in_threshold = check_in_threshold

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"ranking_threshold": None, "ranking_min_chars": 1, "check_in_threshold": None}

    def _ranked(self, message: Message) -> float:
        return next((entry.get("confidence") or 0.0 for entry in message.get(INTENT_RANKING_KEY) or []
                     if entry.get("name") == self.intent), 0.0)

    def tier(self, message: Message) -> Optional[Text]:
        """distress.CRISIS, distress.LINE_UNANSWERED, distress.CHECK_IN or None."""
        text = message.get(TEXT) or ""
        said = distress.level(text)
        if said in (distress.CRISIS, distress.LINE_UNANSWERED):
            return said
        ranked = self._ranked(message)
        long_enough = sum(ch.isalnum() for ch in text) >= self.ranking_min_chars
        won = (message.get(INTENT) or {}).get("name") == self.intent
        # Without a threshold configured, the classifier's own express_distress stays a crisis.
        threshold = self.ranking_threshold
        if (won and (threshold is None or ranked >= threshold)) or (
                threshold is not None and long_enough and ranked >= threshold):
            return distress.CRISIS
        ranked_high = self.check_in_threshold is not None and long_enough and ranked >= self.check_in_threshold
        if won or ranked_high or said == distress.CHECK_IN:
            return distress.CHECK_IN
        return None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            tier = self.tier(message)
            if tier in (distress.CRISIS, distress.LINE_UNANSWERED):
                top = {"name": self.intent, "confidence": 1.0}
                ranking = [e for e in message.get(INTENT_RANKING_KEY) or [] if e.get("name") != self.intent]
                message.set(INTENT, top, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
            elif tier == distress.CHECK_IN and (message.get(INTENT) or {}).get("name") == self.intent:
                # express_distress won below the crisis threshold: the likeliest other intent
                ranking = [e for e in message.get(INTENT_RANKING_KEY) or [] if e.get("name") != self.intent]
                message.set(INTENT, dict(ranking[0]) if ranking else {"name": FALLBACK_INTENT, "confidence": 1.0},
                            add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            if tier in (distress.LINE_UNANSWERED, distress.CHECK_IN):
                message.set(distress.MESSAGE_KEY, tier, add_to_output=True)
        return messages