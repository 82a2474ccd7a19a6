"""What the bot sends, in one channel-neutral shape: text (a small Markdown subset), buttons, an
image, a document to keep.

Every action builds its messages as `Reply` objects, and every button sends one of the
payloads named here, so a payload is spelled once.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Document:
    """A file to keep (the results summary), inline as a data URI like the chart."""

    filename: str
    data_uri: str


@dataclass(frozen=True)
class Reply:
    text: str = ""
    buttons: tuple[Button, ...] = ()
    image: str | None = None  # a URL or a data URI
    document: Document | None = None  # channels show it as a download (web) or a file (Telegram)

    def as_message(self) -> dict:
        """The keyword arguments of Rasa's `utter_message` (and of its JSON replies)."""
        message: dict = {}
        if self.text:
            message["text"] = self.text
        if self.buttons:
            message["buttons"] = [
                {"title": button.title, "payload": button.payload} for button in self.buttons
            ]
        if self.image:
            message["image"] = self.image
        if self.document:
            message["json_message"] = {
                "document": {"filename": self.document.filename, "data": self.document.data_uri}
            }
        return message


def intent_payload(intent: str, **entities: str) -> str:
    """The payload that makes Rasa take the intent (with entities) without classifying any text."""
    return f"/{intent}{json.dumps(entities) if entities else ''}"


def png_data_uri(png: bytes) -> str:
    """An image inline, so every channel can show it without a file server."""
    return "data:image/png;base64," + base64.b64encode(png).decode()


def pdf_data_uri(pdf: bytes) -> str:
    return "data:application/pdf;base64," + base64.b64encode(pdf).decode()


GREET = intent_payload("greet")
ASK_HELP = intent_payload("ask_help")
LIST_TOPICS = intent_payload("list_topics")
AFFIRM = intent_payload("affirm")
DENY = intent_payload("deny")
START_ASSESSMENT = intent_payload("start_assessment")
START_RQ = intent_payload("start_rq")  # the four-paragraph questionnaire
RESUME_ASSESSMENT = intent_payload("resume_assessment")
PAUSE_ASSESSMENT = intent_payload("pause_assessment")
SHOW_RESULTS = intent_payload("show_results")
SAVE_RESULTS = intent_payload("save_results")
ASK_PRIVACY = intent_payload("ask_privacy")
EXPORT_DATA = intent_payload("export_data")
DELETE_DATA = intent_payload("delete_data")
CONFIRM_DELETE = intent_payload("confirm_delete")
# Typed answers the questionnaire understands (bot.answers), sent by its Skip and Go back buttons.
SKIP_ANSWER = "skip"
BACK_ANSWER = "go back"


def section_payload(topic_id: str, kind: str) -> str:
    """One kind of answer ("what-to-do", "why"...) from a named topic, whatever was explained last."""
    return intent_payload("follow_up", concept=topic_id, kind=kind)


def relationship_payload(relationship_id: str) -> str:
    return intent_payload("choose_relationship", relationship=relationship_id)


SHOW_TOPICS_BUTTON = Button("Show all topics", LIST_TOPICS)
