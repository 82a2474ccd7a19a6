"""The Relationship Questionnaire (bot/rq.py): the two models from four ratings, worked by hand."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.rq import PROTOTYPES, RelationshipQuestionnaire, score_rq
from bot.scoring import AnswerError


def test_the_four_paragraphs_are_reproduced_and_attributed():
    rq = RelationshipQuestionnaire.load()
    assert [paragraph.prototype for paragraph in rq.paragraphs] == list(PROTOTYPES)
    assert [paragraph.letter for paragraph in rq.paragraphs] == ["A", "B", "C", "D"]
    assert rq.paragraphs[0].text.startswith("It is easy for me to become emotionally close to others.")
    assert rq.paragraphs[3].text.startswith("I am comfortable without close emotional relationships.")
    assert "Bartholomew, K., & Horowitz, L. M. (1991)" in rq.citation
    assert "Griffin" in rq.scoring_citation


@pytest.mark.parametrize(
    ("ratings", "best", "self_model", "other_model", "style"),
    [
        # secure 7, fearful 1, preoccupied 1, dismissing 1: self (7+1)-(1+1) = 6, others (7+1)-(1+1) = 6
        ((7, 1, 1, 1), None, 6, 6, "secure"),
        # the extremes of each model: self (7+7)-(1+1) = 12, others (7+1)-(1+7) = 0
        ((7, 1, 1, 7), "secure", 12, 0, "secure"),
        ((1, 7, 7, 1), "fearful", -12, 0, "fearful"),
        ((1, 7, 1, 7), "dismissing", 0, -12, "avoidant"),
        ((1, 1, 7, 1), None, -6, 6, "anxious"),
        # 6, 2, 3, 4: self (6+4)-(2+3) = 5, others (6+3)-(2+4) = 3
        ((6, 2, 3, 4), None, 5, 3, "secure"),
        # 2, 5, 6, 3: self (2+3)-(5+6) = -6, others (2+6)-(5+3) = 0
        ((2, 5, 6, 3), None, -6, 0, "anxious"),
        ((4, 4, 4, 4), "C", 0, 0, "anxious"),
    ],
)
def test_hand_computed_models_and_style(ratings, best, self_model, other_model, style):
    result = score_rq(list(ratings), best)
    assert (result.self_model, result.other_model, result.style) == (self_model, other_model, style)


@pytest.mark.parametrize(
    ("ratings", "best", "message"),
    [
        ((5, 5, 2, 1), None, "secure and fearful are rated equally high"),
        ((5, 5, 2, 1), "dismissing", "not among the highest rated"),
        ((5, 3, 2), None, "4 ratings"),
        ((5, 3, 2, 8), None, "from 1 to 7"),
        ((0, 3, 2, 1), None, "from 1 to 7"),
        ((5, 3, 2, 1), "clingy", "unknown paragraph"),
    ],
)
def test_ratings_that_cannot_be_scored_say_why(ratings, best, message):
    with pytest.raises(AnswerError, match=message):
        score_rq(list(ratings), best)


def _score(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "bot", "score", "--instrument", "rq", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_the_command_line_prints_both_models_and_the_style():
    done = _score("--answers", "6,2,3,4")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["self_model"], result["other_model"], result["style"]) == (5, 3, "secure")
    tied = json.loads(_score("--answers", "2,6,6,1", "--best", "preoccupied").stdout)
    assert (tied["self_model"], tied["other_model"], tied["style"]) == (-9, 1, "anxious")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--answers", "6,2,3"), "4 ratings"),
        (("--answers", "6,2,3,9"), "from 1 to 7"),
        (("--answers", "6,x,3,4"), "not a whole number"),
        (("--answers", "6,,3,4"), "needs a rating"),
        (("--answers", "6,6,3,4"), "say which paragraph fits best"),
    ],
)
def test_the_command_line_rejects_bad_ratings_in_one_line(arguments, message):
    done = _score(*arguments)
    assert done.returncode != 0
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
