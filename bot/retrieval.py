"""Lexical retrieval over the content library with bm25s: topics, and the question bank.

Text is reduced to the lemmas of its content words (bot.nlp) before indexing and searching.
Topic documents repeat titles and keywords so that a question naming a concept outweighs a
passing mention in another topic's body. Question-bank entries are searched by each of the
ways people ask them, and a match is sure only when it holds both ways: the message covers
the phrasing (its BM25 score relative to the phrasing's score against itself) and the
phrasing covers the message (the share of the message's rarer words it contains).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from bot.content import ContentError, ContentLibrary, Question, Topic, topic_examples
from bot.embedding import Encoder

SEMANTIC_INDEX_FILE = Path(__file__).resolve().parent.parent / "build" / "index" / "semantic.npz"

Lemmatizer = Callable[[str], list[str]]

FIELD_WEIGHTS = {"title": 3, "keywords": 3, "summary": 2, "sections": 1}


@dataclass(frozen=True)
class Match:
    topic_id: str
    score: float


@dataclass(frozen=True)
class QuestionMatch:
    question: Question
    score: float
    coverage: float  # 0..1: how much of the phrasing the message covers
    precision: float  # 0..1: how much of the message (its words, weighted by rarity) the phrasing covers

    @property
    def fit(self) -> float:
        """Both ways at once (their harmonic mean): high only when message and phrasing say the same."""
        total = self.coverage + self.precision
        return 0.0 if total == 0 else round(2 * self.coverage * self.precision / total, 3)


def _topic_terms(topic: Topic, lemmatize: Lemmatizer) -> list[str]:
    fields = {
        "title": topic.title,
        "keywords": " ; ".join(topic.keywords),
        "summary": topic.summary,
        "sections": "\n".join(topic.sections.values()),
    }
    return [lemma for name, text in fields.items() for lemma in lemmatize(text) * FIELD_WEIGHTS[name]]


def _index(documents: Sequence[list[str]]) -> bm25s.BM25:
    index = bm25s.BM25()
    index.index([document or ["<empty>"] for document in documents], show_progress=False)
    return index


def _scores(index: bm25s.BM25, terms: list[str]) -> np.ndarray:
    known = [term for term in terms if term in index.vocab_dict]
    return index.get_scores(known) if known else np.zeros(index.scores["num_docs"])


class TopicIndex:
    def __init__(self, library: ContentLibrary, lemmatize: Lemmatizer):
        self._lemmatize = lemmatize
        self._ids = library.ids()
        self._index = _index([_topic_terms(library.get(topic_id), lemmatize) for topic_id in self._ids])

    def search(self, query: str, limit: int = 3) -> list[Match]:
        """Best topics for the query, highest score first; empty when no word matches."""
        scores = _scores(self._index, self._lemmatize(query))
        ranked = sorted(
            ((score, topic_id) for topic_id, score in zip(self._ids, scores, strict=True)), reverse=True
        )
        return [Match(topic_id, round(float(score), 3)) for score, topic_id in ranked[:limit] if score > 0]


class QuestionIndex:
    def __init__(self, questions: Sequence[Question], lemmatize: Lemmatizer):
        self._lemmatize = lemmatize
        self._owners: list[Question] = []
        phrasings: list[list[str]] = []
        for question in questions:
            for ask in question.asks:
                self._owners.append(question)
                phrasings.append(lemmatize(ask))
        self._index = _index(phrasings)
        self._terms = [set(terms) for terms in phrasings]
        self._self_scores = [
            max(float(_scores(self._index, terms)[position]), 1e-9)
            for position, terms in enumerate(phrasings)
        ]
        frequency = Counter(term for terms in self._terms for term in terms)
        count = len(self._terms)
        self._idf = {term: math.log(1 + (count - n + 0.5) / (n + 0.5)) for term, n in frequency.items()}
        self._unknown_idf = max(self._idf.values(), default=1.0)  # a word no phrasing has is a rare one

    def search(self, query: str, limit: int = 3) -> list[QuestionMatch]:
        """The entries whose phrasings best fit the query, best first (one per entry)."""
        terms = self._lemmatize(query)
        wanted = {term: self._idf.get(term, self._unknown_idf) for term in set(terms)}
        total = sum(wanted.values())
        scores = _scores(self._index, terms)
        best: dict[str, QuestionMatch] = {}
        for position in np.argsort(-scores)[: limit * 8]:
            score = float(scores[position])
            if score <= 0:
                break
            coverage = min(1.0, score / self._self_scores[position])
            precision = (
                sum(weight for term, weight in wanted.items() if term in self._terms[position]) / total
            )
            match = QuestionMatch(
                self._owners[position], round(score, 3), round(coverage, 3), round(precision, 3)
            )
            if match.question.id not in best or match.fit > best[match.question.id].fit:
                best[match.question.id] = match
        return sorted(best.values(), key=lambda match: match.fit, reverse=True)[:limit]


@dataclass(frozen=True)
class SemanticMatch:
    question: Question
    similarity: float  # cosine between the message and the entry's closest phrasing


class SemanticIndex:
    """Sentence embeddings (bot.embedding) of every topic's training examples and every bank phrasing.

    A message's topic scores are a similarity-weighted vote of its nearest examples; the bank is
    searched by cosine similarity to each phrasing. The vectors are computed once at setup
    (`python -m bot build-index`), stored with a digest of the texts they stand for, and refused
    when the texts have changed since.
    """

    NEIGHBOURS = 10

    def __init__(self, library: ContentLibrary, encoder: Encoder, path: Path = SEMANTIC_INDEX_FILE):
        self.encoder = encoder
        texts, topics = indexed_texts(library)
        if not path.exists():
            raise FileNotFoundError(f"semantic index not built at {path}: run `make setup`")
        stored = np.load(path)
        if str(stored["digest"]) != text_digest(texts):
            raise ContentError(f"{path.name} was built from other texts: run `make setup` again")
        vectors = stored["vectors"]
        self._topics = np.array(topics)
        self._examples = vectors[: len(topics)]
        self._phrasings = vectors[len(topics) :]
        self._owners = [question for question in library.questions for _ in question.asks]

    def vector(self, text: str) -> np.ndarray:
        return self.encoder.encode([text])[0]

    def topic_votes(self, vector: np.ndarray) -> tuple[dict[str, float], float]:
        """Each topic's share of the similarity of the message's nearest training examples, and the
        similarity of the very nearest (low when the message is about something the bot does not cover)."""
        similarities = self._examples @ vector
        nearest = np.argsort(-similarities)[: self.NEIGHBOURS]
        votes: dict[str, float] = {}
        for position in nearest:
            topic_id = str(self._topics[position])
            votes[topic_id] = votes.get(topic_id, 0.0) + max(float(similarities[position]), 0.0)
        total = sum(votes.values()) or 1.0
        return {topic_id: vote / total for topic_id, vote in votes.items()}, float(similarities[nearest[0]])

    def questions(self, vector: np.ndarray, limit: int = 3) -> list[SemanticMatch]:
        """The bank entries whose phrasings are closest to the message, closest first."""
        similarities = self._phrasings @ vector
        best: dict[str, SemanticMatch] = {}
        for position in np.argsort(-similarities):
            question = self._owners[position]
            if question.id not in best:
                best[question.id] = SemanticMatch(question, round(float(similarities[position]), 3))
            if len(best) == limit:
                break
        return list(best.values())


def indexed_texts(library: ContentLibrary) -> tuple[list[str], list[str]]:
    """What the semantic index stands for, in order: topic examples (and their topic ids), then phrasings."""
    examples = topic_examples()
    texts = [text for topic_id in sorted(examples) for text in examples[topic_id]]
    topics = [topic_id for topic_id in sorted(examples) for _ in examples[topic_id]]
    return texts + [ask for question in library.questions for ask in question.asks], topics


def text_digest(texts: list[str]) -> str:
    return hashlib.sha256("\x1e".join(texts).encode()).hexdigest()


def build_semantic_index(library: ContentLibrary, encoder: Encoder, path: Path = SEMANTIC_INDEX_FILE) -> Path:
    """Embed every indexed text and store the vectors with the digest of the texts."""
    texts, _ = indexed_texts(library)
    vectors = encoder.encode_many(texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, vectors=vectors, digest=text_digest(texts))
    return path
