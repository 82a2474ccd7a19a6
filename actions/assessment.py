"""The conversational assessment: start/resume, the form, pause, and the results.

Every answer goes to the database the moment it is validated; the form's own slots
only say where we are, so a restart of either server loses nothing.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.explain import ActionExplainTopic
from bot.answers import BACK, RATING, SKIP, parse_answer
from bot.content import intent_for_topic
from bot.plot import PlotPoint, plot_results
from bot.results import STYLE_TOPICS, explain_result
from bot.scoring import Instrument, Result, score
from bot.storage import COMPLETED, PAUSED, AssessmentStore, PastResult, RunState

INSTRUMENT_ID = "ecr-rs"
FORM_SLOTS = ("assessment_consent", "assessment_relationship", "assessment_answer", "assessment_run_id")
DONE = "done"
MIN_INTERRUPTION_CONFIDENCE = 0.8
STORAGE_UNAVAILABLE = (
    "Sorry, I can't reach the place where questionnaire answers are kept right now, so I can't "
    "save or show answers at the moment. Nothing you saved before is lost. Explanations still work: "
    "ask me anything about attachment, and try the questionnaire again a bit later."
)
logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _open_store() -> AssessmentStore:
    store = AssessmentStore()
    store.migrate()
    return store


def get_store() -> AssessmentStore:
    store = _open_store()
    store.purge_if_due()  # the retention period (IWM_RETENTION_DAYS), checked at most daily
    return store


@lru_cache(maxsize=1)
def get_instrument() -> Instrument:
    return Instrument.load(INSTRUMENT_ID)


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


def pause_open_run(tracker: Tracker) -> RunState | None:
    """Mark this person's unfinished run as paused; the run, or None if there was none."""
    run = _run(tracker) or get_store().open_run(_channel(tracker), tracker.sender_id)
    if run is not None:
        get_store().set_status(run.id, PAUSED)
    return run


def _channel(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"


def _run(tracker: Tracker) -> RunState | None:
    run_id = tracker.get_slot("assessment_run_id")
    return get_store().run_state(int(run_id)) if run_id is not None else None


def next_item(run: RunState, instrument: Instrument) -> int | None:
    """The first statement without an answer (skips count as answers)."""
    return next((item.number for item in instrument.items if item.number not in run.answers), None)


def domain_buttons(instrument: Instrument) -> list[dict]:
    return [
        {
            "title": domain.label.capitalize(),
            "payload": f'/choose_relationship{{"relationship": "{domain.id}"}}',
        }
        for domain in instrument.domains.values()
    ]


def unclear_answer_message(instrument: Instrument) -> str:
    low, high, labels = instrument.scale_min, instrument.scale_max, instrument.scale_labels
    return (
        f"Sorry, I couldn't tell how much you agree. Please pick a number from {low} "
        f"({labels[low].lower()}) to {high} ({labels[high].lower()}), or say \u201cskip\u201d."
    )


class ActionExplainDuringAssessment(ActionExplainTopic):
    """A concept question in the middle of the questionnaire, if it clearly is one.

    A vague reply to a statement ("hmm it depends") can look a little like a topic question;
    unless the classifier is confident, it is treated as an unclear answer and asked again.
    """

    def name(self) -> str:
        return "action_explain_during_assessment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0
        if confidence >= MIN_INTERRUPTION_CONFIDENCE:
            return await super().run(dispatcher, tracker, domain)
        dispatcher.utter_message(text=unclear_answer_message(get_instrument()))
        return []


class ActionStartAssessment(Action):
    """Continues an unfinished run if there is one; otherwise clears the form for a new one."""

    def name(self) -> str:
        return "action_start_assessment"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        run = get_store().open_run(_channel(tracker), tracker.sender_id)
        if run is None:
            return [SlotSet(slot, None) for slot in FORM_SLOTS]
        instrument = get_instrument()
        relationship = instrument.domains[run.domain].label
        dispatcher.utter_message(
            text=f"Welcome back. You have answered {len(run.answers)} of {len(instrument.items)} statements "
            f"about your {relationship}; let's continue where you left off. Say \u201cpause\u201d any time."
        )
        return [
            SlotSet("assessment_consent", True),
            SlotSet("assessment_relationship", run.domain),
            SlotSet("assessment_run_id", run.id),
            SlotSet("assessment_answer", None),
        ]


class ActionAskAssessmentAnswer(Action):
    """Asks the next statement: 'n of 9', the statement, and the scale as buttons."""

    def name(self) -> str:
        return "action_ask_assessment_answer"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        instrument = get_instrument()
        run = _run(tracker)
        number = next_item(run, instrument) if run else None
        if number is None:
            return []
        target = instrument.domains[run.domain].target
        buttons = [
            {"title": f"{value} {label}", "payload": str(value)}
            for value, label in instrument.scale_labels.items()
        ]
        buttons += [
            {"title": "Skip", "payload": "skip"},
            {"title": "Go back", "payload": "go back"},
            {"title": "Pause", "payload": "/pause_assessment"},
        ]
        dispatcher.utter_message(
            text=f"**{number} of {len(instrument.items)}** \u00b7 Thinking about {target}:\n\n"
            f"*{instrument.item(number).text}*",
            buttons=buttons,
        )
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
        chosen = instrument.domains.get(str(value)) or instrument.find_domain(str(value))
        if chosen is None:
            dispatcher.utter_message(
                text="Which relationship shall we think about? Please pick one:",
                buttons=domain_buttons(instrument),
            )
            return {"assessment_relationship": None}
        resumed = _run(tracker)
        if resumed is not None and resumed.domain == chosen.id and resumed.status != COMPLETED:
            return {"assessment_relationship": chosen.id, "assessment_run_id": resumed.id}  # set on resume
        run = get_store().start_run(_channel(tracker), tracker.sender_id, instrument.id, chosen.id)
        dispatcher.utter_message(
            text=f"Thank you. {instrument.instructions.format(target=chosen.target)} "
            "Use the buttons or type an answer such as \u201cstrongly agree\u201d or \u201c5\u201d. "
            "You can also say \u201cskip\u201d, \u201cgo back\u201d or \u201cpause\u201d."
        )
        return {"assessment_relationship": chosen.id, "assessment_run_id": run.id}

    def validate_assessment_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        run = _run(tracker)
        if value is None or run is None:
            return {"assessment_answer": None}
        instrument = get_instrument()
        store = get_store()
        number = next_item(run, instrument)
        parsed = parse_answer(str(value), instrument.scale_min, instrument.scale_max)
        if parsed.kind == RATING and number is not None:
            store.record_answer(run.id, number, parsed.value)
            if not str(value).strip().isdigit():
                label = instrument.scale_labels[parsed.value]
                dispatcher.utter_message(text=f"Noted: {parsed.value} ({label.lower()}).")
        elif parsed.kind == SKIP and number is not None:
            store.record_answer(run.id, number, None)
        elif parsed.kind == BACK:
            if run.answers:
                store.remove_answer(run.id, max(run.answers))
            else:
                dispatcher.utter_message(
                    text="This is the first statement, so there is nothing to go back to."
                )
        else:
            dispatcher.utter_message(text=unclear_answer_message(instrument))
        refreshed = store.run_state(run.id)
        finished = next_item(refreshed, instrument) is None
        return {"assessment_answer": DONE if finished else None}


class ActionPauseAssessment(Action):
    def name(self) -> str:
        return "action_pause_assessment"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        run = pause_open_run(tracker)
        if run is None:
            dispatcher.utter_message(text="There is no questionnaire in progress to pause.")
        else:
            dispatcher.utter_message(
                text=f"Paused. Your {len(run.answers)} answers are saved; "
                "say \u201cresume\u201d whenever you want to continue.",
                buttons=[{"title": "Resume", "payload": "/resume_assessment"}],
            )
        return [ActiveLoop(None), SlotSet("requested_slot", None)]


class ActionFinishAssessment(Action):
    """After the form: score, store and explain the result with the picture, or accept a 'no'."""

    def name(self) -> str:
        return "action_finish_assessment"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reset = [SlotSet("assessment_answer", None), SlotSet("assessment_run_id", None),
                 SlotSet("assessment_relationship", None)]  # fmt: skip
        if tracker.get_slot("assessment_consent") is False:
            dispatcher.utter_message(
                text="No problem, nothing was stored. You can ask me about attachment any time.",
                buttons=[{"title": "Show all topics", "payload": "/list_topics"}],
            )
            return [*reset, SlotSet("assessment_consent", None)]
        run = _run(tracker)
        if run is None:
            return reset
        instrument = get_instrument()
        store = get_store()
        answers = [run.answers.get(item.number) for item in instrument.items]
        result = score(instrument, answers)
        store.complete(run.id, result.anxiety, result.avoidance, result.style)
        history = store.history(_channel(tracker), tracker.sender_id)  # this run included, last
        earlier = [past for past in history if past.run_id != run.id]
        dispatcher.utter_message(text=explain_result(instrument, run.domain, result, earlier))
        dispatcher.utter_message(image=_plot_data_uri(instrument, history))
        style_name, topic_id = STYLE_TOPICS[result.style]
        done_domains = {past.domain for past in history}
        buttons = [
            {"title": f"About the {style_name.lower()} pattern", "payload": f"/{intent_for_topic(topic_id)}"},
            {"title": "Can this change?", "payload": f"/{intent_for_topic('earned-security')}"},
        ]
        if len(done_domains) < len(instrument.domains):
            buttons.append({"title": "Another relationship", "payload": "/start_assessment"})
        dispatcher.utter_message(text="Where would you like to go from here?", buttons=buttons)
        return [*reset, SlotSet("topic", topic_id), SlotSet("sections_shown", [])]


def _plot_data_uri(instrument: Instrument, history: list[PastResult]) -> str:
    """The picture as a data URI, so every channel can show it without a file server.

    One point per relationship (its latest result); its earlier results are drawn faded.
    """
    by_domain: dict[str, list[PastResult]] = {}
    for past in history:
        by_domain.setdefault(past.domain, []).append(past)
    drawn = [
        PlotPoint(
            instrument.domains[domain_id].label,
            results[-1].anxiety,
            results[-1].avoidance,
            tuple((earlier.anxiety, earlier.avoidance) for earlier in results[:-1]),
        )
        for domain_id, results in by_domain.items()
    ]
    png = plot_results(drawn, instrument.scale_min, instrument.scale_max, instrument.midpoint)
    return "data:image/png;base64," + base64.b64encode(png).decode()


class ActionShowResults(Action):
    """The latest result for each relationship, with the picture of all results so far."""

    def name(self) -> str:
        return "action_show_results"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        history = get_store().history(_channel(tracker), tracker.sender_id)
        if not history:
            dispatcher.utter_message(
                text="You haven't completed the questionnaire yet.",
                buttons=[{"title": "Take it now", "payload": "/start_assessment"}],
            )
            return []
        instrument = get_instrument()
        latest = {past.domain: past for past in history}
        for domain_id, past in latest.items():
            earlier = [item for item in history if item.completed_at < past.completed_at]
            answers = get_store().run_state(past.run_id).answers
            answered = sum(value is not None for value in answers.values())
            result = Result(past.anxiety, past.avoidance, past.style, answered)
            dispatcher.utter_message(text=explain_result(instrument, domain_id, result, earlier))
        dispatcher.utter_message(image=_plot_data_uri(instrument, history))
        return []


class ActionDeleteData(Action):
    """Deletes this person's answers and results; the tracker store then erases the conversation."""

    def name(self) -> str:
        return "action_delete_data"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        get_store().delete_participant(_channel(tracker), tracker.sender_id)
        dispatcher.utter_message(
            text="Done: your questionnaire answers, results and this conversation are deleted. "
            "If you write again, we start from scratch."
        )
        return [*(SlotSet(slot, None) for slot in FORM_SLOTS), SlotSet("data_erased", True)]


class ActionExportData(Action):
    """Everything stored about this person, as JSON: questionnaire data and their messages."""

    def name(self) -> str:
        return "action_export_data"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        export = {
            "questionnaire": get_store().export_participant(_channel(tracker), tracker.sender_id),
            "conversation": [
                {"time": event.get("timestamp"), "you_wrote": event.get("text")}
                for event in tracker.events
                if event.get("event") == "user" and event.get("text")
            ],
        }
        dispatcher.utter_message(
            text="Here is everything stored about you, as JSON. "
            "Say \u201cdelete my data\u201d to erase it.\n\n"
            f"```\n{json.dumps(export, indent=1, ensure_ascii=False)}\n```"
        )
        return []
