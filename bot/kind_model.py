"""The kind of answer a letter wants, learnt from people's real letters, beside the wording rules.

The rules (bot/kinds.py) know how people word a question ("is this me?", "what should I do?"),
but a letter often asks in its own way ("I just don't know how to be there for him") or not in
so many words, and then the rules fall back to "what is it?". A multinomial logistic regression
over the sentence embeddings of the asking sentence and of the whole letter, with the rules'
verdict as a feature, learns from the spent sets of real letters. Left out one set at a time it
found the kind of 617 of 892 letters against the rules' 577 (README, "Understanding what people
ask"). It decides for letters of 25 words or more; a shorter message stays with the rules. Its
weights are stored as plain arrays (npz), not pickled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bot.content import CONTENT_DIR, KINDS
from bot.embedding import Encoder
from bot.focus import FocusFinder
from bot.kinds import DEFAULT_KIND, KINDS_FILE, KindDetector

MODEL_FILE = CONTENT_DIR.parent / "build" / "kinds" / "model.npz"
LETTERS_DIR = CONTENT_DIR.parent / "tests" / "data"
# A message this long is a letter: the learnt reading decides (the Tutor reads it as a story too).
LETTER_WORDS = 25
# Kinds only the rules can tell: few or no letters ask for them, their wordings are plain.
RULES_ONLY = frozenset({"take-test", "example", "why-matters"})
# The labels say "specific" for a factual question; the Tutor answers it as it answers "what":
# from the bank if a fact is worded alike, else the topic's summary.
SAME_ANSWER = {"specific": DEFAULT_KIND}
REGULARISATION = 3.0  # inverse strength C, chosen leaving one set out at a time (0.3, 1, 3)


@dataclass(frozen=True)
class Letter:
    asking: str
    whole: str
    rules_kind: str
    kind: str  # as labelled


def spent_letter_sets(path: Path = KINDS_FILE) -> list[Path]:
    """The sets of real letters the model learns from: each a blind set measured once, then spent."""
    names = yaml.safe_load(path.read_text(encoding="utf-8"))["learned_from"]
    return [LETTERS_DIR / name for name in names]


def labelled_letters(
    paths: Iterable[Path], focus: FocusFinder, rules: KindDetector
) -> list[tuple[int, Letter]]:
    """Each labelled letter with the number of its set (for leaving one set out)."""
    letters = []
    for number, path in enumerate(paths):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            if item.get("risk"):
                continue
            found = focus.focus(item["text"])
            kind = SAME_ANSWER.get(item["kind"], item["kind"])
            letters.append(
                (number, Letter(found.asking, found.whole, rules.kind_of(found.asking, found.whole), kind))
            )
    return letters


def features(asking: np.ndarray, whole: np.ndarray, rules_kinds: Iterable[str]) -> np.ndarray:
    """One row per message: both embeddings and the rules' verdict, one column per kind."""
    verdicts = np.array([[kind == known for known in KINDS] for kind in rules_kinds], dtype=np.float32)
    return np.hstack([np.atleast_2d(asking), np.atleast_2d(whole), verdicts])


def letter_vectors(letters: list[Letter], encoder: Encoder) -> tuple[np.ndarray, np.ndarray]:
    """The embeddings of each letter's asking sentence and of the whole letter."""
    return (
        encoder.encode_many([letter.asking for letter in letters]),
        encoder.encode_many([letter.whole for letter in letters]),
    )


@dataclass(frozen=True)
class KindModel:
    classes: np.ndarray
    weights: np.ndarray  # one column per class
    intercepts: np.ndarray

    @classmethod
    def train(cls, rows: np.ndarray, kinds: list[str]) -> KindModel:
        from sklearn.linear_model import LogisticRegression  # only at setup

        model = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(rows, kinds)
        return cls(model.classes_, model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32))

    def save(self, path: Path = MODEL_FILE) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, classes=self.classes.astype(str), weights=self.weights, intercepts=self.intercepts)
        return path

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> KindModel:
        if not path.exists():
            raise FileNotFoundError(f"kind model not built at {path}: run `make setup`")
        stored = np.load(path, allow_pickle=False)
        return cls(stored["classes"], stored["weights"], stored["intercepts"])

    def predict(self, rows: np.ndarray) -> np.ndarray:
        return self.classes[np.argmax(rows @ self.weights + self.intercepts, axis=1)]

    def kind(self, rules_kind: str, asking: np.ndarray, whole: np.ndarray, words: int) -> str:
        """The learnt kind for a letter, the rules' for a shorter message: the model learnt from
        letters, and on short textbook questions it turned 9% of the rules' "what is it?" into
        other kinds, mostly wrongly ("how does the model of self affect self esteem" is no "is
        this me?")."""
        if words < LETTER_WORDS or rules_kind in RULES_ONLY:
            return rules_kind
        return str(self.predict(features(asking, whole, [rules_kind]))[0])


def build(encoder: Encoder, path: Path = MODEL_FILE) -> tuple[Path, int]:
    """Train on every spent set of letters; the path written and how many letters."""
    letters = [
        letter for _, letter in labelled_letters(spent_letter_sets(), FocusFinder.load(), KindDetector.load())
    ]
    askings, wholes = letter_vectors(letters, encoder)
    rows = features(askings, wholes, [letter.rules_kind for letter in letters])
    model = KindModel.train(rows, [letter.kind for letter in letters])
    return model.save(path), len(letters)
