"""Helpers for running actions as the action server would, on a temporary questionnaire store."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import get_store
from actions.questionnaire import ValidateAssessmentForm
from bot.storage import AssessmentStore

SENDER = "person-1"


@pytest.fixture(autouse=True)
def store(tmp_path):
    store = AssessmentStore(f"sqlite:///{tmp_path / 'iwm.sqlite3'}", key=b"k")
    store.migrate()
    get_store.replace(store)
    yield store
    get_store.replace(None)
    store.dispose()


@pytest.fixture
def unreachable_database():
    store = AssessmentStore("postgresql://nobody@127.0.0.1:1/none", key=b"k")
    get_store.replace(store)
    yield
    get_store.replace(None)
    store.dispose()


# What the conversation looked like when the bot had just asked "Are you sure?" about deleting.
ASKED_TO_CONFIRM = [
    {"event": "action", "name": "utter_ask_delete_confirmation"},
    {"event": "action", "name": "action_listen"},
]


def tracker(
    slots: dict, text: str = "", intent: str = "rate_statement", before: list | None = None
) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": SENDER,
            "slots": {"assessment_consent": None, "assessment_relationship": None, "assessment_answer": None,
                      "assessment_run_id": None, "requested_slot": None, **slots},
            "latest_message": {"text": text, "intent": {"name": intent, "confidence": 1.0}},
            "events": [*(before or []), {"event": "user", "text": text, "input_channel": "rest"}],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": "assessment_form"},
            "latest_action_name": "action_listen",
        }
    )  # fmt: skip


def run(action, slots: dict, text: str = "", intent: str = "rate_statement", before: list | None = None):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots, text, intent, before), {}))
    return dispatcher.messages, events


def answer(slots: dict, text: str):
    dispatcher = CollectingDispatcher()
    form = ValidateAssessmentForm()
    result = form.validate_assessment_answer(text, dispatcher, tracker(slots, text), {})
    return dispatcher.messages, result


def start(store) -> dict:
    run_state = store.start_run("rest", SENDER, "ecr-rs", "partner")
    return {
        "assessment_consent": True,
        "assessment_relationship": "partner",
        "assessment_run_id": run_state.id,
    }


def answered_all(store, values: tuple[int, ...] = (7, 6, 5, 4, 3, 2, 1, 2, 3)) -> dict:
    """The slots of a run started with every statement answered, not yet finished."""
    slots = start(store)
    for item, value in enumerate(values, start=1):
        store.record_answer(slots["assessment_run_id"], item, value)
    return slots
