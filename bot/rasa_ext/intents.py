"""Setting a message's intent from a check that outranks the classifier (crisis, medical boundary)."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def override_intent(message: Message, intent: str) -> None:
    """Make `intent` the message's intent with full confidence, keeping the classifier's ranking below it."""
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry["name"] != intent]
    top = {"name": intent, "confidence": 1.0}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
