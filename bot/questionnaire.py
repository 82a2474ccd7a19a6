"""The questionnaire conversation in the core: a run's state and what the bot says at each step.

Pure data and text, no Rasa and no database: storage maps its rows to `RunState` and
`CompletedRun`, the Rasa actions send the `Reply` objects built here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.replies import (
    BACK_ANSWER,
    DENY,
    PAUSE_ASSESSMENT,
    RESUME_ASSESSMENT,
    SHOW_TOPICS_BUTTON,
    SKIP_ANSWER,
    Button,
    Reply,
    relationship_payload,
)
from bot.scoring import Instrument, Relationship, Result

ACTIVE, PAUSED, COMPLETED = "active", "paused", "completed"

STORAGE_UNAVAILABLE = (
    "Sorry, I can't reach the place where questionnaire answers are kept right now, so I can't "
    "save or show answers at the moment. Nothing you saved before is lost. Explanations still work: "
    "ask me anything about attachment, and try the questionnaire again a bit later."
)


@dataclass(frozen=True)
class RunState:
    """One attempt at a questionnaire: its answers so far (None marks a skipped statement)."""

    id: int
    instrument: str
    relationship: str
    status: str
    answers: dict[int, int | None]

    def next_item(self, instrument: Instrument) -> int | None:
        """The first statement without an answer (skips count as answers)."""
        return next((item.number for item in instrument.items if item.number not in self.answers), None)


@dataclass(frozen=True)
class CompletedRun:
    """A finished attempt and its scores."""

    run_id: int
    relationship: str
    result: Result
    completed_at: datetime


def welcome_back(run: RunState, instrument: Instrument) -> Reply:
    relationship = instrument.relationships[run.relationship].label
    return Reply(
        f"Welcome back. You have answered {len(run.answers)} of {len(instrument.items)} statements "
        f"about your {relationship}; let's continue where you left off. Say \u201cpause\u201d any time."
    )


def statement(run: RunState, number: int, instrument: Instrument) -> Reply:
    """'n of 9', the statement, and the scale as buttons."""
    target = instrument.relationships[run.relationship].target
    buttons = [Button(f"{value} {label}", str(value)) for value, label in instrument.scale_labels.items()]
    buttons += [
        Button("Skip", SKIP_ANSWER),
        Button("Go back", BACK_ANSWER),
        Button("Pause", PAUSE_ASSESSMENT),
    ]
    return Reply(
        f"**{number} of {len(instrument.items)}** \u00b7 Thinking about {target}:\n\n"
        f"*{instrument.item(number).text}*",
        tuple(buttons),
    )


def relationship_buttons(instrument: Instrument) -> tuple[Button, ...]:
    return tuple(
        Button(relationship.label.capitalize(), relationship_payload(relationship.id))
        for relationship in instrument.relationships.values()
    )


def ask_relationship(instrument: Instrument) -> Reply:
    return Reply(
        "Which relationship would you like to think about? You can do the others afterwards.",
        relationship_buttons(instrument),
    )


def ask_relationship_again(instrument: Instrument) -> Reply:
    return Reply(
        "Which relationship shall we think about? Please pick one:", relationship_buttons(instrument)
    )


def instructions(instrument: Instrument, relationship: Relationship) -> Reply:
    return Reply(
        f"Thank you. {instrument.instructions.format(target=relationship.target)} "
        "Use the buttons or type an answer such as \u201cstrongly agree\u201d or \u201c5\u201d. "
        "You can also say \u201cskip\u201d, \u201cgo back\u201d or \u201cpause\u201d."
    )


def noted(value: int, instrument: Instrument) -> Reply:
    """Echoes an answer typed in words, so the person sees how it was read."""
    return Reply(f"Noted: {value} ({instrument.scale_labels[value].lower()}).")


def unclear_answer(instrument: Instrument) -> Reply:
    low, high, labels = instrument.scale_min, instrument.scale_max, instrument.scale_labels
    return Reply(
        f"Sorry, I couldn't tell how much you agree. Please pick a number from {low} "
        f"({labels[low].lower()}) to {high} ({labels[high].lower()}), or say \u201cskip\u201d."
    )


NOTHING_TO_GO_BACK_TO = Reply("This is the first statement, so there is nothing to go back to.")
NOTHING_TO_PAUSE = Reply("There is no questionnaire in progress to pause.")
DECLINED = Reply(
    "No problem, nothing was stored. You can ask me about attachment any time.", (SHOW_TOPICS_BUTTON,)
)


def paused(run: RunState) -> Reply:
    return Reply(
        f"Paused. Your {len(run.answers)} answers are saved. Would you like to go on now? "
        "Say \u201cyes\u201d, or \u201cresume\u201d any time later.",
        (Button("Yes, go on", RESUME_ASSESSMENT), Button("Later", DENY)),
    )
