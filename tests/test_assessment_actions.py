"""The assessment actions with CollectingDispatcher and Tracker.from_dict, on a temporary database."""

from __future__ import annotations

import asyncio
import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import assessment
from actions.assessment import (
    DONE,
    STORAGE_UNAVAILABLE,
    ActionAskAssessmentAnswer,
    ActionDeleteData,
    ActionExplainDuringAssessment,
    ActionExportData,
    ActionFinishAssessment,
    ActionPauseAssessment,
    ActionShowResults,
    ActionStartAssessment,
    ValidateAssessmentForm,
)
from actions.safety import ActionCrisisSupport
from bot.storage import PAUSED, AssessmentStore

SENDER = "person-1"


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    store = AssessmentStore(f"sqlite:///{tmp_path / 'iwm.sqlite3'}", key=b"k")
    store.migrate()
    monkeypatch.setattr(assessment, "get_store", lambda: store)
    yield store
    store.dispose()


def tracker(slots: dict, text: str = "", intent: str = "rate_statement") -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": SENDER,
            "slots": {"assessment_consent": None, "assessment_relationship": None, "assessment_answer": None,
                      "assessment_run_id": None, "requested_slot": None, **slots},
            "latest_message": {"text": text, "intent": {"name": intent, "confidence": 1.0}},
            "events": [{"event": "user", "text": text, "input_channel": "rest"}],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": "assessment_form"},
            "latest_action_name": "action_listen",
        }
    )  # fmt: skip


def run(action, slots: dict, text: str = "", intent: str = "rate_statement"):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots, text, intent), {}))
    return dispatcher.messages, events


def answer(slots: dict, text: str):
    dispatcher = CollectingDispatcher()
    form = ValidateAssessmentForm()
    result = form.validate_assessment_answer(text, dispatcher, tracker(slots, text), {})
    return dispatcher.messages, result


def start(store) -> dict:
    run_state = store.start_run("rest", SENDER, "ecr-rs", "partner")
    return {
        "assessment_consent": True,
        "assessment_relationship": "partner",
        "assessment_run_id": run_state.id,
    }


def test_choosing_a_relationship_in_words_starts_a_stored_run(store):
    dispatcher = CollectingDispatcher()
    result = ValidateAssessmentForm().validate_assessment_relationship(
        "my mum", dispatcher, tracker({"assessment_consent": True}, "my mum"), {}
    )
    assert result["assessment_relationship"] == "mother"
    assert store.run_state(int(result["assessment_run_id"])).domain == "mother"


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


def test_results_explain_scores_models_and_send_a_picture(store):
    slots = start(store)
    for item, value in enumerate([7, 6, 5, 4, 3, 2, 1, 2, 3], start=1):
        store.record_answer(slots["assessment_run_id"], item, value)
    messages, events = run(ActionFinishAssessment(), {**slots, "assessment_answer": DONE})
    text = messages[0]["text"]
    assert "Attachment anxiety: 2.0" in text and "Attachment avoidance: 2.5" in text
    assert "model of self" in text and "model of others" in text and "**Secure**" in text
    assert "not a diagnosis" in text
    assert messages[1]["image"].startswith("data:image/png;base64,")
    assert SlotSet("topic", "style-secure") in events
    assert store.history("rest", SENDER)[0].style == "secure"


def test_declining_consent_stores_nothing(store):
    messages, _ = run(ActionFinishAssessment(), {"assessment_consent": False}, "no", "deny")
    assert "nothing was stored" in messages[0]["text"]
    assert store.open_run("rest", SENDER) is None and store.history("rest", SENDER) == []


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


def test_results_can_be_seen_again_and_deleted_after_confirmation(store):
    slots = start(store)
    for item, value in enumerate([7, 6, 5, 4, 3, 2, 1, 2, 3], start=1):
        store.record_answer(slots["assessment_run_id"], item, value)
    run(ActionFinishAssessment(), {**slots, "assessment_answer": DONE})
    messages, _ = run(ActionShowResults(), {}, "show my results", "show_results")
    assert "Your results: romantic partner" in messages[0]["text"] and "9 of 9" in messages[0]["text"]
    assert messages[1]["image"].startswith("data:image/png;base64,")
    messages, _ = run(ActionDeleteData(), {}, "/confirm_delete", "confirm_delete")
    assert "deleted" in messages[0]["text"]
    assert store.history("rest", SENDER) == []
    messages, _ = run(ActionShowResults(), {}, "show my results", "show_results")
    assert "haven't completed" in messages[0]["text"]


def test_a_clear_concept_question_mid_questionnaire_is_answered_a_vague_reply_is_not(library):
    def ask(text: str, confidence: float) -> str:
        dispatcher = CollectingDispatcher()
        latest = tracker({}, text, "explain_style_avoidant")
        latest.latest_message["intent"]["confidence"] = confidence
        latest.latest_message["intent_ranking"] = [
            {"name": "explain_style_avoidant", "confidence": confidence}
        ]
        asyncio.run(ActionExplainDuringAssessment().run(dispatcher, latest, {}))
        return dispatcher.messages[0]["text"]

    assert library.get("style-avoidant").summary in ask("what does dismissive avoidant mean?", 0.97)
    assert "couldn't tell" in ask("hmm it depends", 0.45)


def test_crisis_mid_questionnaire_gives_help_at_once_and_pauses_with_answers_kept(store):
    slots = start(store)
    store.record_answer(slots["assessment_run_id"], 1, 5)
    messages, events = run(ActionCrisisSupport(), slots, "i dont want to be here anymore", "crisis")
    assert "988" in messages[0]["text"] and "resume" in messages[0]["text"]
    assert ActiveLoop(None) in events
    paused = store.open_run("rest", SENDER)
    assert paused.status == PAUSED and paused.answers == {1: 5}


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


@pytest.fixture
def unreachable_database(monkeypatch):
    store = AssessmentStore("postgresql://nobody@127.0.0.1:1/none", key=b"k")
    monkeypatch.setattr(assessment, "get_store", lambda: store)
    yield
    store.dispose()


def test_with_the_database_down_the_questionnaire_says_so_and_stops_cleanly(unreachable_database):
    for action, text, intent in [
        (ActionStartAssessment(), "quiz me", "start_assessment"),
        (ActionShowResults(), "show my results", "show_results"),
        (ActionExportData(), "my data", "export_data"),
    ]:
        messages, events = run(action, {}, text, intent)
        assert [message["text"] for message in messages] == [STORAGE_UNAVAILABLE]
        assert FollowupAction("action_listen") in events and ActiveLoop(None) in events


def test_with_the_database_down_crisis_help_still_comes(unreachable_database):
    messages, _ = run(ActionCrisisSupport(), {"assessment_run_id": 3}, "he hits me", "crisis")
    assert "988" in messages[0]["text"]
