"""The risk classifier behind the crisis check-in (bot/risk.py), as built by `make setup`.

A check-in answering "bye" or "yes delete it" tells a person the bot is not listening, and
teaches them to skip the help lines when they matter; missing an indirect risk is worse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.embedding import shared_encoder
from bot.risk import RiskModel

ROOT = Path(__file__).resolve().parent.parent
RISK_DEV = yaml.safe_load((ROOT / "tests" / "data" / "risk_dev.yml").read_text(encoding="utf-8"))
# measured 2026-12-02 at the configured threshold: 131/165 risks (0.79), 10/421 ordinary (2.4%);
# the rule patterns catch most of the plain risks this classifier alone misses
RISK_RECALL_FLOOR = 0.75
FALSE_CHECK_IN_CEILING = 0.04


def check_in_threshold() -> float:
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    return next(step for step in pipeline if step["name"].endswith("CrisisCheck"))["check_in_threshold"]


@pytest.fixture(scope="module")
def risk() -> RiskModel:
    return RiskModel.load(shared_encoder())


# none of these is in the training data; each was flagged by an earlier build
@pytest.mark.parametrize(
    "text",
    [
        "bye",
        "cya",
        "ok bye then",
        "good night",
        "yes delete it",
        "delete everything please",
        "no",
        "ok",
        "thanks!",
    ],
)
def test_small_talk_and_questionnaire_replies_get_no_check_in(risk, text):
    assert risk.probability(text) < check_in_threshold()


@pytest.mark.parametrize(
    "text",
    [
        "i don't see the point of being here anymore",
        "i have pills saved up for when it gets too much",
        "everyone would be better off if i disappeared for good",
    ],
)
def test_indirect_risk_still_gets_a_check_in(risk, text):
    assert risk.probability(text) >= check_in_threshold()


def test_on_the_development_set_most_risks_are_caught_and_few_ordinary_messages_are_flagged(risk):
    threshold = check_in_threshold()
    caught = [risk.probability(item["text"]) >= threshold for item in RISK_DEV["risk"]]
    flagged = [risk.probability(item["text"]) >= threshold for item in RISK_DEV["ordinary"]]
    assert sum(caught) / len(caught) >= RISK_RECALL_FLOOR
    assert sum(flagged) / len(flagged) <= FALSE_CHECK_IN_CEILING
