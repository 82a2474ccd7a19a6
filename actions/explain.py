"""Actions that explain concepts: a topic, its follow-ups, comparisons and the menu."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tutor_loader import get_tutor, send
from bot.content import SECTION_DEPTH, topic_for_intent
from bot.tutor import FOLLOW_UP_INTENTS

# "why?" and "example" ask for one section; "tell me more" (the depth intent) walks through all.
SECTION_FOR_INTENT = {
    intent: section for section, intent in FOLLOW_UP_INTENTS.items() if section != SECTION_DEPTH
}


def _latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


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
        confident = topic_for_intent(_latest_intent(tracker)) is not None
        reply, topic_id = get_tutor().answer(message.get("text") or "", ranking, confident)
        send(dispatcher, reply)
        return _new_topic_events(topic_id)


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
        section = SECTION_FOR_INTENT.get(_latest_intent(tracker))
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
