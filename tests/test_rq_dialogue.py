"""The four-paragraph questionnaire in conversation (bot/rq_dialogue.py): reading choices, the results."""

from __future__ import annotations

import pytest

from bot.rq import RelationshipQuestionnaire, from_stored_answers, score_rq, stored_answers
from bot.rq_dialogue import (
    ask_best_fit,
    ask_rating,
    explain_result,
    next_steps,
    paragraph_chosen,
    result_reply,
)

RQ = RelationshipQuestionnaire.load()


@pytest.mark.parametrize(
    ("text", "prototype"),
    [
        ("B", "fearful"),
        ("paragraph c", "preoccupied"),
        ("the second one", "fearful"),
        ("I'd say a", "secure"),
        ("paragraph A fits", "secure"),
        ("the dismissive one", "dismissing"),
        ("anxious", "preoccupied"),
        ("it's a C", "preoccupied"),  # "a" as an article is not paragraph A
    ],
)
def test_a_paragraph_is_read_from_a_letter_an_ordinal_or_a_name(text, prototype):
    assert paragraph_chosen(text) == prototype


@pytest.mark.parametrize(
    "text", ["B or C", "hello there", "", "I can't decide between the first and the last"]
)
def test_no_paragraph_or_two_of_them_is_unclear(text):
    assert paragraph_chosen(text) is None


def test_the_paragraphs_are_shown_exactly_with_buttons_a_to_d_and_stop():
    reply = ask_best_fit(RQ)
    for paragraph in RQ.paragraphs:
        assert paragraph.text in reply.text
    assert [button.title for button in reply.buttons] == ["A", "B", "C", "D", "Stop"]
    assert reply.buttons[1].payload == '/choose_paragraph{"paragraph": "B"}'


def test_each_rating_shows_its_paragraph_the_step_and_the_scale():
    reply = ask_rating(RQ, "preoccupied")
    assert "Rating 3 of 4" in reply.text and RQ.paragraphs[2].text in reply.text
    assert [button.payload for button in reply.buttons][:7] == [str(value) for value in range(1, 8)]
    assert "Go back" in [button.title for button in reply.buttons]


def test_results_read_each_model_against_its_scale_by_hand():
    # secure 5, fearful 2, preoccupied 6, dismissing 1:
    # self = (5 + 1) - (2 + 6) = -2 (within the middle band), others = (5 + 6) - (2 + 1) = +8
    result = score_rq([5, 2, 6, 1], "secure")
    text = explain_result(RQ, result)
    assert "Your ratings: A 5, B 2, C 6, D 1." in text
    assert "Model of self: -2**, which leans neither way" in text
    assert "Model of others: +8**, which leans toward \u201cpeople will be there for me\u201d" in text
    assert "rated highest is C, the preoccupied" in text
    assert "You picked A as fitting best" in text
    assert "not a diagnosis" in text and "not compared with other people" in text
    assert "Bartholomew, K., & Horowitz, L. M. (1991)" in text


def test_an_unresolved_tie_names_no_pattern():
    # secure 6 and preoccupied 6 tie; the person picked fearful as fitting best
    result = score_rq([6, 2, 6, 1], "fearful", allow_tie=True)
    assert result.style is None
    assert "You rated A and C equally high, so no single pattern stands out" in explain_result(RQ, result)
    with pytest.raises(Exception, match="not among the highest"):
        score_rq([6, 2, 6, 1], "fearful")  # the command line still asks for a tie-breaker


def test_next_steps_follow_the_model_that_leans_most_to_the_wary_side():
    worried = score_rq([2, 6, 7, 1])  # self (2+1)-(6+7) = -10, others (2+7)-(6+1) = 2
    assert next_steps(worried)[0].title == "Things to try: worry in relationships"
    guarded = score_rq([2, 3, 1, 7])  # self (2+7)-(3+1) = 5, others (2+1)-(3+7) = -7
    assert next_steps(guarded)[0].title == "Things to try: opening up"
    assert next_steps(score_rq([7, 1, 1, 1]))[0].title == "Things that keep security growing"


def test_the_result_comes_with_its_picture():
    reply = result_reply(RQ, score_rq([5, 2, 6, 1]))
    assert reply.image.startswith("data:image/png;base64,") and len(reply.image) > 10_000


def test_a_result_survives_storage_as_numbered_answers():
    result = score_rq([5, 2, 6, 1], "dismissing", allow_tie=True)
    assert stored_answers(result) == {1: 5, 2: 2, 3: 6, 4: 1, 5: 4}
    assert from_stored_answers(stored_answers(result)) == result
