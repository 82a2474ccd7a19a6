"""A yes-or-no text classifier whose probability means something: the shape both safety
classifiers share (bot/risk.py for a risk to life, bot/concerns.py for control or abuse).

Two logistic regressions, each calibrated with Platt scaling on cross-validation folds, are
averaged: one over word and character n-grams (the wording), one over the sentence embedding
(the meaning). On the development sets the pair kept the risk classifier's recall while cutting
false check-ins on people's real, upset but safe questions from 12% (n-grams alone) to under 1%
(README, "Safety"). Stored with pickle: load only files that `make setup` wrote.
"""

from __future__ import annotations

import pickle
import random
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import spmatrix
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline, make_union

from bot.content import CONTENT_DIR, nlu_examples, topic_examples

NLU_DIR = CONTENT_DIR.parent / "nlu"
EVERYDAY_NLU_FILES = [NLU_DIR / "feelings.yml", NLU_DIR / "conversation.yml", NLU_DIR / "questionnaire.yml"]
TOPIC_EXAMPLES_USED = 800  # everyday questions as ordinary messages, a fixed sample


def normal(text: str) -> str:
    """Lowercase, with underscores as spaces ("/i_want_to_die" is words)."""
    return text.lower().replace("_", " ")


def everyday_messages(topic_questions_used: int | None = TOPIC_EXAMPLES_USED) -> list[str]:
    """What people send every day, a negative example for both classifiers: feelings, small talk
    and questionnaire replies ("bye", "yes delete it"), and a fixed sample of topic questions
    (`None`: all of them)."""
    topic_questions = sorted(text for texts in topic_examples().values() for text in texts)
    random.Random(7).shuffle(topic_questions)
    small_talk = [text for path in EVERYDAY_NLU_FILES for text in nlu_examples(path)]
    return small_talk + topic_questions[:topic_questions_used]


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
        return self.from_products(np.asarray(features @ self.weights))

    def from_products(self, products: np.ndarray) -> np.ndarray:
        """The probabilities, given each row's features times `weights` (one column per fold)."""
        decisions = products + self.intercepts
        return expit(-(self.slopes * decisions + self.offsets)).mean(axis=1)


class NgramProducts:
    """A text's TF-IDF n-gram features times a linear classifier's weights, without building them.

    `FeatureUnion.transform` over the two TF-IDF vectorizers took 2.2 ms a message, nearly all of
    it input checks, sparse matrices and joblib; finding the n-grams took 0.04 ms. Each n-gram
    the vocabulary knows contributes (1 + log count) x idf, scaled to unit length within its
    vectorizer, times its row of weights: the same sums, in a tenth of a millisecond."""

    def __init__(self, vectorizers: list[TfidfVectorizer], weights: np.ndarray):
        """`weights` has one row per feature, the vectorizers' vocabularies one after the other, and
        one column per output (a fold, an intent)."""
        self._blocks = []
        start = 0
        for vectorizer in vectorizers:
            if not (vectorizer.sublinear_tf and vectorizer.use_idf and vectorizer.norm == "l2"):
                raise ValueError("expected TF-IDF vectorizers with sublinear tf and l2 norm")
            end = start + len(vectorizer.vocabulary_)
            self._blocks.append(
                (vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_, weights[start:end])
            )
            start = end
        if start != weights.shape[0]:
            raise ValueError("the weights do not match the vectorizers' vocabularies")
        self._outputs = weights.shape[1]

    @classmethod
    def of_union(cls, union: FeatureUnion, weights: np.ndarray) -> NgramProducts:
        if union.transformer_weights:
            raise ValueError("the union weighs its vectorizers")
        return cls([vectorizer for _, vectorizer in union.transformer_list], weights)

    def of(self, text: str) -> np.ndarray:
        """One product per output (fold, intent) for this text."""
        total = np.zeros(self._outputs)
        for analyze, vocabulary, idf, weights in self._blocks:
            counts = Counter(column for gram in analyze(text) if (column := vocabulary.get(gram)) is not None)
            if not counts:
                continue
            columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
            values = (1 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * idf[columns]
            total += (values / np.linalg.norm(values)) @ weights[columns]
        return total


class WordingAndMeaning:
    def __init__(self, wording: Pipeline, meaning: CalibratedClassifierCV):
        self.wording = wording
        self.meaning = meaning
        self._by_wording = FoldAverage(wording.named_steps["classifier"])
        features = wording.named_steps["features"]
        self._wording_products = NgramProducts.of_union(features, self._by_wording.weights)
        self._by_meaning = FoldAverage(meaning)

    @classmethod
    def train(cls, positive: list[str], negative: list[str], vectors: np.ndarray) -> WordingAndMeaning:
        """`vectors` holds the sentence embeddings of `positive + negative`, in that order."""
        texts = [normal(text) for text in positive + negative]
        labels = [1] * len(positive) + [0] * len(negative)
        features = make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        )
        wording = Pipeline([("features", features), ("classifier", _calibrated())]).fit(texts, labels)
        return cls(wording, _calibrated().fit(vectors, labels))

    def probabilities(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """The average of the two classifiers' probabilities, one per text."""
        return (self.by_wording(texts) + self.by_meaning(vectors)) / 2

    def by_meaning(self, vectors: np.ndarray) -> np.ndarray:
        """The sentence-embedding classifier's probabilities alone, one per row."""
        return self._by_meaning.positive(vectors)

    def by_wording(self, texts: list[str]) -> np.ndarray:
        """The n-gram classifier's probabilities alone, one per text."""
        return self._by_wording.from_products(
            np.vstack([self._wording_products.of(normal(text)) for text in texts])
        )

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps((self.wording, self.meaning)))
        return path

    @classmethod
    def load(cls, path: Path) -> WordingAndMeaning:
        """The classifier `make setup` wrote here (a pickle: never load one from elsewhere)."""
        if not path.exists():
            raise FileNotFoundError(f"classifier not built at {path}: run `make setup`")
        return cls(*pickle.loads(path.read_bytes()))
