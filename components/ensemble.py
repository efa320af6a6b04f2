"""IntentEnsemble: averages DIET's intent ranking with a character n-gram logistic regression.

DIET learns from words and character n-grams together; a plain TF-IDF character 1–3-gram +
logistic-regression model is often right where DIET is confidently wrong, and the other way
round (reports/nlu_benchmark.md). This component sits right after DIET, trains that second model
on the same (normalised) training texts, and replaces the intent and ranking with the weighted
average of the two probability distributions (config.yml's weight is the regression's share;
on 4,700 training examples the regression carries most of it). DIET's ranking covers its top
intents only; intents outside it count as 0 for DIET.
"""

import logging
from typing import Any, Dict, List, Optional, Text

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

MODEL_FILE = "char_ngram_lr.joblib"
RANKING_LENGTH = 10


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class IntentEnsemble(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # weight: the character model's share of the average (DIET gets the rest).
        return {"weight": 0.5, "C": 10.0}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[Any] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentEnsemble":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "IntentEnsemble":
        model = None
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("IntentEnsemble has no trained model; DIET's ranking is used alone.")
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            return self._resource
        self.model = make_pipeline(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
            LogisticRegression(C=self.config["C"], max_iter=3000),
        )
        self.model.fit([e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples])
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.model, directory / MODEL_FILE)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        texts = [message.get(TEXT) or "" for message in messages]
        probabilities = self.model.predict_proba(texts)
        weight = self.config["weight"]
        for message, row in zip(messages, probabilities):
            combined = {
                entry["name"]: (1 - weight) * float(entry["confidence"])
                for entry in message.get(INTENT_RANKING_KEY) or []
            }
            for intent, probability in zip(self.model.classes_, row):
                combined[intent] = combined.get(intent, 0.0) + weight * float(probability)
            ranking = [
                {"name": name, "confidence": confidence}
                for name, confidence in sorted(combined.items(), key=lambda item: -item[1])
            ][:RANKING_LENGTH]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
