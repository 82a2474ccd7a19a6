"""The content library: curated topic explanations and specific questions, loaded from files.

Content is data: every explanation the bot gives comes from `content/topics/*.md` (YAML
front matter plus sections in a fixed order) and every specific answer from
`content/questions/<topic id>.yml`, so writers edit text, not code (content/WRITING.md).
This module has no Rasa imports so it can be tested and reused on its own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
TOPIC_EXAMPLES_DIR = CONTENT_DIR.parent / "nlu" / "topics"

SECTION_DEPTH = "In depth"
SECTION_WHY = "Why it matters"
SECTION_EXAMPLE = "Example"
SECTION_TRY = "Things to try"
SECTION_SIGNS = "Signs you might recognise"
SECTION_PARTNER = "If it's your partner"
SECTION_PARENTS = "For parents"
SECTION_CHANGE = "Can it change?"
# Every topic has the required sections; the others where they fit; always in this order.
SECTIONS = (
    SECTION_DEPTH, SECTION_WHY, SECTION_EXAMPLE, SECTION_TRY, SECTION_SIGNS, SECTION_PARTNER, SECTION_PARENTS,
    SECTION_CHANGE,
)  # fmt: skip
REQUIRED_SECTIONS = (SECTION_DEPTH, SECTION_WHY, SECTION_EXAMPLE, SECTION_TRY)
# What a person may want to know about a topic (content/WRITING.md); detected in bot/kinds.py.
KINDS = (
    "what", "example", "why", "why-matters", "what-to-do", "is-this-me", "partner", "child", "can-change",
    "specific", "take-test",
)  # fmt: skip

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n(.*)\Z", re.DOTALL)
_HEADING = re.compile(r"^## (.+?)[ \t]*$", re.MULTILINE)
_MODEL_POLES = {"positive", "negative"}
ABOUT = ("life", "research")
INTENT_PREFIX = "explain_"


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    summary: str
    sections: dict[str, str]
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    sources: tuple[str, ...]
    models: dict[str, str] = field(default_factory=dict)
    people: tuple[str, ...] = ()  # the first names in the example, each used once in the library
    about: str = "life"  # "research" topics explain the science; personal questions go to "life" ones first
    offers_questionnaire: bool = False  # its replies offer to measure one's own style
    # about a disorder or a pattern seen after frightening care: its bank entries are shown beside
    # another answer only when the message is clearly about it (a crying toddler is not a RAD question)
    clinical: bool = False

    @property
    def intent(self) -> str:
        return intent_for_topic(self.id)


@dataclass(frozen=True)
class MenuGroup:
    title: str
    topic_ids: tuple[str, ...]


def plain_apostrophes(text: str) -> str:
    """Typographic apostrophes ("I’m") as the plain ones our patterns spell."""
    return text.replace("\u2019", "'")


def any_of(expressions: list[str]) -> re.Pattern | None:
    """One case-insensitive pattern matching any of the content file's regular expressions."""
    joined = "|".join(f"(?:{expression})" for expression in expressions)
    return re.compile(joined, re.IGNORECASE) if joined else None


def intent_for_topic(topic_id: str) -> str:
    """Each topic has exactly one NLU intent; the name is derived, never listed twice."""
    return INTENT_PREFIX + topic_id.replace("-", "_")


def topic_for_intent(intent: str) -> str | None:
    if not intent.startswith(INTENT_PREFIX):
        return None
    return intent[len(INTENT_PREFIX) :].replace("_", "-")


def parse_topic(text: str, source: str = "<text>") -> Topic:
    """Parse one topic file; raise ContentError with a readable reason on any defect."""
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise ContentError(f"{source}: missing '---' YAML front matter")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise ContentError(f"{source}: front matter is not valid YAML ({error})") from None
    if not isinstance(meta, dict):
        raise ContentError(f"{source}: front matter must be a mapping")

    def text_field(name: str) -> str:
        value = meta.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{source}: '{name}' must be a non-empty string")
        return " ".join(value.split())

    def list_field(name: str) -> tuple[str, ...]:
        value = meta.get(name)
        if not isinstance(value, list) or not value:
            raise ContentError(f"{source}: '{name}' must be a non-empty list")
        if not all(isinstance(item, str) and item.strip() for item in value):
            raise ContentError(f"{source}: every entry of '{name}' must be a non-empty string")
        return tuple(" ".join(item.split()) for item in value)

    topic_id = text_field("id")
    if not _ID_PATTERN.match(topic_id):
        raise ContentError(f"{source}: id '{topic_id}' must be lowercase words joined by '-'")
    models = meta.get("models") or {}
    if models and (
        not isinstance(models, dict)
        or set(models) != {"self", "others"}
        or not all(isinstance(pole, str) and pole in _MODEL_POLES for pole in models.values())
    ):
        raise ContentError(f"{source}: 'models' must map self and others to positive/negative")

    people = meta.get("people") or []
    if not isinstance(people, list) or not all(isinstance(name, str) and name for name in people):
        raise ContentError(f"{source}: 'people' must be a list of first names")
    about = meta.get("about", "life")
    if about not in ABOUT:
        raise ContentError(f"{source}: 'about' must be one of {', '.join(ABOUT)}")
    offers_questionnaire, clinical = meta.get("offers_questionnaire", False), meta.get("clinical", False)
    if not isinstance(offers_questionnaire, bool) or not isinstance(clinical, bool):
        raise ContentError(f"{source}: 'offers_questionnaire' and 'clinical' must be true or false")
    sections = _parse_sections(match.group(2), source)
    absent = [name for name in people if name not in sections[SECTION_EXAMPLE]]
    if absent:
        raise ContentError(f"{source}: 'people' names {absent[0]}, who is not in the example")

    return Topic(
        id=topic_id,
        title=text_field("title"),
        summary=text_field("summary"),
        sections=sections,
        keywords=tuple(k.lower() for k in list_field("keywords")),
        related=list_field("related"),
        sources=list_field("sources"),
        models=dict(models),
        people=tuple(people),
        about=about,
        offers_questionnaire=offers_questionnaire,
        clinical=clinical,
    )


def _parse_sections(body: str, source: str) -> dict[str, str]:
    parts = _HEADING.split(body)
    if parts[0].strip():
        raise ContentError(f"{source}: text before the first '## ' heading")
    headings = parts[1::2]
    unknown = [heading for heading in headings if heading not in SECTIONS]
    if unknown:
        raise ContentError(f"{source}: sections must be among {', '.join(SECTIONS)}, not '## {unknown[0]}'")
    if headings != sorted(headings, key=SECTIONS.index) or len(set(headings)) != len(headings):
        raise ContentError(f"{source}: sections must appear once each, in the order {', '.join(SECTIONS)}")
    missing = [name for name in REQUIRED_SECTIONS if name not in headings]
    if missing:
        raise ContentError(f"{source}: missing section '## {missing[0]}'")
    sections = {name: text.strip() for name, text in zip(headings, parts[2::2], strict=False)}
    for name, text in sections.items():
        if not text:
            raise ContentError(f"{source}: section '{name}' is empty")
    return sections


@dataclass(frozen=True)
class Question:
    """A specific question people ask, with the answer for it (content/questions/<topic id>.yml)."""

    id: str
    topic_id: str
    kind: str
    asks: tuple[str, ...]
    answer: str
    sources: tuple[str, ...]
    # about control, threats or fear of someone close: shown beside another answer only when the
    # message describes that, since to anyone else it reads as an accusation
    safety: bool = False
    # about one situation (adoption, a funeral, a new baby): the beginnings of the words that name
    # it; the entry answers only a message that names it (an adopted child's answer is no answer
    # to a toddler's first weeks at daycare)
    when: tuple[str, ...] = ()

    def fits_situation(self, text: str) -> bool:
        return not self.when or _situation_pattern(self.when).search(plain_apostrophes(text)) is not None


@functools.cache
def _situation_pattern(beginnings: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in beginnings) + ")", re.IGNORECASE)


def parse_questions(data: object, topic_id: str, source: str = "<text>") -> list[Question]:
    """One topic's question file; raise ContentError with a readable reason on any defect."""
    entries = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ContentError(f"{source}: needs a non-empty 'questions' list")
    questions = []
    for number, entry in enumerate(entries, start=1):
        where = f"{source}: question {number}"
        if not isinstance(entry, dict):
            raise ContentError(f"{where} must be a mapping")
        question_id, kind, answer = entry.get("id"), entry.get("kind"), entry.get("answer")
        asks, sources = entry.get("ask"), entry.get("sources")
        if not isinstance(question_id, str) or not _ID_PATTERN.match(question_id):
            raise ContentError(f"{where}: 'id' must be lowercase words joined by '-'")
        if kind not in KINDS:
            raise ContentError(f"{where} ({question_id}): 'kind' must be one of {', '.join(KINDS)}")
        if not isinstance(answer, str) or not answer.strip():
            raise ContentError(f"{where} ({question_id}): 'answer' must be a non-empty string")
        for name, value in (("ask", asks), ("sources", sources)):
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(v, str) and v.strip() for v in value)
            ):
                raise ContentError(f"{where} ({question_id}): '{name}' must be a non-empty list of strings")
        safety = entry.get("safety", False)
        if not isinstance(safety, bool):
            raise ContentError(f"{where} ({question_id}): 'safety' must be true or false")
        when = entry.get("when", [])
        if not isinstance(when, list) or not all(isinstance(word, str) and word.strip() for word in when):
            raise ContentError(f"{where} ({question_id}): 'when' must be a list of words")
        questions.append(
            Question(
                question_id,
                topic_id,
                kind,
                tuple(" ".join(ask.split()) for ask in asks),
                answer.strip(),
                tuple(" ".join(reference.split()) for reference in sources),
                safety,
                tuple(word.strip().lower() for word in when),
            )
        )
    return questions


@dataclass(frozen=True)
class Vocabulary:
    """Words people use for concepts and relationships (content/terms.yml)."""

    concept_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    relationship_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    umbrella_topics: frozenset[str] = frozenset()

    @classmethod
    def from_yaml(cls, data: dict) -> Vocabulary:
        def lowered(mapping: dict) -> dict[str, tuple[str, ...]]:
            return {key: tuple(word.lower() for word in words) for key, words in (mapping or {}).items()}

        return cls(
            concept_aliases=lowered(data.get("concepts")),
            relationship_words=lowered(data.get("relationships")),
            umbrella_topics=frozenset(data.get("umbrella") or ()),
        )


class ContentLibrary:
    """All topics, the menu that groups them and the vocabulary; validated as a whole on load."""

    def __init__(
        self,
        topics: list[Topic],
        menu: list[MenuGroup],
        vocabulary: Vocabulary | None = None,
        questions: list[Question] | None = None,
    ):
        self._topics = {topic.id: topic for topic in topics}
        if len(self._topics) != len(topics):
            raise ContentError("two content files share the same id")
        self.menu = menu
        self.vocabulary = vocabulary or Vocabulary()
        self.questions = tuple(questions or ())
        self._check_links()

    @classmethod
    def load(cls, content_dir: Path = CONTENT_DIR) -> ContentLibrary:
        topics = []
        for path in sorted((content_dir / "topics").glob("*.md")):
            topic = parse_topic(path.read_text(encoding="utf-8"), source=path.name)
            if topic.id != path.stem:
                raise ContentError(f"{path.name}: id '{topic.id}' differs from the file name")
            topics.append(topic)
        if not topics:
            raise ContentError(f"no topics found in {content_dir / 'topics'}")
        menu_data = yaml.safe_load((content_dir / "menu.yml").read_text(encoding="utf-8"))
        menu = [
            MenuGroup(title=group["title"], topic_ids=tuple(group["topics"])) for group in menu_data["groups"]
        ]
        terms = yaml.safe_load((content_dir / "terms.yml").read_text(encoding="utf-8"))
        questions = []
        for path in sorted((content_dir / "questions").glob("*.yml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as error:
                raise ContentError(f"{path.name}: not valid YAML ({error})") from None
            questions += parse_questions(data, path.stem, source=f"questions/{path.name}")
        return cls(topics, menu, Vocabulary.from_yaml(terms), questions)

    def _check_links(self) -> None:
        for topic in self._topics.values():
            for other in topic.related:
                if other not in self._topics:
                    raise ContentError(f"{topic.id}.md: related id '{other}' does not exist")
                if other == topic.id:
                    raise ContentError(f"{topic.id}.md: a topic cannot be related to itself")
        in_menu = [topic_id for group in self.menu for topic_id in group.topic_ids]
        unknown = set(in_menu) - set(self._topics)
        if unknown:
            raise ContentError(f"menu.yml: unknown topic ids {sorted(unknown)}")
        missing = set(self._topics) - set(in_menu)
        if missing:
            raise ContentError(f"menu.yml: topics missing from the menu {sorted(missing)}")
        named = set(self.vocabulary.concept_aliases) | self.vocabulary.umbrella_topics
        if named - set(self._topics):
            raise ContentError(f"terms.yml: unknown topic ids {sorted(named - set(self._topics))}")
        seen: set[str] = set()
        for question in self.questions:
            if question.topic_id not in self._topics:
                raise ContentError(f"questions/{question.topic_id}.yml: no topic with that id")
            if question.id in seen:
                raise ContentError(
                    f"questions/{question.topic_id}.yml: question id '{question.id}' is used twice"
                )
            seen.add(question.id)

    def __contains__(self, topic_id: object) -> bool:
        return topic_id in self._topics

    def __iter__(self):
        return iter(self._topics.values())

    def __len__(self) -> int:
        return len(self._topics)

    def get(self, topic_id: str) -> Topic:
        return self._topics[topic_id]

    def ids(self) -> list[str]:
        return list(self._topics)


def nlu_examples(path: Path, intent: str | None = None) -> list[str]:
    """The example messages of every intent (or of one) in one Rasa NLU file, as people would type them."""
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    return [
        line.strip()[2:].strip()
        for block in blocks
        if "examples" in block and intent in (None, block.get("intent"))
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


def topic_examples(directory: Path = TOPIC_EXAMPLES_DIR) -> dict[str, list[str]]:
    """Each topic's training examples (nlu/topics/<id>.yml), the ways people ask about it."""
    return {path.stem: nlu_examples(path) for path in sorted(directory.glob("*.yml"))}
