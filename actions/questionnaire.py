"""The questionnaire form: start or resume, ask one statement at a time, read answers, pause.

Rules: nlu/rules/questionnaire.yml. Every answer goes to the database the moment it is
validated; the form's own slots only say where we are, so a restart of either server
loses nothing.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    FORM_SLOTS,
    current_run,
    get_instrument,
    get_store,
    input_channel,
    needs_storage,
    pause_open_run,
    send,
)
from bot import questionnaire
from bot.answers import BACK, RATING, SKIP, parse_answer
from bot.questionnaire import COMPLETED

DONE = "done"


class ActionStartAssessment(Action):
    """Continues an unfinished run if there is one; otherwise clears the form for a new one."""

    def name(self) -> str:
        return "action_start_assessment"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        run = get_store().open_run(input_channel(tracker), tracker.sender_id)
        if run is None:
            return [SlotSet(slot, None) for slot in FORM_SLOTS]
        send(dispatcher, questionnaire.welcome_back(run, get_instrument()))
        return [
            SlotSet("assessment_consent", True),
            SlotSet("assessment_relationship", run.relationship),
            SlotSet("assessment_run_id", run.id),
            SlotSet("assessment_answer", None),
        ]


class ActionAskAssessmentRelationship(Action):
    """Asks whom the statements should be about, with the instrument's relationships as buttons."""

    def name(self) -> str:
        return "action_ask_assessment_relationship"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        send(dispatcher, questionnaire.ask_relationship(get_instrument()))
        return []


class ActionAskAssessmentAnswer(Action):
    """Asks the next statement: 'n of 9', the statement, and the scale as buttons."""

    def name(self) -> str:
        return "action_ask_assessment_answer"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        instrument = get_instrument()
        run = current_run(tracker)
        number = run.next_item(instrument) if run else None
        if number is not None:
            send(dispatcher, questionnaire.statement(run, number, instrument))
        return []


class ValidateAssessmentForm(FormValidationAction):
    def name(self) -> str:
        return "validate_assessment_form"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await super().run(dispatcher, tracker, domain)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("assessment_consent") is False:
            return ["assessment_consent"]  # filled (declined): the form ends at once
        return domain_slots

    # Validators ignore None: action_start_assessment clears the slots, and a cleared slot
    # is not an answer.
    def validate_assessment_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"assessment_consent": None if value is None else bool(value)}

    def validate_assessment_relationship(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"assessment_relationship": None}
        instrument = get_instrument()
        chosen = instrument.relationships.get(str(value)) or instrument.find_relationship(str(value))
        if chosen is None:
            send(dispatcher, questionnaire.ask_relationship_again(instrument))
            return {"assessment_relationship": None}
        resumed = current_run(tracker)
        if resumed is not None and resumed.relationship == chosen.id and resumed.status != COMPLETED:
            return {"assessment_relationship": chosen.id, "assessment_run_id": resumed.id}  # set on resume
        run = get_store().start_run(input_channel(tracker), tracker.sender_id, instrument.id, chosen.id)
        send(dispatcher, questionnaire.instructions(instrument, chosen))
        return {"assessment_relationship": chosen.id, "assessment_run_id": run.id}

    def validate_assessment_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        run = current_run(tracker)
        if value is None or run is None:
            return {"assessment_answer": None}
        instrument = get_instrument()
        store = get_store()
        number = run.next_item(instrument)
        parsed = parse_answer(str(value), instrument.scale_min, instrument.scale_max)
        if parsed.kind == RATING and number is not None:
            store.record_answer(run.id, number, parsed.value)
            if not str(value).strip().isdigit():
                send(dispatcher, questionnaire.noted(parsed.value, instrument))
        elif parsed.kind == SKIP and number is not None:
            store.record_answer(run.id, number, None)
        elif parsed.kind == BACK:
            if run.answers:
                store.remove_answer(run.id, max(run.answers))
            else:
                send(dispatcher, questionnaire.NOTHING_TO_GO_BACK_TO)
        else:
            send(dispatcher, questionnaire.unclear_answer(instrument))
        finished = store.run_state(run.id).next_item(instrument) is None
        return {"assessment_answer": DONE if finished else None}


class ActionPauseAssessment(Action):
    def name(self) -> str:
        return "action_pause_assessment"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        run = pause_open_run(tracker)
        send(dispatcher, questionnaire.NOTHING_TO_PAUSE if run is None else questionnaire.paused(run))
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
