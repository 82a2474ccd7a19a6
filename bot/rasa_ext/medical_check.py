"""NLU component: questions about what to do with a medicine go to the medical-advice boundary.

It runs before the crisis check, so danger right now ("I took the whole pack") still gets
crisis support; button payloads pass untouched.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.medical import MedicalBoundary
from bot.rasa_ext.intents import override_intent
from bot.rasa_ext.payloads import known_payload

MEDICATION_INTENT = "ask_medication"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MedicalCheck(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MedicalCheck:
        return cls(MedicalBoundary.load())

    def __init__(self, boundary: MedicalBoundary) -> None:
        self.boundary = boundary

    def process(self, messages: list[Message], domain: Domain | None = None) -> list[Message]:
        for message in messages:
            if known_payload(message, domain):
                continue
            if self.boundary.asks_medical_advice(message.get(TEXT) or ""):
                override_intent(message, MEDICATION_INTENT)
        return messages
