"""NLU component: every message passes the crisis check, whatever the classifier said.

It runs last in the pipeline, after the FallbackClassifier. Two tiers, because the
classifier is far less precise than the rule patterns (on our development sets it called
about one ordinary message in five a crisis, the patterns about one in eighty):

- the rule patterns fire: intent `crisis` (full crisis support; the questionnaire pauses);
- only the classifier ranks `crisis` high: intent `crisis_possible` (a short check-in
  with the same services, then the conversation goes on).

Either way the crisis rules win over topic questions, the fallback and the form.

Every text is checked, whatever it starts with. Only a real button payload (a "/" and an
intent the domain knows) skips the classifier; any other text loses a leading "/" so that
Rasa's payload parser leaves it alone (and logs nothing of it); the rule patterns still run on any free
text its entities carry, and if they fire the message stops being a payload, so Rasa's
payload handler cannot override the crisis intent.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.crisis import CrisisDetector
from bot.nlp import load_pipeline

CRISIS_INTENT = "crisis"
POSSIBLE_CRISIS_INTENT = "crisis_possible"
PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?:@[\d.]+)?(?P<entities>\{.*\})?$", re.DOTALL)


def carried_text(entities: str | None) -> str:
    """The free text a payload's entities carry ('{"relationship": "my mum"}' -> 'my mum')."""
    if not entities:
        return ""
    try:
        values = json.loads(entities)
    except ValueError:
        return entities
    if isinstance(values, dict):
        return " ".join(str(value) for value in values.values())
    return str(values)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisCheck(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # the classifier's crisis confidence that earns a check-in (recall first)
        return {"classifier_threshold": 0.5}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisCheck:
        return cls(config, CrisisDetector(load_pipeline()))

    def __init__(self, config: dict[str, Any], detector: CrisisDetector) -> None:
        self.threshold = config["classifier_threshold"]
        self.detector = detector

    def process(self, messages: list[Message], domain: Domain | None = None) -> list[Message]:
        known_intents = set(domain.intents) if domain else set()
        for message in messages:
            payload = PAYLOAD.match((message.get(TEXT) or "").strip())
            if payload and payload["intent"] in known_intents:
                carried = carried_text(payload["entities"])
                if carried and self.detector.check(carried) is not None:
                    message.set(TEXT, carried, add_to_output=True)
                    self._mark(message, CRISIS_INTENT)
                continue
            text = message.get(TEXT) or ""
            if text.lstrip().startswith("/"):  # not a real payload: ordinary text, so Rasa won't parse it
                message.set(TEXT, text.lstrip()[1:], add_to_output=True)
            intent = self._crisis_intent(message)
            if intent:
                self._mark(message, intent)
        return messages

    @staticmethod
    def _mark(message: Message, intent: str) -> None:
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry["name"] != CRISIS_INTENT]
        top = {"name": intent, "confidence": 1.0}
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)

    def _crisis_intent(self, message: Message) -> str | None:
        text = message.get(TEXT) or ""
        if self.detector.check(text) is not None:
            return CRISIS_INTENT
        ranked = {entry["name"]: entry["confidence"] for entry in message.get(INTENT_RANKING_KEY) or []}
        return POSSIBLE_CRISIS_INTENT if ranked.get(CRISIS_INTENT, 0.0) >= self.threshold else None
