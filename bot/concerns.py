"""Signs that someone close controls, watches, hurts or frightens the person writing.

Not an emergency (danger right now is the crisis check's), but a partner's control or violence
must never be explained away as an attachment style. The Reader marks such a message; the
Tutor starts its answer with a short note and the abuse helplines (bot.help_lines).

Two readers: the patterns of content/safety/concerns.yml, for what is said plainly, and a
calibrated classifier (bot.text_classifier) trained on content/safety/concern_training.yml, for
the many other ways people tell it. Its threshold, in concerns.yml, was chosen by leaving one
of the ten labelled sets out at a time (scripts/concern_cv.py): the patterns alone found 79 of
320 concerns, patterns and classifier 253, flagging 13 of 3,301 alarming-looking ordinary
messages and 1.2% of people's real letters (README, "Safety and privacy").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bot.content import CONTENT_DIR, plain_apostrophes
from bot.text_classifier import WordingAndMeaning, everyday_messages

CONCERNS_FILE = CONTENT_DIR / "safety" / "concerns.yml"
TRAINING_FILE = CONTENT_DIR / "safety" / "concern_training.yml"
MODEL_FILE = CONTENT_DIR.parent / "build" / "concern" / "model.pickle"


def everyday_ordinary() -> list[str]:
    """What people send every day, every topic question included: "I'm scared he'll leave me"
    is an anxious worry to answer, not a concern."""
    return everyday_messages(topic_questions_used=None)


def training_messages(path: Path = TRAINING_FILE) -> tuple[list[str], list[str]]:
    """Concerns, and as ordinary messages the labelled ones and those people send every day."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    return spec["concern"], spec["ordinary"] + everyday_ordinary()


@dataclass(frozen=True)
class ConcernPattern:
    pattern: re.Pattern
    unless: re.Pattern | None = None

    def matches(self, text: str) -> bool:
        return bool(self.pattern.search(text)) and not (self.unless and self.unless.search(text))


@dataclass(frozen=True)
class ConcernFinder:
    patterns: tuple[ConcernPattern, ...]
    classifier: WordingAndMeaning | None = None  # None: the patterns alone
    threshold: float = 1.0

    @classmethod
    def load(cls, path: Path = CONCERNS_FILE, model: Path | None = MODEL_FILE) -> ConcernFinder:
        """The patterns, and the classifier `make setup` built unless `model` is None."""
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        who = spec["who"]

        def compiled(expression: str | None) -> re.Pattern | None:
            return re.compile(expression.replace("{who}", who), re.IGNORECASE) if expression else None

        return cls(
            tuple(
                ConcernPattern(compiled(item["pattern"]), compiled(item.get("unless")))
                for item in spec["patterns"]
            ),
            WordingAndMeaning.load(model) if model else None,
            spec["classifier_threshold"],
        )

    def found(self, text: str, vector: np.ndarray) -> bool:
        """Whether the message describes control or abuse done to the writer (`vector`: its
        sentence embedding)."""
        normal = plain_apostrophes(text)
        if any(pattern.matches(normal) for pattern in self.patterns):
            return True
        if self.classifier is None:
            return False
        return float(self.classifier.probabilities([text], vector.reshape(1, -1))[0]) >= self.threshold
