"""The person's own data: the export and deletion."""

from __future__ import annotations

import json

from rasa_sdk.events import SlotSet

from actions.my_data import ActionDeleteData, ActionExportData
from tests.actions.conftest import ASKED_TO_CONFIRM, run, start


def test_the_data_export_is_json_with_answers_and_the_persons_own_messages(store):
    slots = start(store)
    store.record_answer(slots["assessment_run_id"], 1, 5)
    messages, _ = run(ActionExportData(), {}, "my partner says i'm clingy", "export_data")
    text = messages[0]["text"]
    export = json.loads(text[text.index("```") + 3 : text.rindex("```")])
    assert export["questionnaire"]["assessments"][0]["answers"] == {"1": 5}
    assert export["conversation"][0]["you_wrote"] == "my partner says i'm clingy"


def test_a_backtick_the_person_typed_cannot_break_out_of_the_exports_code_block(store):
    messages, _ = run(ActionExportData(), {}, "what does ``` mean", "export_data")
    text = messages[0]["text"]
    assert text.count("```") == 2
    export = json.loads(text[text.index("```") + 3 : text.rindex("```")])
    assert export["conversation"][0]["you_wrote"] == "what does ``` mean"


def test_deleting_data_also_asks_the_tracker_store_to_erase_the_conversation(store):
    _, events = run(ActionDeleteData(), {}, "/confirm_delete", "confirm_delete", before=ASKED_TO_CONFIRM)
    assert SlotSet("data_erased", True) in events


def test_a_confirmation_that_does_not_answer_the_question_deletes_nothing(store):
    slots = start(store)
    store.record_answer(slots["assessment_run_id"], 1, 5)
    answered_no = [{"event": "user", "text": "no"}, {"event": "action", "name": "utter_data_kept"}]
    later = [*ASKED_TO_CONFIRM, *answered_no, {"event": "action", "name": "action_listen"}]
    for before in ([], later):
        messages, events = run(ActionDeleteData(), {}, "/confirm_delete", "confirm_delete", before=before)
        assert events == [] and messages[0]["response"] == "utter_nothing_to_confirm"
    assert store.open_run("rest", "person-1").answers == {1: 5}
