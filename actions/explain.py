"""Explaining concepts: a topic, its follow-ups, comparisons, the menu, and questions mid-questionnaire.

Rules: nlu/rules/explain.yml.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import get_instrument, latest_intent, send
from bot.content import ContentLibrary
from bot.questionnaire import unclear_answer
from bot.reading import Reading
from bot.tutor import MAX_RATING_WORDS, STORY_WORDS, Answer, Tutor, feelings_only

# "why?" and "an example?" ask for one kind of answer; "tell me more" walks through all sections.
KIND_FOR_INTENT = {"ask_why": "why-matters", "ask_example": "example"}  # the "Why does it matter?" button
# Mid-questionnaire, a vague reply to a statement ("hmm it depends") can look a little like a
# topic question; below this confidence it is an unclear answer, asked again.
MIN_INTERRUPTION_CONFIDENCE = 0.8


@lru_cache(maxsize=1)
def get_tutor() -> Tutor:
    """One Tutor per action-server process, loaded on first use."""
    return Tutor(ContentLibrary.load())


def reading_of(tracker: Tracker) -> Reading:
    """How the NLU pipeline read the latest message (bot/rasa_ext/reader.py), or what its payload says."""
    message = tracker.latest_message
    return Reading.from_dict(message.get("reading")) or Reading.of_intent(latest_intent(tracker))


def _new_topic_events(topic_id: str | None, section: str | None = None) -> list[EventType]:
    if topic_id is None:
        return []
    return [SlotSet("topic", topic_id), SlotSet("sections_shown", [section] if section else [])]


def _entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


class ActionExplainTopic(Action):
    """Explains the topic asked about, weighing the classifier's ranking against retrieval."""

    def name(self) -> str:
        return "action_explain_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reading = reading_of(tracker)
        if feelings_only(latest_intent(tracker), reading):
            dispatcher.utter_message(response="utter_share_feelings")  # feelings are the message
            return []
        answer = get_tutor().answer(reading)
        send(dispatcher, answer.reply)
        return _new_topic_events(answer.topic_id, answer.section)


class ActionAnswerStrayRating(ActionExplainTopic):
    """A rating, skip or "go back" with no questionnaire running.

    A short one ("5", "skip") was meant for a questionnaire: say none is running. A longer
    message only looked like one because it holds numbers or dates ("your columns of
    3/2/2019 fit my boyfriend..."): it is a question, answered as any other.
    """

    def name(self) -> str:
        return "action_answer_stray_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if len((tracker.latest_message.get("text") or "").split()) <= MAX_RATING_WORDS:
            dispatcher.utter_message(response="utter_no_questionnaire")
            return []
        return await super().run(dispatcher, tracker, domain)


class ActionAnswerBesideHelp(Action):
    """After help lines for a message with a risk signal, the answer to what it also asked."""

    def name(self) -> str:
        return "action_answer_beside_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answer = get_tutor().answer_beside_help(reading_of(tracker))
        if answer is None:
            return []
        send(dispatcher, answer.reply)
        return _new_topic_events(answer.topic_id, answer.section)


class ActionExplainDuringAssessment(ActionExplainTopic):
    """A concept question in the middle of the questionnaire, if it clearly is one."""

    def name(self) -> str:
        return "action_explain_during_assessment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0
        if confidence >= MIN_INTERRUPTION_CONFIDENCE:
            return await super().run(dispatcher, tracker, domain)
        send(dispatcher, unclear_answer(get_instrument()))
        return []


class ActionFollowUp(Action):
    """A follow-up about the topic explained last (or picked from a choice): "tell me more", "why?",
    "an example?", "so what can I do about it?", "is that normal?", "what if it's my partner?"."""

    def name(self) -> str:
        return "action_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        tutor = get_tutor()
        chosen = _entity(tracker, "concept")
        topic_id = chosen if chosen in tutor.library else tracker.get_slot("topic")
        if topic_id not in tutor.library:
            reading = reading_of(tracker)
            if reading.words >= STORY_WORDS:  # a question of its own, worded like a follow-up
                answer = tutor.answer(reading)
                send(dispatcher, answer.reply)
                return _new_topic_events(answer.topic_id, answer.section)
            send(dispatcher, tutor.menu("Happy to go deeper. Which topic shall we start with?"))
            return []
        shown = [] if chosen else list(tracker.get_slot("sections_shown") or [])
        intent = latest_intent(tracker)
        kind = _entity(tracker, "kind") or KIND_FOR_INTENT.get(intent)
        if not kind:  # "tell me more" walks on through the sections; other words say what they want
            kind = "what" if intent == "more_detail" else reading_of(tracker).kind
        answer: Answer = tutor.follow_up(kind, topic_id, shown)
        send(dispatcher, answer.reply)
        events: list[EventType] = (
            [SlotSet("topic", answer.topic_id)] if answer.topic_id != topic_id or chosen else []
        )
        if answer.section and answer.section not in shown:
            events.append(SlotSet("sections_shown", [*shown, answer.section]))
        return events


class ActionCompareConcepts(Action):
    def name(self) -> str:
        return "action_compare_concepts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reply, topic_ids = get_tutor().compare(reading_of(tracker).concepts, tracker.get_slot("topic"))
        send(dispatcher, reply)
        return _new_topic_events(topic_ids[-1] if topic_ids else None)


class ActionShowTopics(Action):
    def name(self) -> str:
        return "action_show_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intro = "Here is everything I can explain. Pick one, or just ask in your own words."
        send(dispatcher, get_tutor().menu(intro))
        return []
