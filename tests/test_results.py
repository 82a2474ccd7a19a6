"""What the results say (bot/results.py): only what the scores can carry, read against the scale."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.questionnaire import CompletedRun
from bot.results import explain_result, next_steps, plot_points, results_picture
from bot.scoring import Instrument, Result, nearest_style

ECR_RS = Instrument.load("ecr-rs")
LAST_MONTH = datetime(2026, 11, 2)


def result_of(anxiety: float, avoidance: float) -> Result:
    return Result(anxiety, avoidance, nearest_style(anxiety, avoidance, ECR_RS.midpoint), 9)


def earlier(relationship: str, anxiety: float, avoidance: float, run_id: int = 1) -> CompletedRun:
    return CompletedRun(run_id, relationship, result_of(anxiety, avoidance), LAST_MONTH)


def test_answering_the_middle_of_the_scale_is_said_as_such_and_names_no_pattern():
    text = explain_result(ECR_RS, "partner", result_of(4.0, 4.0))
    assert text.count("(in the middle of the scale)") == 2 and "leans neither way" in text
    assert "none of the four patterns fits well" in text and "**Secure**" not in text
    assert "not compared with other people" in text


def test_scores_are_described_as_what_was_answered_and_as_often_linked_to_the_models():
    text = explain_result(ECR_RS, "partner", result_of(6.0, 2.0))
    assert "Attachment anxiety: 6.0** of 7 (high). You mostly agreed" in text
    assert "often linked to a less sure model of self" in text
    assert (
        "Attachment avoidance: 2.0** of 7 (low)" in text and "often linked to a more trusting model" in text
    )
    assert (
        "The nearest of the four patterns is **Anxious-preoccupied**" in text and "sits between" not in text
    )


def test_one_score_in_the_middle_band_puts_the_result_between_two_patterns():
    text = explain_result(ECR_RS, "friend", result_of(5.2, 3.7))
    assert "(fairly high)" in text and "between the **Anxious-preoccupied** and **Fearful-avoidant**" in text
    # anxiety 4.2 leans neither way: not "anxious", but between secure and anxious
    text = explain_result(ECR_RS, "partner", result_of(4.2, 2.9))
    assert "between the **Secure** and **Anxious-preoccupied** patterns" in text


@pytest.mark.parametrize("parent", ["mother", "father"])
def test_no_pattern_is_named_for_a_parent(parent):
    text = explain_result(ECR_RS, parent, result_of(6.0, 6.0))
    assert "I don't name one for a parent" in text and "Fearful" not in text


def test_a_small_difference_on_a_retake_is_normal_fluctuation():
    text = explain_result(ECR_RS, "partner", result_of(4.2, 2.9), [earlier("partner", 5.0, 3.0)])
    assert "anxiety 5.0 \u2192 4.2: within normal ups and downs" in text
    assert "avoidance 3.0 \u2192 2.9: within normal ups and downs" in text
    assert "up to 2.05 points" in text and "Working models can shift" not in text


def test_a_reliable_change_is_named_with_its_direction():
    # partner threshold 2.05: anxiety down 3.0 is real, avoidance down 1.0 is not
    text = explain_result(ECR_RS, "partner", result_of(3.0, 2.0), [earlier("partner", 6.0, 3.0)])
    assert "anxiety 6.0 \u2192 3.0: a real change (down)" in text
    assert "avoidance 3.0 \u2192 2.0: within normal ups and downs" in text
    assert "Working models can shift" in text
    worse = explain_result(ECR_RS, "mother", result_of(5.0, 2.0), [earlier("mother", 3.0, 2.0)])
    assert "a real change (up)" in worse and "Working models can shift" not in worse


def test_comparisons_name_the_dimension_that_differs():
    text = explain_result(ECR_RS, "partner", result_of(6.0, 2.4), [earlier("mother", 2.0, 2.0)])
    assert "anxiety is higher with your romantic partner (6.0) than with your mother (2.0)" in text
    assert "avoidance is higher" not in text
    similar = explain_result(ECR_RS, "partner", result_of(3.0, 3.0), [earlier("friend", 3.5, 2.5)])
    assert "your scores for your best friend are similar" in similar


def test_next_steps_point_to_the_things_to_try_for_the_score_that_stands_out():
    anxious = next_steps(ECR_RS, result_of(6.0, 2.0), [])
    assert anxious.buttons[0].title == "Things to try: worry in relationships"
    assert anxious.buttons[0].payload == '/follow_up{"concept": "style-anxious", "kind": "what-to-do"}'
    both = [button.title for button in next_steps(ECR_RS, result_of(6.0, 6.0), []).buttons]
    assert both[:2] == ["Things to try: worry in relationships", "Things to try: opening up"]
    assert next_steps(ECR_RS, result_of(4.0, 3.0), []).buttons[0].title == "Things that keep security growing"


def test_the_picture_holds_earlier_attempts_in_order_and_each_relationships_band():
    history = [
        earlier("partner", 5.7, 4.8, run_id=1),
        earlier("mother", 2.3, 3.0, run_id=2),
        earlier("partner", 4.0, 4.5, run_id=3),
        earlier("partner", 3.3, 4.2, run_id=4),
    ]
    partner, mother = plot_points(ECR_RS, history)
    assert (partner.label, partner.anxiety, partner.avoidance) == ("romantic partner", 3.3, 4.2)
    assert partner.earlier == ((5.7, 4.8), (4.0, 4.5)) and partner.fluctuation == 2.05
    assert mother.earlier == () and mother.fluctuation == 1.55
    assert results_picture(ECR_RS, history).startswith("data:image/png;base64,")
