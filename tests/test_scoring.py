"""The scoring core: hand-computed cases, properties over all answers, and the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.scoring import AnswerError, Instrument, InstrumentError, nearest_style, parse_answer_list, score

ECR_RS = Instrument.load("ecr-rs")
answers_1_to_7 = st.lists(st.integers(1, 7), min_size=9, max_size=9)


def test_the_ecr_rs_items_are_reproduced_with_their_keys():
    assert len(ECR_RS.items) == 9
    assert ECR_RS.items[0].text == "It helps to turn to this person in times of need."
    assert ECR_RS.items[8].text == (
        "I worry that this person won't care about me as much as I care about him or her."
    )
    assert [item.reverse for item in ECR_RS.items] == [True] * 4 + [False] * 5
    assert [item.subscale for item in ECR_RS.items] == ["avoidance"] * 6 + ["anxiety"] * 3
    assert "Fraley" in ECR_RS.citation and "Psychological Assessment, 23(3), 615-625" in ECR_RS.citation
    assert set(ECR_RS.relationships) == {"partner", "mother", "father", "friend"}


@pytest.mark.parametrize(
    ("answers", "anxiety", "avoidance", "style"),
    [
        # avoidance: (8-7, 8-6, 8-5, 8-4, 3, 2) -> 15/6; anxiety: (1, 2, 3) -> 2
        ([7, 6, 5, 4, 3, 2, 1, 2, 3], 2.0, 2.5, "secure"),
        ([1, 1, 1, 1, 7, 7, 7, 7, 7], 7.0, 7.0, "fearful"),
        ([7, 7, 7, 7, 1, 1, 7, 6, 5], 6.0, 1.0, "anxious"),
        # avoidance: (6, 6, 5, 7, 6, 7) -> 37/6; anxiety: (2, 1, 1) -> 4/3
        ([2, 2, 3, 1, 6, 7, 2, 1, 1], 1.333, 6.167, "avoidant"),
        ([4] * 9, 4.0, 4.0, "secure"),  # the midpoint itself is not "high"
        # skipped item 5: avoidance = (1+2+3+4+2)/5 = 2.4
        ([7, 6, 5, 4, None, 2, 1, 2, 3], 2.0, 2.4, "secure"),
    ],
)
def test_hand_computed_scores(answers, anxiety, avoidance, style):
    result = score(ECR_RS, answers)
    assert (result.anxiety, result.avoidance, result.style) == (anxiety, avoidance, style)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([4] * 8, "9 items, got 8"),
        ([4] * 8 + [8], "item 9 must be a whole number from 1 to 7"),
        ([0] + [4] * 8, "item 1"),
        ([4] * 8 + [True], "item 9"),
        ([4.5] + [4] * 8, "item 1"),
        ([4] * 6 + [None, None, 4], "attachment anxiety needs at least 2"),
    ],
)
def test_unscorable_answers_say_why(answers, message):
    with pytest.raises(AnswerError, match=message):
        score(ECR_RS, answers)


@settings(max_examples=500)
@given(answers_1_to_7)
def test_scores_stay_on_the_scale_and_the_style_matches_the_quadrant(answers):
    result = score(ECR_RS, answers)
    assert 1 <= result.anxiety <= 7 and 1 <= result.avoidance <= 7
    assert result.style == nearest_style(result.anxiety, result.avoidance, 4.0)


@settings(max_examples=300)
@given(answers_1_to_7, st.integers(0, 8))
def test_agreeing_more_with_a_statement_moves_its_score_the_keyed_way(answers, index):
    if answers[index] == 7:
        return
    raised = [*answers]
    raised[index] += 1
    item = ECR_RS.items[index]
    before, after = score(ECR_RS, answers), score(ECR_RS, raised)
    delta = getattr(after, item.subscale) - getattr(before, item.subscale)
    assert delta < 0 if item.reverse else delta > 0
    other = "anxiety" if item.subscale == "avoidance" else "avoidance"
    assert getattr(after, other) == getattr(before, other)


@settings(max_examples=300)
@given(st.text())
def test_any_answer_text_parses_or_fails_with_a_clear_error(text):
    try:
        score(ECR_RS, parse_answer_list(text))
    except AnswerError as error:
        assert "\n" not in str(error)


def test_a_broken_instrument_is_rejected(tmp_path):
    (tmp_path / "bad.yml").write_text("id: bad\nitems: []\n")
    with pytest.raises(InstrumentError, match="bad"):
        Instrument.load("bad", tmp_path)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60)


def test_command_line_prints_json_scores():
    done = _cli("score", "--instrument", "ecr-rs", "--answers", "7,6,5,4,3,2,1,2,3")
    assert done.returncode == 0
    result = json.loads(done.stdout)
    assert (result["anxiety"], result["avoidance"], result["style"]) == (2.0, 2.5, "secure")


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("7,6,5", "9 items, got 3"),
        ("7,6,5,4,3,2,1,2,9", "from 1 to 7"),
        ("7,6,x,4,3,2,1,2,3", "not a whole number"),
    ],
)
def test_command_line_rejects_bad_answers_in_one_line(answers, message):
    done = _cli("score", "--instrument", "ecr-rs", "--answers", answers)
    assert done.returncode != 0
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
