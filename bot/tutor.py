"""What the bot says about concepts: explanations, follow-ups, comparisons, the menu.

The Rasa actions stay thin: they ask the Tutor for a Reply (bot.replies) and send it.
"""

from __future__ import annotations

import re

from spacy.language import Language

from bot.content import (
    SECTION_DEPTH,
    SECTION_EXAMPLE,
    SECTION_WHY,
    SECTIONS,
    ContentLibrary,
    Topic,
    topic_for_intent,
)
from bot.nlp import content_lemmas, mentioned_concepts
from bot.replies import SHOW_TOPICS_BUTTON, Button, Reply, intent_payload
from bot.retrieval import Match, TopicIndex

# Topic resolution combines the intent classifier's confidence for each topic with BM25
# retrieval over the content: score = confidence + RETRIEVAL_WEIGHT * bm25 / max(best bm25, BM25_FULL).
# Below MIN_TOPIC_SCORE neither source is sure enough, and the bot says so instead of guessing.
RETRIEVAL_WEIGHT = 0.5
COMPARE_INTENT = "compare_concepts"
MIN_COMPARE_CONFIDENCE = 0.2
# Words that ask for a contrast; with two concepts named they make a comparison even when
# the classifier put all its confidence on one of the two topics.
COMPARISON_CUE = re.compile(
    r"\b(differ\w*|compar\w*|contrast\w*|versus|vs|distinguish\w*|similar\w*|the same as|matters? more)\b",
    re.IGNORECASE,
)
BM25_FULL = 8.0
MIN_TOPIC_SCORE = 0.35

FOLLOW_UP_INTENTS = {SECTION_DEPTH: "more_detail", SECTION_WHY: "ask_why", SECTION_EXAMPLE: "ask_example"}
FOLLOW_UP_LABELS = {
    SECTION_DEPTH: "Tell me more",
    SECTION_WHY: "Why does it matter?",
    SECTION_EXAMPLE: "Give me an example",
}
SELF_POLES = {
    "positive": "a positive model of self (\u201cI am worth loving\u201d)",
    "negative": "a more negative model of self (\u201cmaybe I am not enough\u201d)",
}
OTHERS_POLES = {
    "positive": "a positive model of others (\u201cpeople will be there for me\u201d)",
    "negative": "a wary model of others (\u201cpeople will let me down\u201d)",
}


def topic_button(topic: Topic) -> Button:
    return Button(topic.title, intent_payload(topic.intent))


def short_citation(reference: str) -> str:
    """'Hazan, C., & Shaver, P. (1987). Romantic love...' -> 'Hazan, C., & Shaver, P. (1987)'."""
    head, separator, _ = reference.partition(")")
    return head + separator if separator else reference


class Tutor:
    def __init__(self, library: ContentLibrary, nlp: Language):
        self.library = library
        self._nlp = nlp
        self._index = TopicIndex(library, lambda text: content_lemmas(nlp, text))

    def _follow_ups(self, topic: Topic, shown: list[str]) -> tuple[Button, ...]:
        buttons = [
            Button(FOLLOW_UP_LABELS[name], intent_payload(FOLLOW_UP_INTENTS[name]))
            for name in SECTIONS
            if name not in shown
        ]
        buttons += [topic_button(self.library.get(other)) for other in topic.related[:3]]
        return tuple(buttons)

    def explain(self, topic_id: str) -> Reply:
        topic = self.library.get(topic_id)
        return Reply(f"**{topic.title}**\n\n{topic.summary}", self._follow_ups(topic, []))

    def section(self, topic_id: str, name: str, shown: list[str]) -> Reply:
        topic = self.library.get(topic_id)
        text = topic.sections[name]
        if name == SECTION_DEPTH:
            text += "\n\n_Source: " + "; ".join(short_citation(s) for s in topic.sources) + "_"
        return Reply(f"**{topic.title}: {name.lower()}**\n\n{text}", self._follow_ups(topic, [*shown, name]))

    def next_section(self, topic_id: str, shown: list[str]) -> tuple[Reply, str | None]:
        """The next part of a topic the person has not seen yet; the closing note when all are seen."""
        for name in SECTIONS:
            if name not in shown:
                return self.section(topic_id, name, shown), name
        topic = self.library.get(topic_id)
        sources = "\n".join(f"- {source}" for source in topic.sources)
        text = (
            f"That is everything I have on **{topic.title}**. If you want to read further:\n{sources}\n\n"
            "Or pick a related topic:"
        )
        buttons = tuple(topic_button(self.library.get(other)) for other in topic.related)
        return Reply(text, (*buttons, SHOW_TOPICS_BUTTON)), None

    def resolve(self, question: str, intent_ranking: dict[str, float] | None = None) -> Match | None:
        """The topic a question is about, from intent confidences and retrieval; None if unsure."""
        scores = {topic.id: 0.0 for topic in self.library}
        for intent, confidence in (intent_ranking or {}).items():
            topic_id = topic_for_intent(intent)
            if topic_id in scores:
                scores[topic_id] += confidence
        matches = self._index.search(question, limit=len(self.library))
        if matches:
            scale = max(matches[0].score, BM25_FULL)  # the best match counts fully only if strong
            for match in matches:
                scores[match.topic_id] += RETRIEVAL_WEIGHT * match.score / scale
        best = max(scores, key=scores.__getitem__)
        if scores[best] < MIN_TOPIC_SCORE:
            return None
        return Match(best, round(scores[best], 3))

    def answer(
        self, question: str, intent_ranking: dict[str, float], confident: bool
    ) -> tuple[Reply, str | None]:
        """Explain the topic of a question; say what was found when the classifier was unsure.

        A question that names two concepts while the classifier also sees a comparison
        ("is changing through therapy different from earned security?") gets the comparison.
        """
        asks_to_compare = COMPARISON_CUE.search(question) is not None
        if asks_to_compare or intent_ranking.get(COMPARE_INTENT, 0.0) >= MIN_COMPARE_CONFIDENCE:
            reply, topic_ids = self.compare(question, current_topic=None)
            if topic_ids:
                return reply, topic_ids[-1]
        match = self.resolve(question, intent_ranking)
        if match is None:
            intro = (
                "I'm not sure I understood that, and I'd rather say so than guess. "
                "I can explain these topics about internal working models and attachment:"
            )
            return self.menu(intro), None
        explanation = self.explain(match.topic_id)
        if confident:
            return explanation, match.topic_id
        found = Reply("I think this is what you're asking about.\n\n" + explanation.text, explanation.buttons)
        return found, match.topic_id

    def concepts_in(self, text: str) -> list[str]:
        return mentioned_concepts(self._nlp, text)

    def compare(self, text: str, current_topic: str | None) -> tuple[Reply, list[str]]:
        """Compare the two concepts named in the text (or one named plus the current topic)."""
        topic_ids = self.concepts_in(text)
        specific = [
            topic_id for topic_id in topic_ids if topic_id not in self.library.vocabulary.umbrella_topics
        ]
        if len(specific) >= 2:
            topic_ids = specific
        if len(topic_ids) < 2 and current_topic in self.library and current_topic not in topic_ids:
            topic_ids.insert(0, current_topic)
        if len(topic_ids) < 2:
            example = "what's the difference between anxious and avoidant attachment?"
            reply = Reply(
                "Which two ideas would you like me to compare? For example: " + example,
                (Button("Anxious vs avoidant", example),),
            )
            return reply, []
        first, second = (self.library.get(topic_id) for topic_id in topic_ids[:2])
        lines = [
            f"**{first.title}** and **{second.title}**",
            "",
            f"- **{first.title}**: {first.summary}",
            f"- **{second.title}**: {second.summary}",
        ]
        if first.models and second.models:
            lines += ["", self._contrast_models(first, second)]
        buttons = (topic_button(first), topic_button(second))
        return Reply("\n".join(lines), buttons), [first.id, second.id]

    @staticmethod
    def _contrast_models(first: Topic, second: Topic) -> str:
        parts = []
        for key, poles, name in (("self", SELF_POLES, "self"), ("others", OTHERS_POLES, "others")):
            if first.models[key] == second.models[key]:
                parts.append(f"Both go with {poles[first.models[key]]}.")
            else:
                parts.append(
                    f"They differ in the model of {name}: {first.title.lower()} goes with "
                    f"{poles[first.models[key]]}, {second.title.lower()} with {poles[second.models[key]]}."
                )
        caveat = (
            "Remember these are tendencies on two sliding scales (anxiety and avoidance), "
            "not boxes, and they can differ from one relationship to another."
        )
        return " ".join(parts) + " " + caveat

    def menu(self, intro: str) -> Reply:
        lines = [intro, ""]
        buttons = []
        for group in self.library.menu:
            topics = [self.library.get(topic_id) for topic_id in group.topic_ids]
            lines.append(f"**{group.title}**: " + ", ".join(topic.title for topic in topics))
            buttons += [topic_button(topic) for topic in topics]
        return Reply("\n".join(lines), tuple(buttons))
