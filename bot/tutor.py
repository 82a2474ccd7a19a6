"""What the bot says about concepts: answers to what people ask, follow-ups, comparisons, the menu.

An answer depends on two things told apart (bot.reading): which concept a message is about and
what kind of answer it wants (what it is, an example, why, what to do, is this me, my partner,
my child, can it change). A specific question the question bank knows gets its own answer. When
two topics are about as likely, the bot asks instead of guessing; when none fits, it says so.
The Rasa actions stay thin: they ask the Tutor for an Answer and send its Reply.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.content import (
    SECTION_CHANGE,
    SECTION_DEPTH,
    SECTION_EXAMPLE,
    SECTION_PARENTS,
    SECTION_PARTNER,
    SECTION_SIGNS,
    SECTION_TRY,
    SECTION_WHY,
    SECTIONS,
    ContentLibrary,
    Question,
    Topic,
)
from bot.focus import FocusFinder
from bot.help_lines import CrisisResources
from bot.kinds import CHILD, DEFAULT_KIND, PARTNER, KindDetector
from bot.reading import Reading
from bot.replies import SHOW_TOPICS_BUTTON, START_ASSESSMENT, Button, Reply, intent_payload, section_payload

MIN_TOPIC_SCORE = 0.35  # below this neither source is sure enough: the bot says so
MIN_NEAREST_SIMILARITY = 0.35  # a message this far from every training example is outside the bot's scope
# Weak on both at once (a neighbour's barking dog, a toddler who won't eat vegetables) is outside
# too; on the development set and spent blind sets (542) this caught 3 off-topic letters and no other.
WEAK_TOPIC_SCORE = 0.4
WEAK_NEAREST_SIMILARITY = 0.45
CLOSE_CALL = 0.12  # two topics this close (and neither confident) are offered as a choice
CONFIDENT = 0.75  # a classifier confidence that settles the topic on its own
CLEAR_LEAD = 1.0  # a topic score this high (classifier and neighbours agree) leads clearly
# The question bank answers a message this close in meaning to one of its phrasings (cosine of
# sentence embeddings) when the entry belongs to the topic the message is most about...
MIN_SIMILARITY = 0.6
# ...and from any topic when the message is a near paraphrase: close in meaning and in words.
PARAPHRASE_SIMILARITY = 0.9
PARAPHRASE_FIT = 0.5
# An entry this close (closeness below) answers whatever kind the wording seemed to ask (kinds
# are read from wording, and long messages mislead it: "my foster son... can you tell me about RAD?").
STRONG_CLOSENESS = 0.7
# From a topic the message only touches (far behind the best one), the entry must be closer still:
# "examples of a negative model of others" is not asking the interplay entry's question.
FAR_TOPIC_CLOSENESS = 0.95
# When no topic clearly leads (long letters spread over several), an entry of the kind asked from
# any topic the message touches answers when its question is this close in meaning.
TOUCHED_SIMILARITY = 0.65
# Beside a topic's general answer, the closest bank entry is shown when at least this close in
# meaning (chosen on the development set of real questions: below it, entries drift off topic).
RELATED_SIMILARITY = 0.55
# Entries about helping a partner are advice for the other person when the asker describes their
# own part: "how can I support my anxious partner?" is no answer to "he says I'm too anxious".
FOR_THE_PARTNER = "partner"
CAN_CHANGE = "can-change"
# A friendship's question (or a letter about an estrangement) gets the closest entry about friends
# (about estrangement) at this similarity, whichever topic the letter's words lean to (its
# feelings pull it towards the styles, or towards breakups and grief).
SITUATION_SIMILARITY = 0.5
MOSTLY = 0.4  # an entry is about what this share of its phrasings is about
FIT_WEIGHT = 0.15  # shared words break near-ties in meaning ("nanny" vs "bonding as a new dad")
FACT_MARGIN = 0.03  # a fact answers "what is...?" only if clearly closer than any topic example...
# ...or, from any topic, this close in meaning, sharing its words and about as close as any topic
# example ("what percentage of babies were secure?", "what is monotropy?")
FACT_SIMILARITY = 0.75
FACT_FIT = 0.48
# The entry's topic must be near the message: among its three closest topics and scoring at
# least half the best score. A near topic may also answer a kind the best one has no section for.
NEAR_TOPICS = 3
RUNNER_UP_SHARE = 0.5
# The kinds of bank entry that answer each kind of question at MIN_SIMILARITY. An entry about a
# specific fact answers only when very close (STRONG_CLOSENESS): a loosely related fact ("is
# holding therapy safe?") is no answer to a question about one's boyfriend.
BANK_ANSWERS = {
    "what": {"what"},
    "example": {"example"},
    "why": {"why"},
    "why-matters": {"why-matters"},
    "what-to-do": {"what-to-do", "partner", "child", "can-change"},
    "is-this-me": {"is-this-me"},
    "partner": {"partner", "what-to-do"},
    "child": {"child", "what-to-do"},
    "can-change": {"can-change"},
    "take-test": {"take-test", "is-this-me"},
}
FOLLOW_UP_INTENT = "follow_up"
# A message this long tells a story: with feelings in it, it still wants an answer, and with
# nothing explained yet it is a question of its own, not a follow-up (one of the 150 feelings
# training examples is this long; the real messages that tell a story run to 40-150 words).
STORY_WORDS = 25
MAX_RATING_WORDS = 6  # "i'd say a 5 out of 7" is a rating; a longer message is not
FEELINGS_INTENT = "share_feelings"
TAKE_TEST_KIND = "take-test"

# The section that answers each kind of question, and its button.
KIND_SECTION = {
    "example": SECTION_EXAMPLE,
    "why": SECTION_DEPTH,  # why it happens: what lies behind the pattern
    "why-matters": SECTION_WHY,
    "what-to-do": SECTION_TRY,
    "is-this-me": SECTION_SIGNS,
    "partner": SECTION_PARTNER,
    "child": SECTION_PARENTS,
    "can-change": SECTION_CHANGE,
}
SECTION_KIND = {section: kind for kind, section in KIND_SECTION.items()}
# A topic without a section for a kind hands the question to the topic that covers it best.
FALLBACK_TOPIC = {"child": "parenting-young-children", "partner": "partners", CAN_CHANGE: "earned-security"}
YOUNG_CHILDREN = FALLBACK_TOPIC[CHILD]
PARTNERS = FALLBACK_TOPIC[FOR_THE_PARTNER]
OLDER_CHILDREN = "parenting-older-children"
# A school-age, teenage or grown child: parenting older children, not babies' care.
FOR_OLDER_CHILDREN = {**FALLBACK_TOPIC, CHILD: OLDER_CHILDREN}
PARENTING = {YOUNG_CHILDREN, OLDER_CHILDREN}
COMMON = {PARTNER, CHILD, "parent"}  # the relationships most letters and bank entries are about
FOLLOW_UP_INTENTS = {SECTION_DEPTH: "more_detail", SECTION_WHY: "ask_why", SECTION_EXAMPLE: "ask_example"}
SECTION_LABELS = {
    SECTION_DEPTH: "Tell me more",
    SECTION_WHY: "Why does it matter?",
    SECTION_EXAMPLE: "Give me an example",
    SECTION_TRY: "What can I do?",
    SECTION_SIGNS: "Is this me?",
    SECTION_PARTNER: "If it's my partner",
    SECTION_PARENTS: "For parents",
    SECTION_CHANGE: "Can it change?",
}
QUIZ_BUTTON = Button("Take the questionnaire", START_ASSESSMENT)
SELF_POLES = {
    "positive": "a positive model of self (\u201cI am worth loving\u201d)",
    "negative": "a more negative model of self (\u201cmaybe I am not enough\u201d)",
}
OTHERS_POLES = {
    "positive": "a positive model of others (\u201cpeople will be there for me\u201d)",
    "negative": "a wary model of others (\u201cpeople will let me down\u201d)",
}
NOT_SURE = (
    "I'm not sure I understood that, and I'd rather say so than guess. "
    "I can explain these topics about internal working models and attachment:"
)
OUTSIDE = (
    "That's outside what I know about: I only explain attachment and internal working models, and "
    "I can't give medical, diagnostic or legal advice. These topics come closest to what you asked:"
)
ACKNOWLEDGEMENT = FocusFinder.load().acknowledgement  # content/feelings.yml
# A close call still asks, but without doubting the answer just given (readers of the blind sets
# took "I wasn't sure which topic you meant" as the bot not understanding them).
WHICH_ONE = "Is your question closer to one of these? Pick it below and I'll answer from there."
# Said after an "is this me?" question answered by anything but a topic's list of signs (a bank
# entry, another section): the caveat and the questionnaire a person needs to judge it themselves.
SELF_CHECK = (
    "Wondering whether this fits you? Signs are not a diagnosis, and patterns often differ from one "
    "relationship to another. The short questionnaire gives a snapshot of your own pattern."
)
TAKE_TEST = (
    "A short questionnaire can give you a snapshot of two tendencies in one close relationship: "
    "attachment anxiety and avoidance. It takes about 3 minutes and is not a diagnosis."
)


@dataclass(frozen=True)
class Answer:
    reply: Reply
    topic_id: str | None  # the content item explained (the `topic` slot), None if nothing was
    kind: str
    section: str | None = None  # the section shown, if one was
    via: str = "section"  # "question", "section", "summary", "choice", "outside", "comparison", "test"
    question: Question | None = None  # the question-bank entry answered, if one was
    related: Question | None = None  # a bank entry shown beside a general answer, if one was


def feelings_only(intent: str, reading: Reading) -> bool:
    """Feelings are the whole message: it gets sympathy, not a topic card, unless it also asks
    something (a question, or for the questionnaire: "I'm dying to know my style"), tells a
    story long enough to be asking for understanding ("she got hurt and only wanted her dad...
    it crushed me"), or describes control or abuse (which needs the helplines)."""
    asks = reading.is_question or reading.kind == TAKE_TEST_KIND or reading.words >= STORY_WORDS
    return intent == FEELINGS_INTENT and not (asks or reading.concern)


def written_for_the_partner(entry: Question, reading: Reading) -> bool:
    """Advice for the other person, to someone describing their own part."""
    return entry.kind == FOR_THE_PARTNER and reading.about_self


def entries_mostly(questions: list[Question], about: Callable[[str], bool]) -> set[str]:
    """The bank entries most of whose phrasings are about this (a friend, one's own childhood)."""
    return {
        question.id for question in questions if sum(map(about, question.asks)) >= MOSTLY * len(question.asks)
    }


def sole_relationships(questions: list[Question], kinds: KindDetector) -> dict[str, str]:
    """The one close relationship each bank entry is about, where most of its phrasings name that
    one and no other."""
    found = {}
    for question in questions:
        named = Counter(
            next(iter(relationships))
            for relationships in map(kinds.relationships_named, question.asks)
            if len(relationships) == 1
        )
        if named:
            relationship, count = named.most_common(1)[0]
            if count >= MOSTLY * len(question.asks):
                found[question.id] = relationship
    return found


def parenting_score_moved(topics: list[tuple[str, float]], to: str) -> list[tuple[str, float]]:
    """The topics for a child of one age: what the message scored on parenting a child of the
    other age goes to this one (a parent's words say parenting more clearly than they say age)."""
    scores = dict(topics)
    moved = scores.pop(OLDER_CHILDREN if to == YOUNG_CHILDREN else YOUNG_CHILDREN, None)
    if moved is not None:
        scores[to] = max(moved, scores.get(to, 0.0))
    return sorted(scores.items(), key=lambda item: item[1], reverse=True)


def may_be_an_older_child(reading: Reading) -> bool:
    """Whether answers for the parents of older children may fit: a school-age, teenage or grown
    child named, or a parent's question that names no baby or toddler ("my son won't talk to me");
    not a partner's question that mentions a son in passing."""
    if reading.childless:
        return False
    return reading.older_child or (reading.kind == CHILD and not reading.young_child)


def closeness(similarity: float, fit: float) -> float:
    """How close a bank entry is to a message: meaning first, shared words a little."""
    return similarity + FIT_WEIGHT * fit


def with_quiz(buttons: tuple[Button, ...]) -> tuple[Button, ...]:
    """The questionnaire offered first, once."""
    return buttons if QUIZ_BUTTON in buttons else (QUIZ_BUTTON, *buttons)


def signs_offer_questionnaire(topic: Topic) -> bool:
    """Whether the topic's signs point to the questionnaire (not for grief, babies or RAD, whose
    signs point to a doctor or counsellor instead)."""
    return "questionnaire" in topic.sections.get(SECTION_SIGNS, "")


def topic_button(topic: Topic) -> Button:
    return Button(topic.title, intent_payload(topic.intent))


def follow_up_button(topic: Topic, section: str) -> Button:
    """A button for one section of a topic: the old follow-up intents, or follow_up with the kind."""
    if section in FOLLOW_UP_INTENTS:
        return Button(SECTION_LABELS[section], intent_payload(FOLLOW_UP_INTENTS[section]))
    return Button(SECTION_LABELS[section], intent_payload(FOLLOW_UP_INTENT, kind=SECTION_KIND[section]))


def short_citation(reference: str) -> str:
    """'Hazan, C., & Shaver, P. (1987). Romantic love...' -> 'Hazan, C., & Shaver, P. (1987)'."""
    head, separator, _ = reference.partition(")")
    return head + separator if separator else reference


def answer_with_sources(question: Question) -> str:
    sources = "; ".join(short_citation(source) for source in question.sources)
    return f"{question.answer}\n\n_Source: {sources}_"


class Tutor:
    def __init__(self, library: ContentLibrary, help_lines: CrisisResources | None = None):
        self.library = library
        self.help_lines = help_lines or CrisisResources.load()
        self._questions = {question.id: question for question in library.questions}
        kinds = KindDetector.load()
        self._about_friends = entries_mostly(
            library.questions, lambda asked: kinds.about_a_friend(asked, kinds.kind_of(asked))
        )
        self._about_estrangement = entries_mostly(library.questions, kinds.speaks_of_estrangement)
        # answers for adults about their own childhood ("I was adopted as a baby, why...") are no
        # answer to a parent ("does adoption affect children adopted after infancy?")
        self._about_own_childhood = entries_mostly(library.questions, kinds.about_own_childhood)
        # answers for a teenager's parent are no answer to a parent whose grown child keeps away
        self._about_teenagers = entries_mostly(library.questions, kinds.names_a_teenager)
        # and answers for a grown child's parent none to a parent whose teenager has gone quiet
        self._about_grown_children = entries_mostly(library.questions, kinds.names_only_a_grown_child)
        # the one close relationship an entry is about, where it names one and no other ("my
        # partner won't talk to me"): no answer to a letter about a sister or a therapist
        self._relationship_of = sole_relationships(library.questions, kinds)

    # --- pieces of replies -------------------------------------------------------------------
    def _follow_ups(self, topic: Topic, shown: list[str]) -> tuple[Button, ...]:
        """The questionnaire where the topic is about one's own style, the parts of this topic not
        shown yet (at most four), then two related topics."""
        quiz = [QUIZ_BUTTON] if topic.offers_questionnaire else []
        offered = [
            follow_up_button(topic, name) for name in SECTIONS if name in topic.sections and name not in shown
        ]
        related = [topic_button(self.library.get(other)) for other in topic.related[:2]]
        return tuple(quiz + offered[:4] + related)

    def explain(self, topic_id: str) -> Reply:
        topic = self.library.get(topic_id)
        return Reply(f"**{topic.title}**\n\n{topic.summary}", self._follow_ups(topic, []))

    def section(self, topic_id: str, name: str, shown: list[str]) -> Reply:
        topic = self.library.get(topic_id)
        text = topic.sections[name]
        if name == SECTION_DEPTH:
            text += "\n\n_Source: " + "; ".join(short_citation(s) for s in topic.sources) + "_"
        buttons = self._follow_ups(topic, [*shown, name])
        if name == SECTION_SIGNS and signs_offer_questionnaire(topic):
            buttons = with_quiz(buttons)
        return Reply(f"**{topic.title}: {name.lower()}**\n\n{text}", buttons)

    def next_section(self, topic_id: str, shown: list[str]) -> tuple[Reply, str | None]:
        """The next part of a topic the person has not seen yet; the closing note when all are seen."""
        topic = self.library.get(topic_id)
        for name in SECTIONS:
            if name in topic.sections and name not in shown:
                return self.section(topic_id, name, shown), name
        sources = "\n".join(f"- {source}" for source in topic.sources)
        text = (
            f"That is everything I have on **{topic.title}**. If you want to read further:\n{sources}\n\n"
            "Or pick a related topic:"
        )
        buttons = tuple(topic_button(self.library.get(other)) for other in topic.related)
        return Reply(text, (*buttons, SHOW_TOPICS_BUTTON)), None

    def bank_answer(self, question: Question, kind: str) -> Answer:
        """A bank entry's answer to a question of this kind."""
        topic = self.library.get(question.topic_id)
        # The question answered heads the answer, so a near miss is plain to see.
        text = f"**{question.asks[0]}** ({topic.title})\n\n{answer_with_sources(question)}"
        buttons = self._follow_ups(topic, [])
        if question.kind in ("is-this-me", TAKE_TEST_KIND):
            buttons = with_quiz(buttons)
        return Answer(Reply(text, buttons), question.topic_id, kind, via="question", question=question)

    def menu(self, intro: str) -> Reply:
        lines = [intro, ""]
        buttons = []
        for group in self.library.menu:
            topics = [self.library.get(topic_id) for topic_id in group.topic_ids]
            lines.append(f"**{group.title}**: " + ", ".join(topic.title for topic in topics))
            buttons += [topic_button(topic) for topic in topics]
        return Reply("\n".join(lines), tuple(buttons))

    # --- answers -----------------------------------------------------------------------------
    def bank_match(self, reading: Reading, leader_dropped: bool = False) -> Question | None:
        """The question-bank entry this message asks, if it clearly is one.

        A question about a friend gets the closest entry about friendships, and a letter about
        someone close who keeps away the closest about estrangement, whichever topic its feelings
        lean to. Otherwise candidates are tried closest first (meaning, plus a little for
        shared words). A near paraphrase may come from any topic. A very close entry answers whatever
        kind the wording seemed to ask if its topic is near the message; from a topic far behind the
        best it must be nearly the same question, and a parents' entry answers a parents' question
        from any topic the message touches. Otherwise the entry must answer the kind of question asked
        and belong to a near topic, or, when no topic clearly leads, be closer still from any topic
        the message touches. A definition question ("what is ...?") gets the topic's own summary,
        unless the message is clearly closer to a specific fact of a near topic than to any example of
        asking about a topic, or is worded like a fact of any topic and no topic example is clearly
        closer ("what does monotropy involve?"). When the topic the message scored highest on does
        not fit its writer (parenting older children, to a grown child writing about a father who
        ignores him), a very close entry of any topic answers.
        """
        for situation, entries in ((reading.about_a_friend, self._about_friends),
                                   (reading.estranged, self._about_estrangement)):  # fmt: skip
            closest = self._closest_of(entries, reading) if situation else None
            if closest is not None:
                return closest
        touched = {topic_id for topic_id, _ in reading.topics}
        near = set(self.near_topics(reading.topics))
        unsettled = not reading.topics or reading.topics[0][1] < CLEAR_LEAD  # no topic clearly leads
        wanted = BANK_ANSWERS[reading.kind]
        # a relationship the bank seldom covers (a sibling, an in-law, a therapist), named by the
        # letter: an entry about it answers from any topic
        rare = set(reading.relationships) - COMMON
        for entry_id, similarity, fit in sorted(
            reading.bank, key=lambda item: closeness(*item[1:]), reverse=True
        ):
            entry = self._questions.get(entry_id)
            if entry is None or self._not_for_this_reader(entry, reading):
                continue
            if similarity >= PARAPHRASE_SIMILARITY and fit >= PARAPHRASE_FIT:  # the same question
                return entry
            if reading.kind == DEFAULT_KIND:
                fact = entry.kind == "specific"
                clearly_closer = similarity >= max(STRONG_CLOSENESS, reading.nearest + FACT_MARGIN)
                worded_alike = (
                    similarity >= FACT_SIMILARITY
                    and fit >= FACT_FIT
                    and similarity >= reading.nearest - FACT_MARGIN
                )
                if fact and ((entry.topic_id in near and clearly_closer) or worded_alike):
                    return entry
            else:
                close = closeness(similarity, fit)
                # parents' questions spread over several topics (basics, formation, parenting, RAD)
                # and often score highest on an adult one: a very close parents' entry of any topic
                # the message touches answers them
                for_parents = reading.kind == entry.kind == "child" and entry.topic_id in touched
                very_close = close >= STRONG_CLOSENESS and (
                    entry.topic_id in near
                    or for_parents
                    or leader_dropped
                    or (entry.topic_id in touched and close >= FAR_TOPIC_CLOSENESS)
                )
                answers_kind = entry.kind in wanted and (
                    (entry.topic_id in near and similarity >= MIN_SIMILARITY)
                    or (entry.topic_id in touched and similarity >= TOUCHED_SIMILARITY and unsettled)
                    or (self._relationship_of.get(entry.id) in rare and similarity >= MIN_SIMILARITY)
                )
                if very_close or answers_kind:
                    return entry
        return None

    def _closest_of(self, entries: set[str], reading: Reading) -> Question | None:
        """The closest of the entries about the message's situation (a friendship, an
        estrangement) that are close enough, whichever topic its feelings lean to: one that
        answers the kind of question asked first ("why did my son cut us off?" wants the reasons,
        not what to do)."""
        wanted = BANK_ANSWERS.get(reading.kind, set())
        fitting = [
            (self._questions[entry_id], similarity)
            for entry_id, similarity, _ in reading.bank
            if entry_id in entries
            and similarity >= SITUATION_SIMILARITY
            and not self._not_for_this_reader(self._questions[entry_id], reading)
        ]
        if not fitting:
            return None
        return max(fitting, key=lambda item: (item[0].kind in wanted, item[1]))[0]

    def _not_for_this_reader(self, entry: Question, reading: Reading) -> bool:
        """An entry written for someone else: advice for the partner, to someone describing their
        own part; an adult's answer about their own childhood, to a parent; one about babies, to a
        teenager's parent or a message that names no child; one about older children, to anyone
        but the parent of a child past the toddler years; one about teenagers, to the parent of a
        grown child, and one about grown children, to a younger child's parent; one about control or
        threats, to a message that describes none (to anyone else it reads as an accusation); one
        about a partner (a friend, a sibling), to a letter that names people close but not that
        one; one for parents, to a letter about someone close that names no child of the writer's
        own."""
        own_childhood = reading.kind == CHILD and entry.id in self._about_own_childhood
        for_babies = entry.topic_id == YOUNG_CHILDREN and (reading.childless or reading.older_child)
        for_older = entry.topic_id == OLDER_CHILDREN and not may_be_an_older_child(reading)
        for_teenagers = reading.grown_child and entry.id in self._about_teenagers
        for_grown_children = reading.minor and entry.id in self._about_grown_children
        no_threat = entry.safety and not reading.concern
        relationship = self._relationship_of.get(entry.id)
        another_relationship = (
            relationship is not None
            and bool(reading.relationships)
            and relationship not in reading.relationships
        )
        for_parents = reading.not_a_parent and (entry.topic_id in PARENTING or entry.kind == CHILD)
        return (
            own_childhood
            or for_babies
            or for_older
            or for_teenagers
            or for_grown_children
            or no_threat
            or another_relationship
            or for_parents
            or written_for_the_partner(entry, reading)
        )

    @staticmethod
    def near_topics(topics: list[tuple[str, float]]) -> list[str]:
        """The best topic and the runners-up scoring at least a share of it, best first."""
        top = topics[0][1] if topics else 0.0
        return [topic_id for topic_id, score in topics[:NEAR_TOPICS] if score >= RUNNER_UP_SHARE * top]

    def answering_topic(
        self, topics: list[tuple[str, float]], kind: str, fallbacks: Mapping[str, str] = FALLBACK_TOPIC
    ) -> str:
        """The topic whose section answers this kind: the best one, unless a close runner-up
        has the section it lacks, a personal question came closest to a research topic, or a
        question about a partner touches the topic about partners."""
        best = topics[0][0]
        section = KIND_SECTION.get(kind)
        if section is None:
            return best
        near = self.near_topics(topics)
        if fallbacks.get(kind) in near:  # the topic about this very kind of question
            return fallbacks[kind]
        # a partner's style is guessed badly from the writer's worried words, and the topic about
        # partners covers both sides of the cycle: it answers whenever the message touches it,
        # unless one topic clearly leads (the classifier settled it: "is he avoidant?")
        touched = {topic_id for topic_id, _ in topics}
        if kind == FOR_THE_PARTNER and fallbacks[kind] in touched and topics[0][1] < CLEAR_LEAD:
            return fallbacks[kind]
        # "can I ever change?" after a story of a hard childhood is not about the style its words
        # lean to: a style's own answer only when that style clearly leads, else change in general
        # (on the development sets a guessed style's answer was wrong subject 12 times in 15)
        if kind == CAN_CHANGE and topics[0][1] < CLEAR_LEAD:
            return fallbacks[kind]
        with_section = [topic_id for topic_id in near if section in self.library.get(topic_id).sections]
        about_life = [topic_id for topic_id in with_section if self.library.get(topic_id).about == "life"]
        return (about_life or with_section or [best])[0]

    def close_call_topic(
        self, topics: list[tuple[str, float]], kind: str, fallbacks: Mapping[str, str] = FALLBACK_TOPIC
    ) -> str:
        """The topic that answers when no topic clearly leads: the topic about this very kind of
        question if it is among them at all. A question about one's partner, read as close to two
        styles, gets the topic about partners (both sides of the cycle) rather than a guess at the
        partner's style: the writer's own worried words pull the ranking towards "anxious"."""
        fallback = fallbacks.get(kind)
        if fallback in {topic_id for topic_id, _ in topics}:
            return fallback
        return self.answering_topic(topics, kind, fallbacks)

    def answer(self, reading: Reading) -> Answer:
        """The answer to a message: the question bank, a topic's section for the kind asked, a
        choice between close topics, or an honest "outside what I know"; after a word about
        control or abuse where the message describes it, and a short acknowledgement of feelings."""
        answer = self._chosen_answer(reading)
        before = []
        if reading.concern:  # control or abuse is said plainly, with the helplines, first
            before.append(self.help_lines.concern_message())
        if (
            reading.feelings
            and (reading.is_question or reading.words >= STORY_WORDS)
            and answer.via != "outside"
        ):
            before.append(ACKNOWLEDGEMENT)
        if not before:
            return answer
        text = "\n\n".join([*before, answer.reply.text])
        return dataclasses.replace(answer, reply=Reply(text, answer.reply.buttons))

    def _chosen_answer(self, reading: Reading) -> Answer:
        kind = reading.kind
        if reading.compare:
            reply, topic_ids = self.compare(reading.concepts, current_topic=None)
            if topic_ids:
                return Answer(reply, topic_ids[-1], kind, via="comparison")
        topics = [(topic_id, score) for topic_id, score in reading.topics if topic_id in self.library]
        leader = topics[0][0] if topics else None
        fallbacks = FALLBACK_TOPIC
        not_for_this_writer = set()
        if reading.older_child:  # babies' and toddlers' answers do not fit a teenager's parent
            topics = parenting_score_moved(topics, to=OLDER_CHILDREN)
            fallbacks = FOR_OLDER_CHILDREN
        elif reading.childless:  # nor a letter that names no child at all
            not_for_this_writer.add(YOUNG_CHILDREN)
        if reading.partnerless:  # nor partners' answers a letter about a sister or a therapist
            not_for_this_writer.add(PARTNERS)
        if reading.not_a_parent:  # nor parents' answers a grown child writing about a mother
            not_for_this_writer |= PARENTING
        topics = [(topic_id, score) for topic_id, score in topics if topic_id not in not_for_this_writer]
        if not may_be_an_older_child(reading):
            if reading.young_child:  # "my 4-year-old son and my fiance": parenting, of a young child
                topics = parenting_score_moved(topics, to=YOUNG_CHILDREN)
            else:
                topics = [(topic_id, score) for topic_id, score in topics if topic_id != OLDER_CHILDREN]
        # the leading topic left out as not for this writer (a parenting score moved to the other
        # parenting topic still leads, as moving keeps the higher of the two)
        moved = leader in PARENTING and bool(topics) and topics[0][0] in PARENTING
        leader_dropped = leader is not None and leader not in dict(topics) and not moved
        question = self.bank_match(reading, leader_dropped)
        if question is not None:
            return self._completed(self.bank_answer(question, kind), reading)
        if not topics:
            return self._nothing_fits(reading, leader_dropped)
        top, runner_up = topics[0][1], (topics[1][1] if len(topics) > 1 else 0.0)
        if (
            top < MIN_TOPIC_SCORE
            or (not reading.confident and reading.nearest < MIN_NEAREST_SIMILARITY)
            or (top < WEAK_TOPIC_SCORE and reading.nearest < WEAK_NEAREST_SIMILARITY)
        ):
            return self._nothing_fits(reading, leader_dropped)
        elif not reading.confident and top < CONFIDENT and top - runner_up < CLOSE_CALL:
            closest = self.answer_kind(  # the choice comes last
                self.close_call_topic(topics, kind, fallbacks), kind, fallbacks=fallbacks
            )
            return self._with_alternatives(self._completed(closest, reading), topics)
        else:
            answer = self.answer_kind(
                self.answering_topic(topics, kind, fallbacks), kind, fallbacks=fallbacks
            )
        return self._completed(answer, reading)

    def _completed(self, answer: Answer, reading: Reading) -> Answer:
        """A topic's answer with what every such answer may need: a question like the person's,
        and the caveat and questionnaire for "is this me?"."""
        return self._with_self_check(self._with_related_question(answer, reading), reading)

    def _with_self_check(self, answer: Answer, reading: Reading) -> Answer:
        """An "is this me?" question about one's own relationships, answered by anything but the
        topic's signs: the caveat and the questionnaire (readers of the blind sets marked such
        replies down for offering neither)."""
        if reading.kind != "is-this-me" or answer.topic_id is None or answer.section == SECTION_SIGNS:
            return answer
        if not signs_offer_questionnaire(self.library.get(answer.topic_id)):
            return answer
        reply = Reply(f"{answer.reply.text}\n\n{SELF_CHECK}", with_quiz(answer.reply.buttons))
        return dataclasses.replace(answer, reply=reply)

    def related_question(self, reading: Reading, any_topic: bool = False) -> Question | None:
        """The bank entry closest in meaning to the message, if it is close enough to be worth
        showing beside a topic's general answer and belongs to a topic the message touches (or to
        any topic, where the topics it touched most were not written for its writer)."""
        touched = {topic_id for topic_id, _ in reading.topics}
        near = set(self.near_topics(reading.topics))
        for entry_id, similarity, _ in sorted(reading.bank, key=lambda item: item[1], reverse=True):
            entry = self._questions.get(entry_id)
            if entry is None or entry.kind == TAKE_TEST_KIND or not (any_topic or entry.topic_id in touched):
                continue
            if self._not_for_this_reader(entry, reading):
                continue
            if self.library.get(entry.topic_id).clinical and entry.topic_id not in near:
                continue
            return entry if similarity >= RELATED_SIMILARITY else None
        return None

    def _with_related_question(self, answer: Answer, reading: Reading) -> Answer:
        """The closest specific question people ask (its wording shown, so a near miss is plain to
        see), then the topic's general answer: real messages are often more specific than any
        section, and the bank often holds their very question. It comes first because readers of
        spent blind sets 16 and 17 marked replies down where a general section led and the part
        that answered came second ("only its second part addresses her fear")."""
        textbook = reading.kind == DEFAULT_KIND and reading.words < STORY_WORDS  # "what is X?" wants X
        if answer.via not in ("section", "summary") or textbook:
            return answer
        entry = self.related_question(reading)
        if entry is None:
            return answer
        heading = f"**A question like yours: {entry.asks[0]}**"
        text = f"{heading}\n\n{answer_with_sources(entry)}\n\n{answer.reply.text}"
        return dataclasses.replace(answer, reply=Reply(text, answer.reply.buttons), related=entry)

    def answer_beside_help(self, reading: Reading) -> Answer | None:
        """After help lines, the answer to what the message asks, if it clearly asks about something
        the bot covers; no menu, no second acknowledgement. A short question gets no guess, but a
        letter that tells its story and asks ("how do I get my foster son to trust me?") gets the
        closest answer, with the choice where it is a close call: help lines alone leave its
        question unanswered, and they often came for a past hurt it mentions."""
        if not reading.is_question:
            return None
        answer = self._chosen_answer(reading)  # after help lines: no second word on safety or feelings
        if answer.via == "question":
            return answer
        if reading.words >= STORY_WORDS and not reading.concern:  # no guess beside control or abuse
            return answer if answer.via != "outside" else None
        top = reading.topics[0][1] if reading.topics else 0.0
        sure = answer.via not in ("outside", "choice") and (reading.confident or top >= CONFIDENT)
        return answer if sure else None

    def answer_kind(
        self,
        topic_id: str,
        kind: str,
        shown: list[str] | None = None,
        fallbacks: Mapping[str, str] = FALLBACK_TOPIC,
    ) -> Answer:
        """What this topic says to this kind of question."""
        shown = shown or []
        topic = self.library.get(topic_id)
        if kind == TAKE_TEST_KIND:
            reply = Reply(
                f"{TAKE_TEST}\n\n**{topic.title}**: {topic.summary}", (QUIZ_BUTTON, topic_button(topic))
            )
            return Answer(reply, topic_id, kind, via="test")
        section = KIND_SECTION.get(kind)
        if section is None:
            return Answer(self.explain(topic_id), topic_id, kind, via="summary")
        if section not in topic.sections:
            fallback = fallbacks.get(kind)
            if fallback is None or fallback == topic_id or section not in self.library.get(fallback).sections:
                return Answer(self.explain(topic_id), topic_id, kind, via="summary")
            topic_id, topic = fallback, self.library.get(fallback)
        return Answer(self.section(topic_id, section, shown), topic_id, kind, section)

    def _with_alternatives(self, answer: Answer, topics: list[tuple[str, float]]) -> Answer:
        """A close call: the closest topic's answer, and the other close ones offered as a question."""
        top = topics[0][1]
        others = [
            topic_id
            for topic_id, score in topics[:3]
            if top - score < CLOSE_CALL and topic_id != answer.topic_id
        ][:2]
        buttons = tuple(
            Button(
                self.library.get(topic_id).title,
                section_payload(topic_id, answer.kind),
            )
            for topic_id in others
        )
        reply = Reply(
            f"{answer.reply.text}\n\n{WHICH_ONE}", buttons + answer.reply.buttons[: 4 - len(buttons)]
        )
        return dataclasses.replace(answer, reply=reply, via="choice")

    def _nothing_fits(self, reading: Reading, leader_dropped: bool = False) -> Answer:
        """Gibberish gets the menu; a real question from outside the bot's scope gets the nearest
        topics. A letter whose leading topic was not written for its writer (parenting, to a grown
        child: "my mum is not a nice person... why should I keep seeing her?"; partners, to a
        sister) gets the closest bank entry written for such a writer, from any topic (spent blind
        sets 18 and 19 had four such letters); so does a letter whose closest entry is about the
        very relationship it names ("why am I so scared of disappointing my mom?")."""
        entry = self.related_question(reading, any_topic=True)
        if entry is not None and (
            leader_dropped or self._relationship_of.get(entry.id) in reading.relationships
        ):
            return self.bank_answer(entry, reading.kind)
        nearest = [topic_id for topic_id, _ in reading.topics[:3] if topic_id in self.library]
        if not reading.is_question or not nearest:
            return Answer(self.menu(NOT_SURE), None, reading.kind, via="outside")
        buttons = (*(topic_button(self.library.get(topic_id)) for topic_id in nearest), SHOW_TOPICS_BUTTON)
        return Answer(Reply(OUTSIDE, buttons), None, reading.kind, via="outside")

    def follow_up(self, kind: str, topic_id: str, shown: list[str]) -> Answer:
        """A follow-up about the topic explained last: the kind of answer asked for."""
        if kind == DEFAULT_KIND:
            reply, section = self.next_section(topic_id, shown)
            return Answer(reply, topic_id, kind, section)
        return self.answer_kind(topic_id, kind, shown)

    # --- comparisons -------------------------------------------------------------------------
    def compare(self, concepts: list[str], current_topic: str | None) -> tuple[Reply, list[str]]:
        """Compare the two concepts named (or one named plus the current topic)."""
        topic_ids = [topic_id for topic_id in concepts if topic_id in self.library]
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
