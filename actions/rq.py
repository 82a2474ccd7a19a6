"""The four-paragraph questionnaire (RQ): start, ask, read answers, results, stop.

Rules: nlu/rules/rq.yml. It takes a minute, so its answers live in the form's slots until the
end; the finished result is stored in one go (bot.storage), where "my data" and "delete" find it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import get_rq, get_store, input_channel, needs_storage, send
from bot import rq_dialogue
from bot.answers import BACK, RATING, SKIP, parse_answer
from bot.replies import Reply
from bot.rq import PROTOTYPES, RQ_ID, score_rq, stored_answers

BEST_FIT_SLOT = "rq_best"
RATING_SLOTS = {f"rq_{prototype}": prototype for prototype in PROTOTYPES}
RQ_SLOTS = (BEST_FIT_SLOT, *RATING_SLOTS)
# The RQ asks about close relationships in general, not one person.
RELATIONSHIP = "general"


def _stop_events() -> list[EventType]:
    return [*(SlotSet(slot, None) for slot in RQ_SLOTS), SlotSet("requested_slot", None), ActiveLoop(None)]


class ActionStartRQ(Action):
    """Introduces the four paragraphs and clears any answers from an earlier try."""

    def name(self) -> str:
        return "action_start_rq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        send(dispatcher, rq_dialogue.introduction(get_rq()))
        return [SlotSet(slot, None) for slot in RQ_SLOTS]


class ActionAskRQBest(Action):
    def name(self) -> str:
        return f"action_ask_{BEST_FIT_SLOT}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        send(dispatcher, rq_dialogue.ask_best_fit(get_rq()))
        return []


class ActionAskSecureRating(Action):
    """Asks how well one paragraph fits, from 1 to 7; each paragraph's asker names its prototype."""

    prototype = "secure"

    def name(self) -> str:
        return f"action_ask_rq_{self.prototype}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        send(dispatcher, rq_dialogue.ask_rating(get_rq(), self.prototype))
        return []


class ActionAskFearfulRating(ActionAskSecureRating):
    prototype = "fearful"


class ActionAskPreoccupiedRating(ActionAskSecureRating):
    prototype = "preoccupied"


class ActionAskDismissingRating(ActionAskSecureRating):
    prototype = "dismissing"


class ValidateRQForm(FormValidationAction):
    def name(self) -> str:
        return "validate_rq_form"

    def validate_rq_best(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {BEST_FIT_SLOT: None}
        chosen = rq_dialogue.paragraph_chosen(str(value))
        if chosen is None:
            send(dispatcher, rq_dialogue.unclear_choice())
        return {BEST_FIT_SLOT: chosen}

    def _validate_rating(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        if value is None:
            return {slot: None}
        parsed = parse_answer(str(value), 1, 7)
        if parsed.kind == RATING:
            return {slot: parsed.value}
        if parsed.kind == BACK:
            previous = RQ_SLOTS[RQ_SLOTS.index(slot) - 1]
            return {slot: None, previous: None}
        send(
            dispatcher,
            Reply(rq_dialogue.SKIP_NOT_POSSIBLE) if parsed.kind == SKIP else rq_dialogue.unclear_rating(),
        )
        return {slot: None}

    def validate_rq_secure(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_rating("rq_secure", value, dispatcher)

    def validate_rq_fearful(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_rating("rq_fearful", value, dispatcher)

    def validate_rq_preoccupied(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_rating("rq_preoccupied", value, dispatcher)

    def validate_rq_dismissing(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_rating("rq_dismissing", value, dispatcher)


class ActionRQResults(Action):
    """Scores the four ratings, keeps the result, and explains it with the picture."""

    def name(self) -> str:
        return "action_rq_results"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ratings = [tracker.get_slot(slot) for slot in RATING_SLOTS]
        if any(rating is None for rating in ratings):
            return _stop_events()  # the form ended early (a crisis, say): nothing to score
        result = score_rq(
            [int(rating) for rating in ratings], tracker.get_slot(BEST_FIT_SLOT), allow_tie=True
        )
        get_store().save_completed_run(
            input_channel(tracker), tracker.sender_id, RQ_ID, RELATIONSHIP, stored_answers(result)
        )
        send(dispatcher, rq_dialogue.result_reply(get_rq(), result))
        return [*(SlotSet(slot, None) for slot in RQ_SLOTS)]


class ActionStopRQ(Action):
    def name(self) -> str:
        return "action_stop_rq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        send(dispatcher, rq_dialogue.STOPPED)
        return _stop_events()
