"""A Reading: a message as the bot understood it (bot/reader.py works it out), as plain data.

It travels from the Rasa server, where messages are understood, to the action server, where
the Tutor answers; so this module stays light (no spaCy, no embeddings, no indexes).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from bot.content import topic_for_intent
from bot.kinds import CHILD, DEFAULT_KIND, PARTNER


@dataclass(frozen=True)
class Reading:
    """A message as the bot understood it; travels to the action server as plain data."""

    kind: str = DEFAULT_KIND
    is_question: bool = False
    feelings: bool = False
    concern: bool = False  # describes control or abuse by someone close (bot/concerns.py)
    about_self: bool = False  # the writer describes their own part ("he says I'm too needy")
    about_a_friend: bool = False  # a friendship's question ("my best friend keeps cancelling")
    estranged: bool = False  # tells of someone close who keeps away ("my son no longer speaks to me")
    older_child: bool = False  # about a school-age, teenage or grown child, not a baby or toddler
    young_child: bool = False  # names a baby, a toddler or a child under six
    grown_child: bool = False  # names an adult son or daughter and no teenager
    minor: bool = False  # names a child under 18 and no adult son or daughter
    childless: bool = False  # names no child, parent or child's care: babies' answers cannot fit
    relationships: list[str] = field(default_factory=list)  # the close relationships named (bot/kinds.py)
    confident: bool = False  # the intent classifier settled on a topic
    topics: list[tuple[str, float]] = field(default_factory=list)  # best first
    nearest: float = 0.0  # similarity of the closest training example: low means outside the bot's scope
    bank: list[tuple[str, float, float]] = field(default_factory=list)  # (entry id, similarity, word fit)
    concepts: list[str] = field(default_factory=list)  # topic ids named, in order
    compare: bool = False  # asks for a contrast between concepts
    words: int = 0  # the message's length in words

    @property
    def partnerless(self) -> bool:
        """Names people close, but no partner: answers written for partners cannot fit."""
        return bool(self.relationships) and PARTNER not in self.relationships

    @property
    def not_a_parent(self) -> bool:
        """Names people close besides a partner, but no child of the writer's own: nor answers
        written for parents."""
        others = set(self.relationships) - {PARTNER}
        return bool(others) and CHILD not in others

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Reading | None:
        if not isinstance(data, dict):
            return None
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["topics"] = [tuple(item) for item in known.get("topics", [])]
        known["bank"] = [tuple(item) for item in known.get("bank", [])]
        return cls(**known)

    @classmethod
    def of_intent(cls, intent: str) -> Reading:
        """What a button payload says: its topic, nothing else."""
        topic_id = topic_for_intent(intent)
        return cls(confident=topic_id is not None, topics=[(topic_id, 1.0)] if topic_id else [], nearest=1.0)
