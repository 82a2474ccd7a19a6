"""What every feature's actions share: sending replies, the questionnaire store, the storage-down guard.

Feature modules import this one and the core (`bot`), never each other.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from bot.questionnaire import PAUSED, STORAGE_UNAVAILABLE, RunState
from bot.replies import Reply
from bot.rq import RelationshipQuestionnaire
from bot.scoring import Instrument
from bot.storage import AssessmentStore

INSTRUMENT_ID = "ecr-rs"
FORM_SLOTS = ("assessment_consent", "assessment_relationship", "assessment_answer", "assessment_run_id")
logger = logging.getLogger(__name__)


def send(dispatcher: CollectingDispatcher, *replies: Reply) -> None:
    for reply in replies:
        dispatcher.utter_message(**reply.as_message())


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


class StoreHandle:
    """This action server's questionnaire store, opened and migrated on first use.

    Calling the handle also applies the retention period (at most once a day). Tests and
    other deployments hand in their own store with `replace`.
    """

    def __init__(self) -> None:
        self._store: AssessmentStore | None = None

    def __call__(self) -> AssessmentStore:
        if self._store is None:
            store = AssessmentStore()
            store.migrate()
            self._store = store
        self._store.purge_if_due()
        return self._store

    def replace(self, store: AssessmentStore | None) -> None:
        self._store = store


get_store = StoreHandle()


@lru_cache(maxsize=1)
def get_instrument() -> Instrument:
    return Instrument.load(INSTRUMENT_ID)


@lru_cache(maxsize=1)
def get_rq() -> RelationshipQuestionnaire:
    """The four-paragraph questionnaire, asked by actions/rq.py and shown again with results."""
    return RelationshipQuestionnaire.load()


def input_channel(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"


def current_run(tracker: Tracker) -> RunState | None:
    """The run the form is working on (its id is in a slot), fresh from the store."""
    run_id = tracker.get_slot("assessment_run_id")
    return get_store().run_state(int(run_id)) if run_id is not None else None


def pause_open_run(tracker: Tracker) -> RunState | None:
    """Mark this person's unfinished run as paused; the run, or None if there was none."""
    run = current_run(tracker) or get_store().open_run(input_channel(tracker), tracker.sender_id)
    if run is not None:
        get_store().set_status(run.id, PAUSED)
    return run


ActionRun = Callable[[Any, CollectingDispatcher, Tracker, DomainDict], Awaitable[list[EventType]]]


def needs_storage(run: ActionRun) -> ActionRun:
    """When the database is unreachable, say so, end the questionnaire, and wait for the user."""

    @functools.wraps(run)
    async def guarded(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        try:
            return await run(self, dispatcher, tracker, domain)
        except SQLAlchemyError as error:
            logger.warning("%s: storage unavailable (%s)", self.name(), type(error).__name__)
            dispatcher.utter_message(text=STORAGE_UNAVAILABLE)
            return [
                *(SlotSet(slot, None) for slot in FORM_SLOTS),
                SlotSet("requested_slot", None),
                ActiveLoop(None),
                FollowupAction("action_listen"),
            ]

    return guarded
