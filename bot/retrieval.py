"""BM25 retrieval over the content library, the fallback when intent classification is unsure.

Each topic becomes one document; titles and keywords are repeated so that a
question naming a concept outweighs a passing mention in some other topic's body.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bot.content import ContentLibrary, Topic

Lemmatizer = Callable[[str], list[str]]

FIELD_WEIGHTS = {"title": 3, "keywords": 3, "summary": 2, "sections": 1}


@dataclass(frozen=True)
class Match:
    topic_id: str
    score: float


def _topic_fields(topic: Topic) -> dict[str, str]:
    return {
        "title": topic.title,
        "keywords": " ; ".join(topic.keywords),
        "summary": topic.summary,
        "sections": "\n".join(topic.sections.values()),
    }


class TopicIndex:
    def __init__(self, library: ContentLibrary, lemmatize: Lemmatizer, k1: float = 1.5, b: float = 0.75):
        self._lemmatize = lemmatize
        self._k1 = k1
        self._b = b
        self._docs: dict[str, Counter[str]] = {}
        for topic in library:
            terms: Counter[str] = Counter()
            for name, text in _topic_fields(topic).items():
                for lemma in lemmatize(text):
                    terms[lemma] += FIELD_WEIGHTS[name]
            self._docs[topic.id] = terms
        self._lengths = {topic_id: sum(terms.values()) for topic_id, terms in self._docs.items()}
        self._average_length = sum(self._lengths.values()) / len(self._docs)
        document_frequency: Counter[str] = Counter()
        for terms in self._docs.values():
            document_frequency.update(terms.keys())
        total = len(self._docs)
        self._idf = {
            term: math.log(1 + (total - freq + 0.5) / (freq + 0.5))
            for term, freq in document_frequency.items()
        }

    def search(self, query: str, limit: int = 3) -> list[Match]:
        """Best topics for the query, highest score first; empty when no word matches."""
        query_terms = set(self._lemmatize(query))
        matches = []
        for topic_id, terms in self._docs.items():
            norm = self._k1 * (1 - self._b + self._b * self._lengths[topic_id] / self._average_length)
            score = sum(
                self._idf[term] * terms[term] * (self._k1 + 1) / (terms[term] + norm)
                for term in query_terms
                if term in terms
            )
            if score > 0:
                matches.append(Match(topic_id, round(score, 3)))
        matches.sort(key=lambda match: match.score, reverse=True)
        return matches[:limit]
