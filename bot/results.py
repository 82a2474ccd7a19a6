"""Explaining questionnaire results: words, the picture, and where to go next.

Pure composition over scoring results and completed runs, so every channel says the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.change import ReliableChange
from bot.content import intent_for_topic
from bot.plot import PlotPoint, plot_results
from bot.questionnaire import CompletedRun
from bot.replies import (
    START_ASSESSMENT,
    START_RQ,
    Button,
    Reply,
    intent_payload,
    png_data_uri,
    section_payload,
)
from bot.scoring import DIMENSIONAL_CAVEAT, Instrument, Relationship, Result, nearest_style

STYLE_TOPICS = {
    "secure": ("Secure", "style-secure"),
    "anxious": ("Anxious-preoccupied", "style-anxious"),
    "avoidant": ("Dismissive-avoidant", "style-avoidant"),
    "fearful": ("Fearful-avoidant", "style-fearful"),
}
# The second questionnaire, which measures the two models directly (bot/rq_dialogue.py).
RQ_BUTTON = Button("The four-paragraph test (1 minute)", START_RQ)
# Within this distance of the scale's midpoint a score is "in the middle": the person neither
# agreed nor disagreed overall, and the score leans neither way.
MIDDLE_BAND = 0.5
# Beyond this distance from the midpoint a score is "high" or "low" rather than "fairly" so.
CLEAR_DISTANCE = 1.5
# Between two relationships, a gap under one point on a scale is called similar.
MEANINGFUL_GAP = 1.0
READ_AGAINST_THE_SCALE = (
    "Scores run from {low} to {high}, with {middle:g} in the middle. They are read against that "
    "scale, not compared with other people."
)
# What each score is about, as the person answered it, and the working model it is often linked to.
DIMENSION_WORDS = {
    "anxiety": {
        "high": "You mostly agreed with the statements about worrying whether this person really cares "
        "about you or might leave.",
        "middle": "About worrying whether this person really cares about you or might leave, your "
        "answers were in between, so this score leans neither way.",
        "low": "You mostly disagreed with the statements about worrying whether this person really cares "
        "about you or might leave.",
        "link_high": "Higher anxiety is often linked to a less sure model of self "
        "(\u201cmaybe I am not enough\u201d).",
        "link_low": "Lower anxiety is often linked to a surer model of self "
        "(\u201cI am worth caring for\u201d).",
    },
    "avoidance": {
        "high": "Your answers lean toward keeping your feelings to yourself and not relying on this person.",
        "middle": "About opening up to and relying on this person, your answers were in between, so this "
        "score leans neither way.",
        "low": "Your answers lean toward opening up to this person and relying on them.",
        "link_high": "Higher avoidance is often linked to a more guarded model of others "
        "(\u201cit is safer not to depend on them\u201d).",
        "link_low": "Lower avoidance is often linked to a more trusting model of others "
        "(\u201cthey will be there for me\u201d).",
    },
}
# The things-to-try section to read next when a score stands out (above the middle band).
NEXT_READING = {
    "anxiety": ("Things to try: worry in relationships", "style-anxious"),
    "avoidance": ("Things to try: opening up", "style-avoidant"),
    "neither": ("Things that keep security growing", "style-secure"),
}


def side(score: float, instrument: Instrument) -> str:
    """'high', 'middle' or 'low': where the score sits against the scale's midpoint."""
    distance = score - instrument.midpoint
    if abs(distance) <= MIDDLE_BAND:
        return "middle"
    return "high" if distance > 0 else "low"


def level(score: float, instrument: Instrument) -> str:
    where = side(score, instrument)
    if where == "middle":
        return "in the middle of the scale"
    return where if abs(score - instrument.midpoint) > CLEAR_DISTANCE else f"fairly {where}"


def describe_score(dimension: str, score: float, instrument: Instrument) -> str:
    """The score, where it sits on the scale, what the answers said, and the model it is often linked to."""
    words = DIMENSION_WORDS[dimension]
    where = side(score, instrument)
    sentence = (
        f"- **Attachment {dimension}: {score:.1f}** of {instrument.scale_max} "
        f"({level(score, instrument)}). {words[where]}"
    )
    return sentence if where == "middle" else f"{sentence} {words['link_' + where]}"


def nearest_pattern(relationship: Relationship, result: Result, instrument: Instrument) -> str:
    """The nearest of Bartholomew's patterns, as loosely as the scores allow, and only for peers."""
    if not relationship.peer:
        return (
            "The four attachment patterns (secure, anxious, avoidant, fearful) were described for "
            "friendships and romantic relationships, so I don't name one for a parent: the two scores "
            "say more."
        )
    anxiety_middle = side(result.anxiety, instrument) == "middle"
    avoidance_middle = side(result.avoidance, instrument) == "middle"
    if anxiety_middle and avoidance_middle:
        return (
            "Both scores sit in the middle of the scale, so none of the four patterns fits well. "
            + DIMENSIONAL_CAVEAT
        )
    if anxiety_middle or avoidance_middle:
        # the score in the middle leans neither way: the result sits between two patterns
        low, high = instrument.scale_min, instrument.scale_max
        ends = (
            [(low, result.avoidance), (high, result.avoidance)]
            if anxiety_middle
            else [(result.anxiety, low), (result.anxiety, high)]
        )
        first, second = (
            STYLE_TOPICS[nearest_style(anxiety, avoidance, instrument.midpoint)][0]
            for anxiety, avoidance in ends
        )
        return (
            f"One score sits in the middle of the scale, so your result sits between the **{first}** "
            f"and **{second}** patterns. {DIMENSIONAL_CAVEAT}"
        )
    style_name, _ = STYLE_TOPICS[result.style]
    return f"The nearest of the four patterns is **{style_name}**. {DIMENSIONAL_CAVEAT}"


def explain_change(relationship_id: str, last: CompletedRun, result: Result, change: ReliableChange) -> str:
    """Change since the last attempt, only where it passes the reliable-change threshold."""
    differences = change.compare(relationship_id, last.result, result)
    limit = differences[0].threshold
    parts = []
    for difference in differences:
        moved = f"{difference.dimension} {difference.earlier:.1f} \u2192 {difference.later:.1f}"
        if difference.reliable:
            direction = "up" if difference.difference > 0 else "down"
            parts.append(f"{moved}: a real change ({direction}), bigger than a retest alone would give")
        else:
            parts.append(f"{moved}: within normal ups and downs")
    text = (
        f"Compared with your last attempt for this relationship ({last.completed_at:%d %b %Y}): "
        + "; ".join(parts)
        + f". Scores for the same relationship can move by up to {limit:g} points from one month to "
        "the next without any real change, so only bigger differences count."
    )
    if any(difference.reliable and difference.difference < 0 for difference in differences):
        text += " Working models can shift with new experiences, and lower scores here point that way."
    return text


def explain_result(
    instrument: Instrument,
    relationship_id: str,
    result: Result,
    history: Sequence[CompletedRun] = (),
    change: ReliableChange | None = None,
) -> str:
    """The results message for one relationship; history holds earlier completed runs (all relationships)."""
    relationship = instrument.relationships[relationship_id]
    lines = [
        f"**Your results: {relationship.label}** ({instrument.short_name}, {result.answered} of "
        f"{len(instrument.items)} statements answered)",
        "",
        describe_score("anxiety", result.anxiety, instrument),
        describe_score("avoidance", result.avoidance, instrument),
        "",
        READ_AGAINST_THE_SCALE.format(
            low=instrument.scale_min, high=instrument.scale_max, middle=instrument.midpoint
        ),
        "",
        nearest_pattern(relationship, result, instrument),
    ]
    earlier = [past for past in history if past.relationship == relationship_id]
    if earlier:
        lines += ["", explain_change(relationship_id, earlier[-1], result, change or ReliableChange.load())]
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
    """For each other relationship's latest result, which dimension differs, and which way."""
    latest = latest_by_relationship(history)
    latest.pop(relationship_id, None)
    this = instrument.relationships[relationship_id].label
    sentences = []
    for other_id, past in latest.items():
        other = instrument.relationships[other_id].label
        differences = []
        for dimension in ("anxiety", "avoidance"):
            here, there = getattr(result, dimension), getattr(past.result, dimension)
            if abs(here - there) >= MEANINGFUL_GAP:
                higher, lower = (this, other) if here > there else (other, this)
                differences.append(
                    f"{dimension} is higher with your {higher} ({max(here, there):.1f}) than with your "
                    f"{lower} ({min(here, there):.1f})"
                )
        if differences:
            sentences.append(" and ".join(differences))
        else:
            sentences.append(f"your scores for your {other} are similar (less than a point apart on both)")
    if not sentences:
        return None
    return (
        "Across relationships: " + "; ".join(sentences) + ". Many researchers think people hold "
        "relationship-specific working models as well as a general one (Fraley et al., 2011)."
    )


def latest_by_relationship(history: Sequence[CompletedRun]) -> dict[str, CompletedRun]:
    """Each relationship's most recent completed run (history is oldest first)."""
    return {past.relationship: past for past in history}


def plot_points(
    instrument: Instrument, history: Sequence[CompletedRun], change: ReliableChange | None = None
) -> list[PlotPoint]:
    """One point per relationship: its latest result, earlier attempts oldest first, and its band
    of normal ups and downs."""
    change = change or ReliableChange.load()
    by_relationship: dict[str, list[CompletedRun]] = {}
    for past in history:
        by_relationship.setdefault(past.relationship, []).append(past)
    return [
        PlotPoint(
            instrument.relationships[relationship_id].label,
            runs[-1].result.anxiety,
            runs[-1].result.avoidance,
            tuple((earlier.result.anxiety, earlier.result.avoidance) for earlier in runs[:-1]),
            change.threshold(relationship_id),
        )
        for relationship_id, runs in by_relationship.items()
    ]


def results_picture(instrument: Instrument, history: Sequence[CompletedRun]) -> str:
    """The anxiety x avoidance picture as a data URI."""
    png = plot_results(plot_points(instrument, history), instrument.scale_min, instrument.scale_max)
    return png_data_uri(png)


def next_steps(instrument: Instrument, result: Result, history: Sequence[CompletedRun]) -> Reply:
    """After a result: what to read next for the score that stands out, whether it can change,
    and another relationship if any is left."""
    standing_out = [
        dimension
        for dimension in ("anxiety", "avoidance")
        if side(getattr(result, dimension), instrument) == "high"
    ] or ["neither"]
    buttons = [
        Button(label, section_payload(topic_id, "what-to-do"))
        for label, topic_id in (NEXT_READING[dimension] for dimension in standing_out)
    ]
    buttons.append(Button("Can this change?", intent_payload(intent_for_topic("earned-security"))))
    if len(latest_by_relationship(history)) < len(instrument.relationships):
        buttons.append(Button("Another relationship", START_ASSESSMENT))
    buttons.append(RQ_BUTTON)
    return Reply("Where would you like to go from here?", tuple(buttons))
