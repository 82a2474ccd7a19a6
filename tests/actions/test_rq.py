"""The four-paragraph questionnaire's actions: reading answers, going back, results kept and shown, stop."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.my_data import ActionExportData
from actions.questionnaire import DONE
from actions.results import ActionFinishAssessment, ActionShowResults
from actions.rq import ActionAskFearfulRating, ActionRQResults, ActionStartRQ, ActionStopRQ, ValidateRQForm
from tests.actions.conftest import SENDER, answered_all, run, tracker

ANSWERED = {
    "rq_best": "preoccupied",
    "rq_secure": 5,
    "rq_fearful": 2,
    "rq_preoccupied": 6,
    "rq_dismissing": 1,
}


def validate(slot: str, text: str, slots: dict | None = None):
    dispatcher = CollectingDispatcher()
    validator = getattr(ValidateRQForm(), f"validate_{slot}")
    result = validator(text, dispatcher, tracker(slots or {}, text), {})
    return dispatcher.messages, result


def test_a_typed_choice_and_a_worded_rating_are_read():
    assert validate("rq_best", "the second one")[1] == {"rq_best": "fearful"}
    assert validate("rq_fearful", "agree")[1] == {"rq_fearful": 6}


def test_an_unclear_choice_or_rating_is_asked_again_in_plain_words():
    messages, result = validate("rq_best", "no idea")
    assert result == {"rq_best": None} and "Pick A, B, C or D" in messages[0]["text"]
    messages, result = validate("rq_secure", "9")
    assert result == {"rq_secure": None} and "from 1 (not at all) to 7" in messages[0]["text"]


def test_a_rating_cannot_be_skipped_and_go_back_reopens_the_step_before():
    messages, result = validate("rq_fearful", "skip")
    assert result == {"rq_fearful": None} and "can't be skipped" in messages[0]["text"]
    assert validate("rq_fearful", "go back")[1] == {"rq_fearful": None, "rq_secure": None}
    assert validate("rq_secure", "go back")[1] == {"rq_secure": None, "rq_best": None}


def test_each_rating_step_shows_its_own_paragraph():
    messages, _ = run(ActionAskFearfulRating(), {})
    assert (
        "Rating 2 of 4" in messages[0]["text"] and "I am uncomfortable getting close" in messages[0]["text"]
    )


def test_starting_introduces_the_rq_and_clears_an_earlier_try():
    messages, events = run(ActionStartRQ(), {"rq_secure": 3})
    assert "Relationship Questionnaire" in messages[0]["text"] and "not a diagnosis" in messages[0]["text"]
    assert SlotSet("rq_secure", None) in events


def test_results_are_shown_with_the_picture_and_kept_where_my_data_finds_them(store):
    messages, events = run(ActionRQResults(), ANSWERED)
    assert "Model of self: -2**" in messages[0]["text"] and messages[0]["image"].startswith("data:image/png")
    assert SlotSet("rq_secure", None) in events  # a retake starts afresh
    exported, _ = run(ActionExportData(), {})
    assert '"instrument": "rq"' in exported[0]["text"] and '"self_model": -2' in exported[0]["text"]
    [kept] = store.export_participant("rest", SENDER)["assessments"]
    assert kept["instrument"] == "rq" and kept["status"] == "completed"
    assert kept["result"]["self_model"] == -2 and kept["result"]["other_model"] == 8
    assert store.open_run("rest", SENDER) is None  # nothing for the longer questionnaire to resume
    assert store.history("rest", SENDER) == []  # the ECR-RS history stays its own


def test_show_my_results_includes_the_latest_four_paragraph_result(store):
    run(ActionRQResults(), {**ANSWERED, "rq_secure": 1})  # an earlier try
    run(ActionRQResults(), ANSWERED)
    messages, _ = run(ActionShowResults(), {}, "show my results", "show_results")
    assert len(messages) == 1 and "haven't completed" not in messages[0]["text"]
    assert "four-paragraph results" in messages[0]["text"] and "Model of self: -2**" in messages[0]["text"]
    assert messages[0]["image"].startswith("data:image/png")
    slots = answered_all(store)  # and after the longer questionnaire, both
    run(ActionFinishAssessment(), {**slots, "assessment_answer": DONE})
    messages, _ = run(ActionShowResults(), {}, "show my results", "show_results")
    texts = [message.get("text") or "" for message in messages]
    assert "Your results: romantic partner" in texts[0] and "Model of self: -2**" in texts[-1]


def test_results_after_the_form_ended_early_score_nothing(store):
    messages, events = run(ActionRQResults(), {**ANSWERED, "rq_dismissing": None})
    assert messages == [] and ActiveLoop(None) in events
    assert store.export_participant("rest", SENDER) is None


def test_stopping_keeps_nothing_and_ends_the_form():
    messages, events = run(ActionStopRQ(), {"rq_best": "secure"})
    assert "no results were saved" in messages[0]["text"]
    assert ActiveLoop(None) in events and SlotSet("rq_best", None) in events
