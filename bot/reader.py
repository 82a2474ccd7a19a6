"""Reading a message: what it asks, what kind of answer it wants, which topics and bank entries fit.

The Reader works where the message is understood (the Rasa server's NLU pipeline runs it,
bot/rasa_ext/reader.py) and hands the Tutor, on the action server, a small Reading: the
sentence embeddings, spaCy and BM25 indexes stay in one process. A topic's score adds the
intent classifier's confidence (reliable for textbook questions), the similarity-weighted vote
of the message's nearest training examples (reliable for people describing their situation),
a little lexical retrieval over the content, and the everyday cues of a writer describing their
own style (bot/style_cues.py); the weights were chosen on the development sets (README,
"Understanding").
"""

from __future__ import annotations

import re

import numpy as np
from spacy.language import Language

from bot.concerns import ConcernFinder
from bot.content import ContentLibrary, topic_for_intent
from bot.focus import FocusFinder
from bot.kind_model import KindModel
from bot.kinds import CHILD, PARTNER, KindDetector
from bot.nlp import content_lemmas, mentioned_concepts
from bot.reading import Reading
from bot.retrieval import QuestionIndex, SemanticIndex, TopicIndex
from bot.style_cues import StyleCues

# How much each source counts towards a topic's score (chosen on the development sets).
WEIGHTS = {"classifier": 1.0, "semantic": 1.0, "lexical": 0.2, "cues": 0.5}
BM25_FULL = 4.0  # a BM25 score this high counts fully; a lower best one counts in proportion
TOPICS_KEPT = 5
MIN_ASKING_WORDS = 6  # an asking sentence shorter than this is searched only as part of the message
BANK_KEPT = 6
COMPARE_INTENT = "compare_concepts"
MIN_COMPARE_CONFIDENCE = 0.2
# Words that ask for a contrast, in the asking sentence ("how does X differ from Y?"); with two
# concepts named they make a comparison even when the classifier put all its confidence on one of
# the two topics. "Different" alone asks for none ("in different times of one's life", "different
# attachment styles": spent blind set 12).
COMPARISON_CUE = re.compile(
    r"\b(differ(?:s|ed|ing)?|differences?|different (?:from|than|to)|differentiat\w*|compar\w*|contrast\w*"
    r"|versus|vs|distinguish\w*|similar\w*|the same as|matters? more)\b",
    re.IGNORECASE,
)


class Reader:
    def __init__(
        self,
        library: ContentLibrary,
        nlp: Language,
        kinds: KindDetector,
        kind_model: KindModel,
        focus: FocusFinder,
        semantic: SemanticIndex,
        concerns: ConcernFinder,
        cues: StyleCues,
    ):
        self.library = library
        self._concerns = concerns
        self._cues = cues
        self._nlp = nlp
        self._kinds = kinds
        self._kind_model = kind_model
        self._focus = focus
        self._semantic = semantic
        lemmatize = lambda text: content_lemmas(nlp, text)  # noqa: E731
        self._topics = TopicIndex(library, lemmatize)
        self._questions = QuestionIndex(library.questions, lemmatize)
        self._entries = {question.id: question for question in library.questions}

    @classmethod
    def load(cls, library: ContentLibrary, nlp: Language, semantic: SemanticIndex) -> Reader:
        """A Reader with the kinds, feelings and concern wordings from content/."""
        return cls(
            library,
            nlp,
            KindDetector.load(),
            KindModel.load(),
            FocusFinder.load(),
            semantic,
            ConcernFinder.load(),
            StyleCues.load(),
        )

    def vector(self, text: str) -> np.ndarray:
        return self._semantic.vector(text)

    def read(
        self,
        text: str,
        intent_ranking: dict[str, float] | None = None,
        intent: str | None = None,
        vector: np.ndarray | None = None,
    ) -> Reading:
        """Everything an answer depends on, worked out once. `vector` is the message's embedding, if known."""
        ranking = intent_ranking or {}
        focus = self._focus.focus(text)
        whole = self.vector(focus.whole) if vector is None else vector
        asking = whole if focus.asking == focus.whole else self.vector(focus.asking)
        short = len(focus.asking.split()) < MIN_ASKING_WORDS  # "What do I do?" alone matches anything
        signals, nearest = self.topic_signals(focus.asking, focus.whole, whole, ranking)
        words = len(text.split())
        kind = self._kind_model.kind(self._kinds.kind_of(focus.asking, focus.whole), asking, whole, words)
        young_child = self._kinds.names_a_young_child(focus.whole)  # a baby named: no older child's answers
        older_child = not young_child and self._kinds.names_an_older_child(focus.whole)
        child_age = young_child or older_child  # "our 4-year-old" names a child of the writer's own
        relationships = self._kinds.relationships_named(focus.whole) | ({CHILD} if child_age else set())
        if kind == PARTNER and CHILD in relationships and PARTNER not in relationships:
            # "how can I help him open up?" about one's grown son is a parent's question, not a
            # partner's (a son's mother got the partners' answer: our test wording)
            kind = CHILD
        if kind == PARTNER:  # the writer's own style says nothing of the partner asked about
            signals.pop("cues")
        scores = {
            topic.id: sum(WEIGHTS[name] * signal.get(topic.id, 0.0) for name, signal in signals.items())
            for topic in self.library
        }
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:TOPICS_KEPT]
        return Reading(
            kind=kind,
            is_question=focus.is_question,
            feelings=focus.feelings,
            concern=self._concerns.found(text, whole),
            about_self=self._kinds.about_self(focus.whole),
            about_a_friend=self._kinds.about_a_friend(focus.whole, kind),
            estranged=self._kinds.speaks_of_estrangement(focus.whole),
            older_child=older_child,
            young_child=young_child,
            grown_child=self._kinds.names_only_a_grown_child(focus.whole),
            # a child under 18 named (a baby, a school-age child, a teenager) and no grown one
            minor=(child_age or self._kinds.names_a_teenager(focus.whole))
            and not self._kinds.names_a_grown_child(focus.whole),
            childless=not self._kinds.names_a_child(focus.whole),
            relationships=sorted(relationships),
            confident=topic_for_intent(intent or "") is not None,
            topics=[(topic_id, round(scores[topic_id], 3)) for topic_id in ranked],
            nearest=round(nearest, 3),
            bank=self._bank(
                focus.asking, focus.whole, [whole] if asking is whole or short else [whole, asking]
            ),
            concepts=mentioned_concepts(self._nlp, text),
            compare=COMPARISON_CUE.search(focus.asking) is not None
            or ranking.get(COMPARE_INTENT, 0.0) >= MIN_COMPARE_CONFIDENCE,
            words=words,
        )

    def topic_signals(
        self, asking: str, whole: str, vector: np.ndarray, ranking: dict[str, float]
    ) -> tuple[dict[str, dict[str, float]], float]:
        """Each source's score per topic, before weighting (scripts/compare_readers.py weighs
        them differently), and the similarity of the nearest training example."""
        classifier = {}
        for name, confidence in ranking.items():
            topic_id = topic_for_intent(name)
            if topic_id in self.library:
                classifier[topic_id] = classifier.get(topic_id, 0.0) + confidence
        votes, nearest = self._semantic.topic_votes(vector)
        lexical = {}
        matches = self._topics.search(f"{asking} {whole}", limit=len(self.library))
        if matches:
            scale = max(matches[0].score, BM25_FULL)
            lexical = {match.topic_id: match.score / scale for match in matches}
        cues = self._cues.scores(whole)
        return {"classifier": classifier, "semantic": votes, "lexical": lexical, "cues": cues}, nearest

    def _bank(self, asking: str, whole: str, vectors: list[np.ndarray]) -> list[tuple[str, float, float]]:
        """The closest bank entries by meaning and by words, each with both measures."""
        found: dict[str, list[float]] = {}
        for vector in vectors:
            for match in self._semantic.questions(vector, limit=3):
                entry = found.setdefault(match.question.id, [0.0, 0.0])
                entry[0] = max(entry[0], match.similarity)
        for text in {asking, whole}:
            for match in self._questions.search(text, limit=3):
                entry = found.setdefault(match.question.id, [0.0, 0.0])
                entry[1] = max(entry[1], match.fit)
        # an entry about one situation (adoption, a funeral) only for a message that names it
        found = {
            entry_id: found[entry_id] for entry_id in found if self._entries[entry_id].fits_situation(whole)
        }
        ranked = sorted(found.items(), key=lambda item: (max(item[1]), item[1][0]), reverse=True)
        return [
            (entry_id, round(similarity, 3), round(fit, 3))
            for entry_id, (similarity, fit) in ranked[:BANK_KEPT]
        ]
