"""The person's own data: show everything stored about them, or delete it after confirmation.

Rules: nlu/rules/my_data.yml.
"""

from __future__ import annotations

import json

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import FORM_SLOTS, get_store, input_channel, needs_storage, send
from bot.replies import Reply

DELETED = Reply(
    "Done: your questionnaire answers, results and this conversation are deleted. "
    "If you write again, we start from scratch."
)
CONFIRMATION_QUESTION = "utter_ask_delete_confirmation"
# Tells the web chat widget to forget its transcript and session secret too.
ERASED_SIGNAL = {"data_erased": True}


def export_json(export: dict) -> str:
    """JSON for the code block: a backtick the person typed is escaped, so it cannot close the block."""
    return json.dumps(export, indent=1, ensure_ascii=False).replace("`", "\\u0060")


def confirms_the_question(tracker: Tracker) -> bool:
    """Was the bot's last action before the person's latest message the question "Are you sure?"."""
    events = list(tracker.events)
    users = [index for index, event in enumerate(events) if event.get("event") == "user"]
    if not users:
        return False
    earlier = [
        event.get("name")
        for event in events[: users[-1]]
        if event.get("event") == "action" and event.get("name") != "action_listen"
    ]
    return bool(earlier) and earlier[-1] == CONFIRMATION_QUESTION


class ActionDeleteData(Action):
    """Deletes this person's answers and results; the tracker store then erases the conversation.

    Only as the answer to its own question: a confirmation that arrives any other way (stale,
    forged, or a "yes" meant for something else) deletes nothing.
    """

    def name(self) -> str:
        return "action_delete_data"

    @needs_storage
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not confirms_the_question(tracker):
            dispatcher.utter_message(response="utter_nothing_to_confirm")
            return []
        get_store().delete_participant(input_channel(tracker), tracker.sender_id)
        send(dispatcher, DELETED)
        dispatcher.utter_message(json_message=ERASED_SIGNAL)
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
            "questionnaire": get_store().export_participant(input_channel(tracker), tracker.sender_id),
            "conversation": [
                {"time": event.get("timestamp"), "you_wrote": event.get("text")}
                for event in tracker.events
                if event.get("event") == "user" and event.get("text")
            ],
        }
        send(
            dispatcher,
            Reply(
                "Here is everything stored about you, as JSON. "
                "Say \u201cdelete my data\u201d to erase it.\n\n"
                f"```\n{export_json(export)}\n```"
            ),
        )
        return []
