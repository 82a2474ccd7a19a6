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
from bot.content import SECTION_DEPTH, ContentLibrary, topic_for_intent
from bot.nlp import load_pipeline
from bot.questionnaire import unclear_answer
from bot.tutor import FOLLOW_UP_INTENTS, Tutor

# "why?" and "example" ask for one section; "tell me more" (the depth intent) walks through all.
SECTION_FOR_INTENT = {
    intent: section for section, intent in FOLLOW_UP_INTENTS.items() if section != SECTION_DEPTH
}
# Mid-questionnaire, a vague reply to a statement ("hmm it depends") can look a little like a
# topic question; below this confidence it is an unclear answer, asked again.
MIN_INTERRUPTION_CONFIDENCE = 0.8


@lru_cache(maxsize=1)
def get_tutor() -> Tutor:
    """One Tutor per action-server process, loaded on first use (the spaCy pipeline takes a moment)."""
    return Tutor(ContentLibrary.load(), load_pipeline())


def _new_topic_events(topic_id: str | None) -> list[EventType]:
    if topic_id is None:
        return []
    return [SlotSet("topic", topic_id), SlotSet("sections_shown", [])]


class ActionExplainTopic(Action):
    """Explains the topic asked about, weighing the classifier's ranking against retrieval."""

    def name(self) -> str:
        return "action_explain_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message
        ranking = {item["name"]: item["confidence"] for item in message.get("intent_ranking") or []}
        confident = topic_for_intent(latest_intent(tracker)) is not None
        reply, topic_id = get_tutor().answer(message.get("text") or "", ranking, confident)
        send(dispatcher, reply)
        return _new_topic_events(topic_id)


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
    """'Tell me more', 'why?' and 'give me an example' about the topic explained last."""

    def name(self) -> str:
        return "action_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        tutor = get_tutor()
        topic_id = tracker.get_slot("topic")
        if topic_id not in tutor.library:
            send(dispatcher, tutor.menu("Happy to go deeper. Which topic shall we start with?"))
            return []
        shown = list(tracker.get_slot("sections_shown") or [])
        section = SECTION_FOR_INTENT.get(latest_intent(tracker))
        if section is None:  # "tell me more": the next part not shown yet
            reply, section = tutor.next_section(topic_id, shown)
        else:
            reply = tutor.section(topic_id, section, shown)
        send(dispatcher, reply)
        if section is None or section in shown:
            return []
        return [SlotSet("sections_shown", [*shown, section])]


class ActionCompareConcepts(Action):
    def name(self) -> str:
        return "action_compare_concepts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reply, topic_ids = get_tutor().compare(
            tracker.latest_message.get("text") or "", tracker.get_slot("topic")
        )
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
