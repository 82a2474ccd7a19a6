"""Explaining assessment results in plain words: scores, the two models, change, domains.

Pure text composition over scoring results, so every channel says the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.scoring import DIMENSIONAL_CAVEAT, Instrument, Result
from bot.storage import PastResult

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
    domain_id: str,
    result: Result,
    history: Sequence[PastResult] = (),
) -> str:
    """The results message for one relationship; history holds earlier completed runs (all domains)."""
    domain = instrument.domains[domain_id]
    style_name, _ = STYLE_TOPICS[result.style]
    lines = [
        f"**Your results: {domain.label}** ({instrument.short_name}, {result.answered} of "
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
    earlier = [past for past in history if past.domain == domain_id]
    if earlier:
        last = earlier[-1]
        lines += [
            "",
            f"Compared with your last attempt for this relationship ({last.completed_at:%d %b %Y}): anxiety "
            f"{last.anxiety:.1f} \u2192 {result.anxiety:.1f}, avoidance {last.avoidance:.1f} \u2192 "
            f"{result.avoidance:.1f}. Working models can shift with new experiences "
            "(\u201cearned security\u201d).",
        ]
    comparison = compare_domains(instrument, domain_id, result, history)
    if comparison:
        lines += ["", comparison]
    lines += [
        "",
        "This is a snapshot for learning, not a diagnosis. If it brings up something painful, "
        "talking with a therapist can help.",
        f"_Questionnaire: {instrument.citation}_",
    ]
    return "\n".join(lines)


def compare_domains(
    instrument: Instrument, domain_id: str, result: Result, history: Sequence[PastResult]
) -> str | None:
    """One sentence per other relationship whose latest result differs meaningfully from this one."""
    latest: dict[str, PastResult] = {}
    for past in history:
        if past.domain != domain_id:
            latest[past.domain] = past
    sentences = []
    here = _insecurity(result.anxiety, result.avoidance)
    for other_id, past in latest.items():
        other = instrument.domains[other_id].label
        there = _insecurity(past.anxiety, past.avoidance)
        if there - here >= MEANINGFUL_GAP:
            sentences.append(
                f"you seem more secure with your {instrument.domains[domain_id].label} than with your {other}"
            )
        elif here - there >= MEANINGFUL_GAP:
            sentences.append(
                f"you seem more secure with your {other} than with your {instrument.domains[domain_id].label}"
            )
        else:
            sentences.append(f"your results for your {other} are similar")
    if not sentences:
        return None
    return (
        "Across relationships, " + "; ".join(sentences) + ". Many researchers think people hold "
        "relationship-specific working models as well as a general one (Fraley et al., 2011)."
    )
