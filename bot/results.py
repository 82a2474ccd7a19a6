"""Explaining questionnaire results: words, the picture, and where to go next.

Pure composition over scoring results and completed runs, so every channel says the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.content import intent_for_topic
from bot.plot import PlotPoint, plot_results
from bot.questionnaire import CompletedRun
from bot.replies import START_ASSESSMENT, Button, Reply, intent_payload, png_data_uri
from bot.scoring import DIMENSIONAL_CAVEAT, Instrument, Result

STYLE_TOPICS = {
    "secure": ("Secure", "style-secure"),
    "anxious": ("Anxious-preoccupied", "style-anxious"),
    "avoidant": ("Dismissive-avoidant", "style-avoidant"),
    "fearful": ("Fearful-avoidant", "style-fearful"),
}
# A gap smaller than this (on the 1-7 scale, anxiety + avoidance) is not called a difference.
MEANINGFUL_GAP = 1.0


def level(score: float, instrument: Instrument) -> str:
    span = instrument.scale_max - instrument.scale_min
    position = (score - instrument.scale_min) / span
    if position < 0.25:
        return "low"
    if score <= instrument.midpoint:
        return "fairly low"
    return "high" if position > 0.75 else "fairly high"


def model_of_self(anxiety: float, instrument: Instrument) -> str:
    if anxiety <= instrument.midpoint:
        return (
            "mostly positive: in this relationship you seldom worry about being valued or left, "
            "a sense of \u201cI am worth caring for\u201d"
        )
    return (
        "more uncertain: you often worry whether this person really cares or might leave, "
        "a sense of \u201cmaybe I am not enough\u201d"
    )


def model_of_others(avoidance: float, instrument: Instrument) -> str:
    if avoidance <= instrument.midpoint:
        return (
            "mostly positive: you find it fairly easy to open up to and rely on this person, "
            "a sense of \u201cthey will be there for me\u201d"
        )
    return (
        "more guarded: you tend to keep feelings to yourself and rely on yourself rather than this "
        "person, a sense of \u201cit is safer not to depend on them\u201d"
    )


def _insecurity(anxiety: float, avoidance: float) -> float:
    return anxiety + avoidance


def explain_result(
    instrument: Instrument,
    relationship_id: str,
    result: Result,
    history: Sequence[CompletedRun] = (),
) -> str:
    """The results message for one relationship; history holds earlier completed runs (all relationships)."""
    relationship = instrument.relationships[relationship_id]
    style_name, _ = STYLE_TOPICS[result.style]
    lines = [
        f"**Your results: {relationship.label}** ({instrument.short_name}, {result.answered} of "
        f"{len(instrument.items)} statements answered)",
        "",
        f"- **Attachment anxiety: {result.anxiety:.1f}** of {instrument.scale_max} "
        f"({level(result.anxiety, instrument)}). "
        f"Your model of self here is {model_of_self(result.anxiety, instrument)}.",
        f"- **Attachment avoidance: {result.avoidance:.1f}** of {instrument.scale_max} "
        f"({level(result.avoidance, instrument)}). Your model of others here is "
        f"{model_of_others(result.avoidance, instrument)}.",
        "",
        f"The nearest of the four patterns is **{style_name}**. {DIMENSIONAL_CAVEAT}",
    ]
    earlier = [past for past in history if past.relationship == relationship_id]
    if earlier:
        last = earlier[-1]
        lines += [
            "",
            f"Compared with your last attempt for this relationship ({last.completed_at:%d %b %Y}): "
            f"anxiety {last.result.anxiety:.1f} \u2192 {result.anxiety:.1f}, "
            f"avoidance {last.result.avoidance:.1f} \u2192 {result.avoidance:.1f}. "
            "Working models can shift with new experiences (\u201cearned security\u201d).",
        ]
    comparison = compare_relationships(instrument, relationship_id, result, history)
    if comparison:
        lines += ["", comparison]
    lines += [
        "",
        "This is a snapshot for learning, not a diagnosis. If it brings up something painful, "
        "talking with a therapist can help.",
        f"_Questionnaire: {instrument.citation}_",
    ]
    return "\n".join(lines)


def compare_relationships(
    instrument: Instrument, relationship_id: str, result: Result, history: Sequence[CompletedRun]
) -> str | None:
    """One sentence per other relationship whose latest result differs meaningfully from this one."""
    latest = latest_by_relationship(history)
    latest.pop(relationship_id, None)
    this = instrument.relationships[relationship_id].label
    sentences = []
    here = _insecurity(result.anxiety, result.avoidance)
    for other_id, past in latest.items():
        other = instrument.relationships[other_id].label
        there = _insecurity(past.result.anxiety, past.result.avoidance)
        if there - here >= MEANINGFUL_GAP:
            sentences.append(f"you seem more secure with your {this} than with your {other}")
        elif here - there >= MEANINGFUL_GAP:
            sentences.append(f"you seem more secure with your {other} than with your {this}")
        else:
            sentences.append(f"your results for your {other} are similar")
    if not sentences:
        return None
    return (
        "Across relationships, " + "; ".join(sentences) + ". Many researchers think people hold "
        "relationship-specific working models as well as a general one (Fraley et al., 2011)."
    )


def latest_by_relationship(history: Sequence[CompletedRun]) -> dict[str, CompletedRun]:
    """Each relationship's most recent completed run (history is oldest first)."""
    return {past.relationship: past for past in history}


def results_picture(instrument: Instrument, history: Sequence[CompletedRun]) -> str:
    """The anxiety x avoidance picture as a data URI: one point per relationship, earlier attempts faded."""
    by_relationship: dict[str, list[CompletedRun]] = {}
    for past in history:
        by_relationship.setdefault(past.relationship, []).append(past)
    points = [
        PlotPoint(
            instrument.relationships[relationship_id].label,
            runs[-1].result.anxiety,
            runs[-1].result.avoidance,
            tuple((earlier.result.anxiety, earlier.result.avoidance) for earlier in runs[:-1]),
        )
        for relationship_id, runs in by_relationship.items()
    ]
    png = plot_results(points, instrument.scale_min, instrument.scale_max, instrument.midpoint)
    return png_data_uri(png)


def next_steps(instrument: Instrument, result: Result, history: Sequence[CompletedRun]) -> Reply:
    """After a result: its pattern, whether it can change, and another relationship if any is left."""
    style_name, topic_id = STYLE_TOPICS[result.style]
    buttons = [
        Button(f"About the {style_name.lower()} pattern", intent_payload(intent_for_topic(topic_id))),
        Button("Can this change?", intent_payload(intent_for_topic("earned-security"))),
    ]
    if len(latest_by_relationship(history)) < len(instrument.relationships):
        buttons.append(Button("Another relationship", START_ASSESSMENT))
    return Reply("Where would you like to go from here?", tuple(buttons))
