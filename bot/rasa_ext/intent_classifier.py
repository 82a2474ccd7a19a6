"""NLU component: config.yml's intent classifier (bot.intent_model), trained in about a minute.

It embeds each message with the shared sentence encoder and leaves the vector on the message, so
the Reader and the crisis check after it embed nothing again.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.embedding import Encoder, shared_encoder
from bot.intent_model import IntentModel, Settings
from bot.rasa_ext.reader import VECTOR_KEY

MODEL_FILE = "intent_model.skops"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        defaults = Settings()
        return {
            "regularisation": defaults.regularisation,
            "embedding_weight": defaults.embedding_weight,
            "ranking_length": 10,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentClassifier:
        return cls(config, model_storage, resource, shared_encoder())

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> IntentClassifier:
        with model_storage.read_from(resource) as directory:
            model = IntentModel.load(directory / MODEL_FILE)
        return cls(config, model_storage, resource, shared_encoder(), model)

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        encoder: Encoder,
        model: IntentModel | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._encoder = encoder
        self._model = model

    def train(self, training_data: TrainingData) -> Resource:
        examples = [example for example in training_data.intent_examples if example.get(TEXT)]
        texts = [example.get(TEXT) for example in examples]
        settings = Settings(
            regularisation=self._config["regularisation"], embedding_weight=self._config["embedding_weight"]
        )
        vectors = self._encoder.encode_many(texts)
        self._model = IntentModel.train(
            texts, [example.get(INTENT) for example in examples], vectors, settings
        )
        with self._storage.write_to(self._resource) as directory:
            self._model.save(directory / MODEL_FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:  # nothing trained (a model without NLU data)
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            vector = self._encoder.encode([text])[0]
            message.set(VECTOR_KEY, vector)
            [ranking] = self._model.rankings([text], vector[np.newaxis])
            entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
            message.set(INTENT, entries[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, entries[: self._config["ranking_length"]], add_to_output=True)
        return messages
