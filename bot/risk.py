"""A dedicated "risk or no risk" classifier, calibrated so that its probability means something.

The rule patterns (bot.crisis) catch what is said plainly; this classifier catches what they
miss (indirect, coded, wrapped in another question) and, unlike the intent classifier it
replaces, gives probabilities that separate the classes (bot.text_classifier). It is trained on
the project's labelled messages (content/safety/risk_training.yml, which holds the spent blind
crisis sets too, plus, as ordinary messages, the feelings and topic examples people send every
day); its thresholds are chosen by leaving one spent set out at a time (scripts/risk_cv.py) and
kept in config.yml.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bot.content import CONTENT_DIR, plain_apostrophes
from bot.embedding import Encoder
from bot.text_classifier import WordingAndMeaning, everyday_messages

TRAINING_FILE = CONTENT_DIR / "safety" / "risk_training.yml"
SENTENCE_CUES_FILE = CONTENT_DIR / "safety" / "sentence_cues.yml"  # its own small file: read at start-up
MODEL_FILE = CONTENT_DIR.parent / "build" / "risk" / "model.pickle"
# sentences end at . ! ? or where the writer turns to something else ("... anyway what's a secure base?")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s+(?:anyway|anyways)[,.]?\s+", re.IGNORECASE)
MIN_SENTENCE_WORDS = 3
MAX_WORDS_READ_BY_SENTENCE = 40


@dataclass(frozen=True)
class Labelled:
    risk: list[str]
    ordinary: list[str]


def training_messages(sets: Collection[int] | None = None) -> Labelled:
    """Risk examples; as ordinary messages, the labelled ones and those people send every day.

    `sets`: which of the spent blind crisis sets copied into the file to learn from (None: all;
    scripts/risk_cv.py leaves one out at a time)."""
    spec = yaml.safe_load(TRAINING_FILE.read_text(encoding="utf-8"))

    def texts(section: str) -> list[str]:
        return [item["text"] for item in spec[section] if sets is None or item.get("set", 0) in {0, *sets}]

    return Labelled(texts("risk"), texts("ordinary") + everyday_messages())


def spent_set_numbers() -> list[int]:
    """The spent blind crisis sets copied into the training file (its messages' `set`), so the
    scripts that leave one out at a time (scripts/risk_cv.py, scripts/concern_cv.py) follow the
    file instead of a range written in each."""
    spec = yaml.safe_load(TRAINING_FILE.read_text(encoding="utf-8"))
    return sorted(
        {item["set"] for section in ("risk", "ordinary") for item in spec[section] if "set" in item}
    )


@dataclass(frozen=True)
class SentenceCues:
    """Words of dying or of a means: a long letter's sentences are read on their own only with one
    that is not part of an everyday phrase ("a new place to live", "the suspense is killing me")."""

    death_or_means: re.Pattern
    everyday_phrases: re.Pattern

    @classmethod
    def load(cls, path: Path = SENTENCE_CUES_FILE) -> SentenceCues:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))

        def words(key: str) -> re.Pattern:
            return re.compile(r"\b(?:" + "|".join(spec[key]) + r")\b", re.IGNORECASE)

        return cls(words("read_on_its_own"), words("everyday_phrases"))

    def found_in(self, sentence: str) -> bool:
        return bool(self.death_or_means.search(self.everyday_phrases.sub(" ", plain_apostrophes(sentence))))


class RiskModel:
    def __init__(self, classifier: WordingAndMeaning, encoder: Encoder):
        self.classifier = classifier
        self._encoder = encoder
        self._cues = SentenceCues.load()

    @classmethod
    def train(cls, data: Labelled, encoder: Encoder) -> RiskModel:
        vectors = encoder.encode_many(data.risk + data.ordinary)
        return cls(WordingAndMeaning.train(data.risk, data.ordinary, vectors), encoder)

    def probability(self, text: str, vector: np.ndarray | None = None) -> float:
        """How likely the message speaks of a risk to someone's life or safety, 0 to 1.

        `vector` is the message's sentence embedding, when the caller already has it."""
        if vector is None:
            vector = self._encoder.encode([text])[0]
        return float(self.classifier.probabilities([text], vector.reshape(1, -1))[0])

    def speaks_of_dying_or_a_means(self, text: str) -> bool:
        """Whether any sentence of the message has a word of dying, of a means or of a plan: a long
        letter without one is no risk read whole either (people's real letters about a partner's
        coldness or a teddy bear read at 0.6 to 0.95 whole, and got the check-in)."""
        return any(self._cues.found_in(sentence) for sentence in SENTENCE_BREAK.split(text))

    def highest_sentence_probability(self, text: str, at_least: float = 0.0) -> float:
        """The probability of the riskiest sentence of a message of several (0 for one sentence).

        Only sentences that could reach `at_least` are embedded (5-15 ms each): the average of the
        two classifiers reaches it only where the wording alone gives at least 2 x `at_least` - 1.
        So a result under `at_least` is a lower bound, and one at or over it is exact.

        A warning sign told in one sentence of a chat message ("gave my guitar to my brother.
        won't be needing it. anyway, how do working models form?") is diluted by the rest when
        the message is read whole, and so is a plan told late in a long letter. In a letter of
        more than 40 words only the sentences that speak of dying or of a means are read: among
        its many sentences some sound sad whatever it asks (read all, 73 of the project's 590
        ordinary real letters would get the check-in; read so, none)."""
        sentences = [part for part in SENTENCE_BREAK.split(text) if len(part.split()) >= MIN_SENTENCE_WORDS]
        if len(text.split()) > MAX_WORDS_READ_BY_SENTENCE:
            sentences = [sentence for sentence in sentences if self._cues.found_in(sentence)]
        elif len(sentences) < 2:
            return 0.0
        if not sentences:
            return 0.0
        by_wording = self.classifier.by_wording(sentences)
        probabilities = by_wording / 2  # for a sentence not embedded, a lower bound
        could_reach = by_wording >= 2 * at_least - 1
        if could_reach.any():
            worth_reading = [part for part, could in zip(sentences, could_reach, strict=True) if could]
            probabilities[could_reach] += self.classifier.by_meaning(self._encoder.encode(worth_reading)) / 2
        return float(probabilities.max())

    def save(self, path: Path = MODEL_FILE) -> Path:
        return self.classifier.save(path)

    @classmethod
    def load(cls, encoder: Encoder, path: Path = MODEL_FILE) -> RiskModel:
        """The model `python -m bot build-risk` wrote here."""
        return cls(WordingAndMeaning.load(path), encoder)
