"""Results: score and explain a finished questionnaire, show the results so far, or save them as a PDF.

Rules: nlu/rules/results.yml.
"""

from __future__ import annotations

from datetime import date

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    current_run,
    get_instrument,
    get_rq,
    get_store,
    input_channel,
    needs_storage,
    send,
)
from bot import questionnaire, rq_dialogue
from bot.questionnaire import CompletedRun
from bot.replies import START_ASSESSMENT, Button, Document, Reply, pdf_data_uri
from bot.results import STYLE_TOPICS, explain_result, latest_by_relationship, next_steps, results_picture
from bot.scoring import score
from bot.summary import FILENAME as SUMMARY_FILENAME
from bot.summary import results_summary_pdf

NO_RESULTS_YET = Reply(
    "You haven't completed the questionnaire yet.", (Button("Take it now", START_ASSESSMENT),)
)


def _history_or_say_none(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[CompletedRun]:
    """The person's completed runs, oldest first; with none, says so (and offers the questionnaire)."""
    history = get_store().history(input_channel(tracker), tracker.sender_id)
    if not history:
        send(dispatcher, NO_RESULTS_YET)
    return history


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
            send(dispatcher, questionnaire.DECLINED)
            return [*reset, SlotSet("assessment_consent", None)]
        run = current_run(tracker)
        if run is None:
            return reset
        instrument = get_instrument()
        store = get_store()
        result = score(instrument, [run.answers.get(item.number) for item in instrument.items])
        store.complete(run.id, result)
        history = store.history(input_channel(tracker), tracker.sender_id)  # this run included, last
        earlier = [past for past in history if past.run_id != run.id]
        send(
            dispatcher,
            Reply(explain_result(instrument, run.relationship, result, earlier)),
            Reply(image=results_picture(instrument, history)),
            next_steps(instrument, result, history),
        )
        _, topic_id = STYLE_TOPICS[result.style]
        return [*reset, SlotSet("topic", topic_id), SlotSet("sections_shown", [])]


class ActionShowResults(Action):
    """The latest result for each relationship, with the picture of all results so far, and the
    latest four-paragraph (RQ) result."""

    def name(self) -> str:
        return "action_show_results"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        store, channel = get_store(), input_channel(tracker)
        history = store.history(channel, tracker.sender_id)
        four_paragraphs = store.latest_rq(channel, tracker.sender_id)
        if not history and four_paragraphs is None:
            send(dispatcher, NO_RESULTS_YET)
            return []
        instrument = get_instrument()
        for relationship_id, latest in latest_by_relationship(history).items():
            earlier = [past for past in history if past.completed_at < latest.completed_at]
            send(dispatcher, Reply(explain_result(instrument, relationship_id, latest.result, earlier)))
        if history:
            send(dispatcher, Reply(image=results_picture(instrument, history)))
        if four_paragraphs is not None:
            send(dispatcher, rq_dialogue.result_reply(get_rq(), four_paragraphs))
        return []


class ActionSaveResults(Action):
    """A one-page PDF of every result so far, to keep or to bring to a therapist or a course."""

    def name(self) -> str:
        return "action_save_results"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        history = _history_or_say_none(dispatcher, tracker)
        if not history:
            return []
        pdf = results_summary_pdf(get_instrument(), history, date.today())
        send(
            dispatcher,
            Reply(
                "Here is a one-page summary of your results to keep: the scores, the picture, what "
                "they mean and do not mean. It is not a diagnosis.",
                document=Document(SUMMARY_FILENAME, pdf_data_uri(pdf)),
            ),
        )
        return []
