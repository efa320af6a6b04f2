"""NgramIntentClassifier: intents from character and word n-grams by logistic regression.

Two TF-IDF feature sets over the normalised text (TextNormalizer runs first): character 1–3-grams,
which read Chinese without depending on the segmenter, and word 1–2-grams over the tokens the
pipeline's tokenizer made (jieba with the lexicon as its dictionary, so 「爆通讯录」 is one word).
A multinomial logistic regression over both gives a calibrated ranking of every intent, which
FallbackClassifier and CrisisGuard read after it.

It replaced DIET's intent head averaged with a character model (reports/pipeline_comparison.md):
the same or better macro-F1 on the held-out and development sets, trained in seconds instead of
most of the 25 minutes a full training took.
"""

import logging
from typing import Any, Dict, List, Sequence, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.persisted import JoblibComponent

logger = logging.getLogger(__name__)


def word_ngrams(words: Sequence[Text]) -> List[Text]:
    """Word unigrams and bigrams of one message's tokens (an analyzer for TfidfVectorizer)."""
    words = [word for word in words if word.strip()]
    return words + [f"{first} {second}" for first, second in zip(words, words[1:])]


def _tokens(message: Message) -> List[Text]:
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    return [token.text for token in tokens]


class NgramModel:
    """The fitted vectorizers and classifier, persisted together."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        low, high = config["char_ngrams"]
        self.chars = TfidfVectorizer(analyzer="char", ngram_range=(low, high), sublinear_tf=True)
        self.words = TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True)
        self.classifier = LogisticRegression(
            C=config["C"], solver="saga", max_iter=config["max_iter"], random_state=config["random_seed"]
        )

    def _features(self, texts: Sequence[Text], tokens: Sequence[List[Text]], fit: bool = False) -> Any:
        from scipy.sparse import hstack

        if fit:
            return hstack([self.chars.fit_transform(texts), self.words.fit_transform(tokens)]).tocsr()
        return hstack([self.chars.transform(texts), self.words.transform(tokens)]).tocsr()

    def fit(self, texts: Sequence[Text], tokens: Sequence[List[Text]], intents: Sequence[Text]) -> None:
        self.classifier.fit(self._features(texts, tokens, fit=True), list(intents))

    def rankings(self, texts: Sequence[Text], tokens: Sequence[List[Text]]) -> List[List[Dict[Text, Any]]]:
        probabilities = self.classifier.predict_proba(self._features(texts, tokens))
        classes = list(self.classifier.classes_)
        return [
            [{"name": classes[i], "confidence": float(row[i])} for i in row.argsort()[::-1]]
            for row in probabilities
        ]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class NgramIntentClassifier(JoblibComponent):
    MODEL_FILE = "ngram_intent.joblib"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"C": 20.0, "char_ngrams": [1, 3], "max_iter": 1000, "random_seed": 42, "ranking_length": 10}

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.warning("NgramIntentClassifier needs at least two intents to train; it stays empty.")
            return self._resource
        self.model = NgramModel(self.config)
        self.model.fit([e.get(TEXT) for e in examples], [_tokens(e) for e in examples],
                       [e.get(INTENT) for e in examples])
        return self.persist()

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None or not messages:
            return messages
        rankings = self.model.rankings([m.get(TEXT) or "" for m in messages], [_tokens(m) for m in messages])
        for message, ranking in zip(messages, rankings):
            ranking = ranking[: self.config["ranking_length"]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
