"""The results actions: scoring a finished questionnaire, explaining it, showing it again."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.my_data import ActionDeleteData
from actions.questionnaire import DONE
from actions.results import ActionFinishAssessment, ActionSaveResults, ActionShowResults
from tests.actions.conftest import ASKED_TO_CONFIRM, SENDER, answered_all, run


def test_results_explain_scores_models_and_send_a_picture(store):
    slots = answered_all(store)
    messages, events = run(ActionFinishAssessment(), {**slots, "assessment_answer": DONE})
    text = messages[0]["text"]
    assert "Attachment anxiety: 2.0" in text and "Attachment avoidance: 2.5" in text
    assert "model of self" in text and "model of others" in text and "**Secure**" in text
    assert "not a diagnosis" in text
    assert messages[1]["image"].startswith("data:image/png;base64,")
    assert SlotSet("topic", "style-secure") in events
    assert store.history("rest", SENDER)[0].result.style == "secure"


def test_declining_consent_stores_nothing(store):
    messages, _ = run(ActionFinishAssessment(), {"assessment_consent": False}, "no", "deny")
    assert "nothing was stored" in messages[0]["text"]
    assert store.open_run("rest", SENDER) is None and store.history("rest", SENDER) == []


def test_results_can_be_seen_again_and_deleted_after_confirmation(store):
    slots = answered_all(store)
    run(ActionFinishAssessment(), {**slots, "assessment_answer": DONE})
    messages, _ = run(ActionShowResults(), {}, "show my results", "show_results")
    assert "Your results: romantic partner" in messages[0]["text"] and "9 of 9" in messages[0]["text"]
    assert messages[1]["image"].startswith("data:image/png;base64,")
    messages, _ = run(ActionDeleteData(), {}, "/confirm_delete", "confirm_delete", before=ASKED_TO_CONFIRM)
    assert "deleted" in messages[0]["text"]
    assert store.history("rest", SENDER) == []
    messages, _ = run(ActionShowResults(), {}, "show my results", "show_results")
    assert "haven't completed" in messages[0]["text"]


def test_results_can_be_saved_as_a_one_page_pdf_once_there_are_some(store):
    messages, _ = run(ActionSaveResults(), {}, "save my results", "save_results")
    assert "haven't completed" in messages[0]["text"]
    slots = answered_all(store)
    run(ActionFinishAssessment(), {**slots, "assessment_answer": DONE})
    messages, _ = run(ActionSaveResults(), {}, "save my results", "save_results")
    assert "not a diagnosis" in messages[0]["text"]
    document = messages[0]["custom"]["document"]
    assert document["filename"].endswith(".pdf")
    assert document["data"].startswith("data:application/pdf;base64,JVBER")  # %PDF
