"""Crisis support: runs whenever the crisis check fires, in or out of the questionnaire.

Rules: nlu/rules/safety.yml.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.common import pause_open_run, send
from bot.help_lines import CrisisResources
from bot.replies import Reply

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def get_resources() -> CrisisResources:
    return CrisisResources.load()


class ActionCrisisSupport(Action):
    """Points to real help at once; a running questionnaire is paused, never lost."""

    def name(self) -> str:
        return "action_crisis_support"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        paused = False
        if tracker.active_loop_name == "assessment_form":
            try:
                paused = pause_open_run(tracker) is not None
            except SQLAlchemyError as error:  # the help below matters more than the bookkeeping
                logger.warning("crisis support: could not pause the run (%s)", type(error).__name__)
        send(dispatcher, Reply(get_resources().message(assessment_paused=paused)))
        return [ActiveLoop(None), SlotSet("requested_slot", None)]


class ActionCrisisCheckIn(Action):
    """Only the classifier suspected a crisis: the same services, briefly, and no interruption."""

    def name(self) -> str:
        return "action_crisis_check_in"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        send(dispatcher, Reply(get_resources().check_in_message()))
        return []
