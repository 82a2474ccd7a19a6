"""The person's own data: the export and deletion."""

from __future__ import annotations

import json

from rasa_sdk.events import SlotSet

from actions.my_data import ActionDeleteData, ActionExportData
from tests.actions.conftest import run, start


def test_the_data_export_is_json_with_answers_and_the_persons_own_messages(store):
    slots = start(store)
    store.record_answer(slots["assessment_run_id"], 1, 5)
    messages, _ = run(ActionExportData(), {}, "my partner says i'm clingy", "export_data")
    text = messages[0]["text"]
    export = json.loads(text[text.index("```") + 3 : text.rindex("```")])
    assert export["questionnaire"]["assessments"][0]["answers"] == {"1": 5}
    assert export["conversation"][0]["you_wrote"] == "my partner says i'm clingy"


def test_deleting_data_also_asks_the_tracker_store_to_erase_the_conversation(store):
    _, events = run(ActionDeleteData(), {}, "/confirm_delete", "confirm_delete")
    assert SlotSet("data_erased", True) in events
