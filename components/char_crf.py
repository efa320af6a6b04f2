"""CharCRFEntityExtractor: the open entities (platform names the lexicon does not know) by a
conditional random field over characters.

Chinese names do not follow jieba's word boundaries: an app the dictionary does not know
(「橙意贷」「快享花」) is cut into pieces, and Rasa's CRFEntityExtractor, which labels whole tokens,
drops every annotation that does not fall on a token boundary (「易鑫」 of 「易鑫车贷」). Labelling
characters avoids both. The features of a character: itself and its neighbours (two either side),
the bigrams around it, its kind (Han, digit, Latin, other) and its place in its jieba token
(begin / middle / end / single), so the segmenter's view is a hint, not a limit. BIO labels, one
model for the configured entity types (python-crfsuite through sklearn-crfsuite, which Rasa
already installs). Trains in seconds where DIET took most of the 25 minutes a training took
(reports/pipeline_comparison.md).
"""

import logging
from typing import Any, Dict, List, Sequence, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.persisted import JoblibComponent

logger = logging.getLogger(__name__)
OUTSIDE = "O"
Span = Tuple[int, int, Text]


def _kind(char: Text) -> Text:
    if "\u4e00" <= char <= "\u9fff":
        return "han"
    if char.isdigit():
        return "digit"
    if char.isascii() and char.isalpha():
        return "latin"
    return "other"


def _token_places(text: Text, tokens: Sequence[Tuple[int, int]]) -> List[Text]:
    """B / M / E / S: where each character sits in its token ("-" between tokens)."""
    places = ["-"] * len(text)
    for start, end in tokens:
        if end - start == 1:
            places[start] = "S"
            continue
        for index in range(start, min(end, len(text))):
            places[index] = "B" if index == start else "E" if index == end - 1 else "M"
    return places


def char_features(text: Text, tokens: Sequence[Tuple[int, int]], window: int = 2) -> List[Dict[Text, Any]]:
    places = _token_places(text, tokens)
    padded = "\x02" * window + text + "\x03" * window
    features = []
    for index, char in enumerate(text):
        centre = index + window
        feature: Dict[Text, Any] = {"bias": 1.0, "c": char, "kind": _kind(char), "place": places[index]}
        for offset in range(1, window + 1):
            feature[f"c-{offset}"] = padded[centre - offset]
            feature[f"c+{offset}"] = padded[centre + offset]
        feature["b-1"] = padded[centre - 1:centre + 1]
        feature["b+1"] = padded[centre:centre + 2]
        feature["place-1"] = places[index - 1] if index else "^"
        feature["place+1"] = places[index + 1] if index + 1 < len(text) else "$"
        features.append(feature)
    return features


def bio_labels(length: int, spans: Sequence[Span]) -> List[Text]:
    labels = [OUTSIDE] * length
    for start, end, entity in spans:
        if any(label != OUTSIDE for label in labels[start:end]):
            continue  # an overlapping annotation: keep the first
        for index in range(start, min(end, length)):
            labels[index] = ("B-" if index == start else "I-") + entity
    return labels


def spans_of(labels: Sequence[Text]) -> List[Span]:
    """(start, end, entity) of each run B-x I-x…; a stray I-x starts a span too."""
    spans: List[Span] = []
    for index, label in enumerate(labels):
        if label == OUTSIDE:
            continue
        prefix, entity = label.split("-", 1)
        if prefix == "I" and spans and spans[-1][1] == index and spans[-1][2] == entity:
            spans[-1] = (spans[-1][0], index + 1, entity)
        else:
            spans.append((index, index + 1, entity))
    return spans


def _token_offsets(message: Message) -> List[Tuple[int, int]]:
    return [(token.start, token.end) for token in message.get(TOKENS_NAMES[TEXT]) or []]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class CharCRFEntityExtractor(JoblibComponent):
    MODEL_FILE = "char_crf.joblib"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"entities": ["platform"], "window": 2, "c1": 0.05, "c2": 0.05, "max_iterations": 100}

    def _features(self, message: Message) -> List[Dict[Text, Any]]:
        return char_features(message.get(TEXT) or "", _token_offsets(message), self.config["window"])

    def train(self, training_data: TrainingData) -> Resource:
        import sklearn_crfsuite

        wanted = set(self.config["entities"])
        examples = [m for m in training_data.nlu_examples if m.get(TEXT)]
        sequences, labels = [], []
        for message in examples:
            text = message.get(TEXT)
            spans = [(e["start"], e["end"], e["entity"]) for e in message.get(ENTITIES) or []
                     if e["entity"] in wanted]
            sequences.append(self._features(message))
            labels.append(bio_labels(len(text), spans))
        if not any(label != OUTSIDE for sequence in labels for label in sequence):
            logger.warning("CharCRFEntityExtractor: no annotated %s in the training data.", sorted(wanted))
            return self._resource
        self.model = sklearn_crfsuite.CRF(
            algorithm="lbfgs", c1=self.config["c1"], c2=self.config["c2"],
            max_iterations=self.config["max_iterations"], all_possible_transitions=True,
        )
        self.model.fit(sequences, labels)
        return self.persist()

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text:
                continue
            features = self._features(message)
            labels = self.model.predict_single(features)
            marginals = self.model.predict_marginals_single(features)
            found = []
            for start, end, entity in spans_of(labels):
                confidence = min(marginals[i][labels[i]] for i in range(start, end))
                found.append({"start": start, "end": end, "value": text[start:end], "entity": entity,
                              "confidence_entity": float(confidence), "extractor": type(self).__name__})
            if found:
                message.set(ENTITIES, (message.get(ENTITIES) or []) + found, add_to_output=True)
        return messages
