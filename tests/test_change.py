"""Reliable change (bot/change.py): thresholds worked by hand from the figures in the instrument file."""

from __future__ import annotations

import pytest

from bot.change import ReliableChange
from bot.scoring import Result


@pytest.fixture(scope="module")
def change() -> ReliableChange:
    return ReliableChange.load()


def test_the_figures_and_what_was_assumed_are_stated(change):
    assert change.test_retest == {"partner": 0.65, "mother": 0.80, "father": 0.80, "friend": 0.65}
    assert "Jacobson" in change.method and "Fraley" in change.test_retest_source
    assert "assumed" in change.sd_source


def test_hand_computed_thresholds(change):
    # 1.96 x sqrt(2) x 1.25 x sqrt(1 - .65) = 2.772 x 1.25 x 0.5916 = 2.05
    assert change.threshold("partner") == 2.05
    # 1.96 x sqrt(2) x 1.25 x sqrt(1 - .80) = 2.772 x 1.25 x 0.4472 = 1.55
    assert change.threshold("mother") == change.threshold("father") == 1.55


@pytest.mark.parametrize(
    ("relationship", "earlier", "later", "reliable"),
    [
        ("partner", {"anxiety": 5.0, "avoidance": 3.0}, {"anxiety": 2.9, "avoidance": 3.1}, (True, False)),
        ("partner", {"anxiety": 5.0, "avoidance": 3.0}, {"anxiety": 3.0, "avoidance": 5.0}, (False, False)),
        ("mother", {"anxiety": 2.0, "avoidance": 4.0}, {"anxiety": 3.6, "avoidance": 2.5}, (True, False)),
        ("friend", {"anxiety": 4.0, "avoidance": 4.0}, {"anxiety": 4.1, "avoidance": 1.9}, (False, True)),
    ],
)
def test_a_difference_counts_only_past_the_threshold_either_way(
    change, relationship, earlier, later, reliable
):
    before, after = (
        Result(scores["anxiety"], scores["avoidance"], "secure", 9) for scores in (earlier, later)
    )
    assert tuple(dimension.reliable for dimension in change.compare(relationship, before, after)) == reliable
