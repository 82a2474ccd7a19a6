"""Crisis support from the action server's side."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop

from actions.safety import ActionCrisisSupport
from bot.questionnaire import PAUSED
from tests.actions.conftest import SENDER, run, start


def test_crisis_mid_questionnaire_gives_help_at_once_and_pauses_with_answers_kept(store):
    slots = start(store)
    store.record_answer(slots["assessment_run_id"], 1, 5)
    messages, events = run(ActionCrisisSupport(), slots, "i dont want to be here anymore", "crisis")
    assert "988" in messages[0]["text"] and "resume" in messages[0]["text"]
    assert ActiveLoop(None) in events
    paused = store.open_run("rest", SENDER)
    assert paused.status == PAUSED and paused.answers == {1: 5}


def test_with_the_database_down_crisis_help_still_comes(unreachable_database):
    messages, _ = run(ActionCrisisSupport(), {"assessment_run_id": 3}, "he hits me", "crisis")
    assert "988" in messages[0]["text"]
