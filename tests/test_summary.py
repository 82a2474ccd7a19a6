"""The one-page PDF of a person's results (bot/summary.py)."""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.questionnaire import CompletedRun
from bot.scoring import Instrument, Result
from bot.summary import results_summary_pdf

ECR_RS = Instrument.load("ecr-rs")


def run(run_id: int, relationship: str, anxiety: float, avoidance: float, month: int) -> CompletedRun:
    return CompletedRun(
        run_id, relationship, Result(anxiety, avoidance, "secure", 9), datetime(2026, month, 1)
    )


def test_every_relationship_and_retake_fits_on_one_titled_page():
    history = [
        run(1, "partner", 5.7, 4.8, 9),
        run(2, "mother", 2.3, 3.0, 9),
        run(3, "father", 4.3, 5.2, 10),
        run(4, "friend", 2.0, 2.2, 10),
        run(5, "partner", 3.3, 4.2, 11),
        run(6, "mother", 2.0, 4.8, 11),
    ]
    pdf = results_summary_pdf(ECR_RS, history, date(2026, 12, 2))
    assert pdf.startswith(b"%PDF") and 10_000 < len(pdf) < 300_000
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 1
    assert b"Attachment questionnaire results" in pdf  # the document's title
