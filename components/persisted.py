"""A trainable pipeline component whose whole state is one object saved with joblib."""

import inspect
import logging
from pathlib import Path
from typing import Any, Dict, Optional, Text

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

from components.chinese import fingerprint_of

logger = logging.getLogger(__name__)


class JoblibComponent(GraphComponent):
    """`self.model` is trained by the subclass, saved by `persist()` and read back by `load`; the
    training fingerprint includes the subclass's source and this file's, so an edit retrains it (Rasa
    fingerprints config and inputs, not code)."""

    MODEL_FILE = "model.joblib"

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        return fingerprint_of(Path(inspect.getfile(cls)), Path(__file__))

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
    ) -> "JoblibComponent":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "JoblibComponent":
        model = None
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / cls.MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("%s has no trained model; it leaves messages as they are.", cls.__name__)
        return cls(config, model_storage, resource, model)

    def persist(self) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.model, directory / self.MODEL_FILE)
        return self._resource
