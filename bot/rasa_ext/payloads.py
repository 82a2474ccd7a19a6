"""Button payloads ("/intent{entities}") as the NLU components see them.

Only a payload naming an intent of the domain is one; any other text that starts with "/" is
ordinary text and loses the slash, so Rasa's payload parser leaves it to NLU (and logs none of it).
"""

from __future__ import annotations

import json
import re

from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?:@[\d.]+)?(?P<entities>\{.*\})?$", re.DOTALL)


def known_payload(message: Message, domain: Domain | None) -> re.Match | None:
    """The payload the message is, if it names a known intent; other slash texts lose the slash."""
    text = (message.get(TEXT) or "").strip()
    payload = PAYLOAD.match(text)
    if payload and domain is not None and payload["intent"] in domain.intents:
        return payload
    if text.startswith("/"):
        message.set(TEXT, text[1:], add_to_output=True)
    return None


def carried_text(payload: re.Match) -> str:
    """The free text a payload's entities carry ('{"relationship": "my mum"}' -> 'my mum')."""
    entities = payload["entities"]
    if not entities:
        return ""
    try:
        values = json.loads(entities)
    except ValueError:
        return entities
    if isinstance(values, dict):
        return " ".join(str(value) for value in values.values())
    return str(values)
