"""NLU component: reads each message (bot.reading) and passes the Reading on with the parse data.

It runs after the intent classifier and the FallbackClassifier and before the crisis check,
which uses the same sentence embedding. The action server finds the Reading in
`tracker.latest_message["reading"]`, so the embeddings, spaCy and BM25 live in this process
only. Button payloads ("/explain_therapy") are not read: their intent says it all.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.content import ContentLibrary
from bot.embedding import shared_encoder
from bot.nlp import load_pipeline
from bot.rasa_ext.payloads import known_payload
from bot.reader import Reader
from bot.retrieval import SemanticIndex

READING_KEY = "reading"
VECTOR_KEY = "iwm_vector"  # the message's embedding (bot.embedding); never leaves this process


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MessageReader(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageReader:
        library = ContentLibrary.load()
        semantic = SemanticIndex(library, shared_encoder())
        return cls(Reader.load(library, load_pipeline(), semantic))

    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    def process(self, messages: list[Message], domain: Domain | None = None) -> list[Message]:
        for message in messages:
            if known_payload(message, domain):
                continue
            text = message.get(TEXT) or ""
            if not text.strip():
                continue
            ranking = {entry["name"]: entry["confidence"] for entry in message.get(INTENT_RANKING_KEY) or []}
            vector = message.get(VECTOR_KEY)  # the intent classifier embedded it
            if vector is None:
                vector = self.reader.vector(text)
            intent = (message.get(INTENT) or {}).get("name")
            reading = self.reader.read(text, ranking, intent, vector)
            message.set(VECTOR_KEY, vector)
            message.set(READING_KEY, reading.as_dict(), add_to_output=True)
        return messages
