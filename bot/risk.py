"""A dedicated "risk or no risk" classifier, calibrated so that its probability means something.

The rule patterns (bot.crisis) catch what is said plainly; this classifier catches what they
miss (indirect, coded, wrapped in another question) and, unlike the intent classifier it
replaces, gives probabilities that separate the classes. Two logistic regressions, each
calibrated with Platt scaling on cross-validation folds, are averaged: one over word and
character n-grams (the wording), one over the sentence embedding (the meaning). On the
development sets the pair kept recall while cutting false check-ins on people's real, upset
but safe questions from 12% (n-grams alone) to under 1% (README, "Safety"). It is trained on
the project's labelled messages (content/safety/risk_training.yml plus, as ordinary messages,
the feelings and topic examples people send every day); its thresholds are chosen on a separate
development set (tests/data/risk_dev.yml) and kept in config.yml.
"""

from __future__ import annotations

import pickle
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import spmatrix
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_union

from bot.content import CONTENT_DIR, nlu_examples, topic_examples
from bot.embedding import Encoder

TRAINING_FILE = CONTENT_DIR / "safety" / "risk_training.yml"
SENTENCE_CUES_FILE = CONTENT_DIR / "safety" / "sentence_cues.yml"  # its own small file: read at start-up
NLU_DIR = CONTENT_DIR.parent / "nlu"
EVERYDAY_NLU_FILES = [NLU_DIR / "feelings.yml", NLU_DIR / "conversation.yml", NLU_DIR / "questionnaire.yml"]
MODEL_FILE = CONTENT_DIR.parent / "build" / "risk" / "model.pickle"
TOPIC_EXAMPLES_USED = 800  # everyday questions as ordinary messages, a fixed sample
# sentences end at . ! ? or where the writer turns to something else ("... anyway what's a secure base?")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s+(?:anyway|anyways)[,.]?\s+", re.IGNORECASE)
MIN_SENTENCE_WORDS = 3
MAX_WORDS_READ_BY_SENTENCE = 40


@dataclass(frozen=True)
class Labelled:
    risk: list[str]
    ordinary: list[str]


def training_messages() -> Labelled:
    """Risk examples, and as ordinary messages the ones people send every day: feelings,
    small talk and questionnaire replies ("bye", "yes delete it"), and a fixed sample of
    topic questions."""
    spec = yaml.safe_load(TRAINING_FILE.read_text(encoding="utf-8"))
    everyday = sorted(text for texts in topic_examples().values() for text in texts)
    random.Random(7).shuffle(everyday)
    small_talk = [text for path in EVERYDAY_NLU_FILES for text in nlu_examples(path)]
    ordinary = [item["text"] for item in spec["ordinary"]] + small_talk + everyday[:TOPIC_EXAMPLES_USED]
    return Labelled([item["text"] for item in spec["risk"]], ordinary)


def sentence_cues(path: Path = SENTENCE_CUES_FILE) -> re.Pattern:
    """Words of dying or of a means: a long letter's sentences are read on their own only with one."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    return re.compile(r"\b(?:" + "|".join(spec["read_on_its_own"]) + r")\b", re.IGNORECASE)


def normal(text: str) -> str:
    """Lowercase, with underscores as spaces ("/i_want_to_die" is words)."""
    return text.lower().replace("_", " ")


def _calibrated() -> CalibratedClassifierCV:
    return CalibratedClassifierCV(
        LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced"), method="sigmoid", cv=5
    )


class FoldAverage:
    """The probability a calibrated classifier gives the positive class, in one matrix product.

    `CalibratedClassifierCV.predict_proba` averages its five folds (a logistic regression each,
    then a sigmoid) one call at a time, checking its input each time: 0.4 ms a message, on every
    message. The same sums for all folds at once give the same numbers in a twentieth of it."""

    def __init__(self, calibrated: CalibratedClassifierCV):
        folds = calibrated.calibrated_classifiers_
        if list(calibrated.classes_) != [0, 1] or any(len(fold.calibrators) != 1 for fold in folds):
            raise ValueError("expected a binary classifier calibrated with one sigmoid per fold")
        self.weights = np.vstack([fold.base_estimator.coef_[0] for fold in folds]).T
        self.intercepts = np.array([fold.base_estimator.intercept_[0] for fold in folds])
        self.slopes = np.array([fold.calibrators[0].a_ for fold in folds])
        self.offsets = np.array([fold.calibrators[0].b_ for fold in folds])

    def positive(self, features: np.ndarray | spmatrix) -> np.ndarray:
        """One probability per row of `features` (a dense or sparse matrix)."""
        decisions = np.asarray(features @ self.weights) + self.intercepts
        return expit(-(self.slopes * decisions + self.offsets)).mean(axis=1)


class RiskModel:
    def __init__(self, wording: Pipeline, meaning: CalibratedClassifierCV, encoder: Encoder):
        self._wording = wording
        self._meaning = meaning
        self._encoder = encoder
        self._death_or_means = sentence_cues()
        self._wording_features = wording.named_steps["features"]
        self._by_wording = FoldAverage(wording.named_steps["classifier"])
        self._by_meaning = FoldAverage(meaning)

    def _probabilities(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """The average of the two classifiers' probabilities, one per text."""
        by_wording = self._by_wording.positive(
            self._wording_features.transform([normal(text) for text in texts])
        )
        return (by_wording + self._by_meaning.positive(vectors)) / 2

    @classmethod
    def train(cls, data: Labelled, encoder: Encoder) -> RiskModel:
        texts = [normal(text) for text in data.risk + data.ordinary]
        labels = [1] * len(data.risk) + [0] * len(data.ordinary)
        features = make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        )
        wording = Pipeline([("features", features), ("classifier", _calibrated())]).fit(texts, labels)
        meaning = _calibrated().fit(encoder.encode_many(data.risk + data.ordinary), labels)
        return cls(wording, meaning, encoder)

    def probability(self, text: str, vector: np.ndarray | None = None) -> float:
        """How likely the message speaks of a risk to someone's life or safety, 0 to 1.

        `vector` is the message's sentence embedding, when the caller already has it."""
        if vector is None:
            vector = self._encoder.encode([text])[0]
        return float(self._probabilities([text], vector.reshape(1, -1))[0])

    def highest_sentence_probability(self, text: str) -> float:
        """The probability of the riskiest sentence of a message of several (0 for one sentence).

        A warning sign told in one sentence of a chat message ("gave my guitar to my brother.
        won't be needing it. anyway, how do working models form?") is diluted by the rest when
        the message is read whole, and so is a plan told late in a long letter. In a letter of
        more than 40 words only the sentences that speak of dying or of a means are read: among
        its many sentences some sound sad whatever it asks (read all, 73 of the project's 590
        ordinary real letters would get the check-in; read so, none)."""
        sentences = [part for part in SENTENCE_BREAK.split(text) if len(part.split()) >= MIN_SENTENCE_WORDS]
        if len(text.split()) > MAX_WORDS_READ_BY_SENTENCE:
            sentences = [sentence for sentence in sentences if self._death_or_means.search(sentence)]
        elif len(sentences) < 2:
            return 0.0
        if not sentences:
            return 0.0
        return float(self._probabilities(sentences, self._encoder.encode(sentences)).max())

    def save(self, path: Path = MODEL_FILE) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps((self._wording, self._meaning)))
        return path

    @classmethod
    def load(cls, encoder: Encoder, path: Path = MODEL_FILE) -> RiskModel:
        """The model `python -m bot build-risk` wrote here (a pickle: never load one from elsewhere)."""
        if not path.exists():
            raise FileNotFoundError(f"risk classifier not built at {path}: run `make setup`")
        wording, meaning = pickle.loads(path.read_bytes())
        return cls(wording, meaning, encoder)
