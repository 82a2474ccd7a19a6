"""What the bot says about concepts: explanations, follow-ups, comparisons, the menu.

The Rasa actions stay thin: they ask the Tutor for a Reply and send it. Replies are
channel-neutral (text with a small Markdown subset, plus buttons).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language

from bot.content import SECTION_DEPTH, SECTION_EXAMPLE, SECTION_WHY, SECTIONS, ContentLibrary, Topic
from bot.nlp import content_lemmas, mentioned_concepts
from bot.retrieval import Match, TopicIndex

# A retrieval hit below this BM25 score is too weak to claim we understood the question.
# Calibrated on tests/data/heldout.yml (see README, "Quality figures").
MIN_RETRIEVAL_SCORE = 4.0

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


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()


def topic_button(topic: Topic) -> Button:
    return Button(topic.title, f"/{topic.intent}")


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
            Button(FOLLOW_UP_LABELS[name], f"/{FOLLOW_UP_INTENTS[name]}")
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
        return Reply(text, (*buttons, Button("Show all topics", "/list_topics"))), None

    def find(self, question: str) -> Match | None:
        """The topic a free question is about, or None when nothing fits well enough."""
        matches = self._index.search(question, limit=1)
        if matches and matches[0].score >= MIN_RETRIEVAL_SCORE:
            return matches[0]
        return None

    def answer_unclassified(self, question: str) -> tuple[Reply, str | None]:
        """Reply to a question the intent classifier was unsure about, via retrieval."""
        match = self.find(question)
        if match is None:
            intro = (
                "I'm not sure I understood that, and I'd rather say so than guess. "
                "I can explain these topics about internal working models and attachment:"
            )
            return self.menu(intro), None
        explanation = self.explain(match.topic_id)
        return Reply("I think this is what you're asking about.\n\n" + explanation.text, explanation.buttons), match.topic_id

    def concepts_in(self, text: str) -> list[str]:
        return mentioned_concepts(self._nlp, text)

    def compare(self, text: str, current_topic: str | None) -> tuple[Reply, list[str]]:
        """Compare the two concepts named in the text (or one named plus the current topic)."""
        topic_ids = self.concepts_in(text)
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
        lines = [f"**{first.title}** and **{second.title}**", "", f"- **{first.title}**: {first.summary}",
                 f"- **{second.title}**: {second.summary}"]
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
