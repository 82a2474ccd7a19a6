"""A one-page PDF of a person's results, to keep or to bring to a therapist or a course.

Pure composition over completed runs (no Rasa): the latest scores for each relationship read
against the scale, change since the attempt before read against the reliable-change
threshold, the picture, what the scores mean and do not mean, the citation, "not a
diagnosis". Drawn with matplotlib, so no PDF library is added.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display on servers
import matplotlib.pyplot as plt

from bot.change import ReliableChange
from bot.plot import draw_results
from bot.questionnaire import CompletedRun
from bot.results import latest_by_relationship, level, plot_points
from bot.scoring import Instrument

A4_INCHES = (8.27, 11.69)
WRAP = 100  # characters per line at the body's font size
LINE_HEIGHT = 0.016  # of the page, one 9-point line at 1.5 spacing
NOTES_HEIGHT = 0.33  # what the scores mean and do not mean, the citation, the closing lines
LEGEND_HEIGHT = 0.085  # the chart's axis label and legend under it
FILENAME = "iwm-guide-results.pdf"
MEANS = (
    "Attachment anxiety: how much you worry whether this person cares about you or might leave. "
    "It is often linked to your model of self.",
    "Attachment avoidance: how much you keep feelings to yourself and avoid relying on this person. "
    "It is often linked to your model of others.",
    "Each score is the average of your answers on a 1-7 scale, read against that scale (4 is the "
    "middle), not compared with other people.",
)
DOES_NOT_MEAN = (
    "It is not a diagnosis, and it is not a test of how good a person or a relationship is.",
    "It describes one relationship at one time: scores often differ between relationships and "
    "can move from month to month without any real change.",
    "The four patterns (secure, anxious, avoidant, fearful) are a simplification of two sliding "
    "scales, and they were described for friendships and romantic relationships, not parents.",
)


def _relationship_lines(
    instrument: Instrument, relationship_id: str, runs: Sequence[CompletedRun], change: ReliableChange
) -> list[str]:
    latest = runs[-1]
    label = instrument.relationships[relationship_id].label.capitalize()
    result = latest.result
    lines = [
        f"{label} ({latest.completed_at:%d %b %Y}): anxiety {result.anxiety:.1f} "
        f"({level(result.anxiety, instrument)}), avoidance {result.avoidance:.1f} "
        f"({level(result.avoidance, instrument)})."
    ]
    if len(runs) > 1:
        readings = []
        for difference in change.compare(relationship_id, runs[-2].result, result):
            verdict = "a real change" if difference.reliable else "within normal ups and downs"
            readings.append(
                f"{difference.dimension} {difference.earlier:.1f} to {difference.later:.1f}, {verdict}"
            )
        lines.append(
            f"Since {runs[-2].completed_at:%d %b %Y}: "
            + "; ".join(readings)
            + f" (a change counts past {change.threshold(relationship_id):g} points)."
        )
    return lines


def results_summary_pdf(
    instrument: Instrument,
    history: Sequence[CompletedRun],
    made_on: date,
    change: ReliableChange | None = None,
) -> bytes:
    """One A4 page in PDF; history holds every completed run, oldest first."""
    change = change or ReliableChange.load()
    by_relationship: dict[str, list[CompletedRun]] = {}
    for past in history:
        by_relationship.setdefault(past.relationship, []).append(past)
    figure = plt.figure(figsize=A4_INCHES)
    try:
        figure.text(0.07, 0.955, "Your attachment questionnaire results", fontsize=16, weight="bold")
        figure.text(
            0.07, 0.935,
            f"IWM Guide, {made_on:%d %b %Y}. {instrument.short_name} questionnaire. "
            "For learning and reflection: not a diagnosis.",
            fontsize=9, color="#444444",
        )  # fmt: skip
        body = []
        for relationship_id in latest_by_relationship(history):
            for line in _relationship_lines(
                instrument, relationship_id, by_relationship[relationship_id], change
            ):
                body += textwrap.wrap(line, WRAP, subsequent_indent="   ")
        figure.text(0.07, 0.91, "\n".join(body), fontsize=9, va="top", linespacing=1.5)
        # the chart goes below the scores, as large as the notes under it allow
        chart_top = 0.91 - LINE_HEIGHT * len(body) - 0.05
        chart_height = max(0.2, min(0.3, chart_top - NOTES_HEIGHT - LEGEND_HEIGHT))
        axes = figure.add_axes((0.22, chart_top - chart_height, 0.56, chart_height))
        points = plot_points(instrument, history, change)
        draw_results(axes, points, instrument.scale_min, instrument.scale_max)
        notes = ["What the scores mean"]
        notes += [line for item in MEANS for line in textwrap.wrap("- " + item, WRAP, subsequent_indent="  ")]
        notes += ["", "What they do not mean"]
        notes += [
            line
            for item in DOES_NOT_MEAN
            for line in textwrap.wrap("- " + item, WRAP, subsequent_indent="  ")
        ]
        notes += ["", *textwrap.wrap(f"Questionnaire: {instrument.citation}", WRAP)]
        notes += textwrap.wrap(
            "If these results bring up something painful, talking with a therapist can help. "
            "In an emergency, call your local emergency number.",
            WRAP,
        )
        notes_top = chart_top - chart_height - LEGEND_HEIGHT
        figure.text(0.07, notes_top, "\n".join(notes), fontsize=9, va="top", linespacing=1.45)
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format="pdf",
            metadata={"Title": "Attachment questionnaire results", "Creator": "IWM Guide"},
        )
        return buffer.getvalue()
    finally:
        plt.close(figure)
