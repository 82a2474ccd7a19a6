"""The questionnaire form's actions: starting, asking, reading answers, pausing, resuming."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.my_data import ActionExportData
from actions.questionnaire import (
    DONE,
    ActionAskAssessmentAnswer,
    ActionPauseAssessment,
    ActionStartAssessment,
    ValidateAssessmentForm,
)
from actions.results import ActionShowResults
from bot.questionnaire import PAUSED, STORAGE_UNAVAILABLE
from tests.actions.conftest import SENDER, answer, run, start, tracker


def test_choosing_a_relationship_in_words_starts_a_stored_run(store):
    dispatcher = CollectingDispatcher()
    result = ValidateAssessmentForm().validate_assessment_relationship(
        "my mum", dispatcher, tracker({"assessment_consent": True}, "my mum"), {}
    )
    assert result["assessment_relationship"] == "mother"
    assert store.run_state(int(result["assessment_run_id"])).relationship == "mother"


def test_an_unknown_relationship_is_asked_again_with_buttons(store):
    dispatcher = CollectingDispatcher()
    result = ValidateAssessmentForm().validate_assessment_relationship(
        "my cat", dispatcher, tracker({}, "my cat"), {}
    )
    assert result == {"assessment_relationship": None}
    assert len(dispatcher.messages[0]["buttons"]) == 4


def test_each_statement_is_asked_with_progress_and_the_scale_as_buttons(store):
    slots = start(store)
    messages, _ = run(ActionAskAssessmentAnswer(), slots)
    assert messages[0]["text"].startswith("**1 of 9**")
    assert "It helps to turn to this person in times of need." in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"][:7]] == [str(v) for v in range(1, 8)]
    store.record_answer(slots["assessment_run_id"], 1, 4)
    messages, _ = run(ActionAskAssessmentAnswer(), slots)
    assert messages[0]["text"].startswith("**2 of 9**")


def test_answers_in_words_are_stored_at_once_and_echoed(store):
    slots = start(store)
    messages, result = answer(slots, "strongly agree")
    assert result == {"assessment_answer": None}
    assert store.run_state(slots["assessment_run_id"]).answers == {1: 7}
    assert messages[0]["text"] == "Noted: 7 (strongly agree)."


def test_an_unclear_answer_is_asked_again_and_nothing_is_stored(store):
    slots = start(store)
    messages, result = answer(slots, "purple")
    assert result == {"assessment_answer": None}
    assert store.run_state(slots["assessment_run_id"]).answers == {}
    assert "couldn't tell" in messages[0]["text"]


def test_skip_and_go_back(store):
    slots = start(store)
    answer(slots, "6")
    answer(slots, "skip")
    assert store.run_state(slots["assessment_run_id"]).answers == {1: 6, 2: None}
    answer(slots, "go back")
    assert store.run_state(slots["assessment_run_id"]).answers == {1: 6}
    answer(slots, "2")
    assert store.run_state(slots["assessment_run_id"]).answers == {1: 6, 2: 2}


def test_the_last_answer_completes_the_form(store):
    slots = start(store)
    for value in "7654321":
        answer(slots, value)
    _, result = answer(slots, "2")
    assert result == {"assessment_answer": None}
    _, result = answer(slots, "3")
    assert result == {"assessment_answer": DONE}


def test_pause_keeps_the_answers_and_resume_continues(store):
    slots = start(store)
    answer(slots, "5")
    messages, events = run(ActionPauseAssessment(), slots, "pause", "pause_assessment")
    assert ActiveLoop(None) in events and "1 answers are saved" in messages[0]["text"]
    assert store.open_run("rest", SENDER).status == PAUSED
    messages, events = run(ActionStartAssessment(), {}, "resume", "resume_assessment")
    assert "answered 1 of 9" in messages[0]["text"]
    assert SlotSet("assessment_run_id", slots["assessment_run_id"]) in events


def test_resuming_continues_the_same_run_instead_of_starting_a_new_one(store):
    slots = start(store)
    answer(slots, "5")
    store.set_status(slots["assessment_run_id"], PAUSED)
    _, events = run(ActionStartAssessment(), {}, "resume", "resume_assessment")
    restored = {event["name"]: event["value"] for event in events}
    dispatcher = CollectingDispatcher()
    result = ValidateAssessmentForm().validate_assessment_relationship(
        restored["assessment_relationship"], dispatcher, tracker(restored, "resume", "resume_assessment"), {}
    )
    assert result == {"assessment_relationship": "partner", "assessment_run_id": slots["assessment_run_id"]}
    assert dispatcher.messages == []
    assert store.open_run("rest", SENDER).answers == {1: 5}


def test_slots_cleared_at_the_start_are_not_taken_as_answers(store):
    dispatcher = CollectingDispatcher()
    form = ValidateAssessmentForm()
    empty = tracker({})
    assert form.validate_assessment_consent(None, dispatcher, empty, {}) == {"assessment_consent": None}
    assert form.validate_assessment_relationship(None, dispatcher, empty, {}) == {
        "assessment_relationship": None
    }
    assert form.validate_assessment_answer(None, dispatcher, empty, {}) == {"assessment_answer": None}
    assert dispatcher.messages == []


def test_with_the_database_down_the_questionnaire_says_so_and_stops_cleanly(unreachable_database):
    for action, text, intent in [
        (ActionStartAssessment(), "quiz me", "start_assessment"),
        (ActionShowResults(), "show my results", "show_results"),
        (ActionExportData(), "my data", "export_data"),
    ]:
        messages, events = run(action, {}, text, intent)
        assert [message["text"] for message in messages] == [STORAGE_UNAVAILABLE]
        assert FollowupAction("action_listen") in events and ActiveLoop(None) in events
