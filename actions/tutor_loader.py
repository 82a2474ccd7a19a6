"""One Tutor per action-server process, loaded on first use (the spaCy pipeline takes a moment)."""

from __future__ import annotations

from functools import lru_cache

from rasa_sdk.executor import CollectingDispatcher

from bot.content import ContentLibrary
from bot.nlp import load_pipeline
from bot.tutor import Reply, Tutor


@lru_cache(maxsize=1)
def get_tutor() -> Tutor:
    return Tutor(ContentLibrary.load(), load_pipeline())


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    buttons = [{"title": button.title, "payload": button.payload} for button in reply.buttons]
    dispatcher.utter_message(text=reply.text, buttons=buttons)
