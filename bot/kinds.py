"""What kind of answer a message asks for, apart from which concept it is about.

"What can I do?", "is this me?", "my partner...", "my toddler..." are asked about every
topic; telling the kind apart from the concept lets every kind work for every topic and
lets a follow-up ("so what can I actually do about it?") keep the concept of the
conversation. The wording patterns are data (content/kinds.yml).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content import CONTENT_DIR, KINDS, ContentError, plain_apostrophes

KINDS_FILE = CONTENT_DIR / "kinds.yml"
DEFAULT_KIND = "what"
CHILD = "child"
PARTNER = "partner"


@dataclass(frozen=True)
class KindRule:
    kind: str
    look_in_whole: bool  # who a message is about shows anywhere in it; what it wants, in the asking part
    patterns: tuple[re.Pattern, ...]
    context: tuple[re.Pattern, ...] = ()  # with these in the message...
    about: tuple[re.Pattern, ...] = ()  # ...and these in the asking sentence...
    upgrades: frozenset[str] = frozenset()  # ...an asking sentence of these kinds wants this kind,
    asker_as_subject: tuple[re.Pattern, ...] = ()  # ...unless the message says these of its writer
    unless: tuple[re.Pattern, ...] = ()  # an asking sentence with these never wants this kind
    # words that look like this kind's but are not ("when I was a child", "I was adopted": an
    # adult speaking of their own childhood is no parent) are passed over
    ignore: tuple[re.Pattern, ...] = ()
    # an asking sentence about someone else ("...and our marriage is failing, what do I do?")
    # counts only this kind's words of its own, not those elsewhere in the message ("our son")
    asking_about_other: tuple[re.Pattern, ...] = ()
    # words that only mention this kind's subject ("my son"), and words about someone else that
    # outweigh them when they are more frequent and the asking sentence has neither
    mentions: tuple[re.Pattern, ...] = ()
    outweighed_by: tuple[re.Pattern, ...] = ()
    # a message with these where the rule reads is never of this kind ("our 33-year-old son": a
    # grown child)
    not_in_messages_with: tuple[re.Pattern, ...] = ()

    def matches(self, text: str, asking: str) -> bool:
        if self.vetoed(asking) or any(pattern.search(text) for pattern in self.not_in_messages_with):
            return False
        if self.found(asking):
            return True
        # (only a real question: the closing sentences of a story that asks nothing ("My husband
        # tries to make room for me...") say what it is about no more than the rest does)
        if "?" in asking and any(pattern.search(asking) for pattern in self.asking_about_other):
            return False
        text = self._without_look_alikes(text)
        if any(pattern.search(text) for pattern in self.patterns):
            return True
        mentioned = sum(len(pattern.findall(text)) for pattern in self.mentions)
        return mentioned > 0 and mentioned >= sum(
            len(pattern.findall(text)) for pattern in self.outweighed_by
        )

    def _without_look_alikes(self, text: str) -> str:
        for pattern in self.ignore:
            text = pattern.sub(" ", text)
        return text

    def found(self, text: str) -> bool:
        text = self._without_look_alikes(text)
        return any(pattern.search(text) for pattern in (*self.patterns, *self.mentions))

    def vetoed(self, asking: str) -> bool:
        return any(pattern.search(asking) for pattern in self.unless)

    def upgrades_to_this(self, asked: str, asking: str, whole: str) -> bool:
        """Whether a message asking for `asked` wants this kind because of what it is about."""
        return (
            asked in self.upgrades
            and any(pattern.search(whole) for pattern in self.context)
            and any(pattern.search(asking) for pattern in self.about)
            and not self.vetoed(asking)
            and not any(pattern.search(whole) for pattern in self.asker_as_subject)  # see about_self
        )


def _compiled(patterns: list[str], source: str, words: dict[str, str]) -> tuple[re.Pattern, ...]:
    """The patterns with each `{name}` replaced by that word list's expression."""
    expanded = []
    for pattern in patterns:
        for name, expression in words.items():
            pattern = pattern.replace(f"{{{name}}}", expression)
        expanded.append(pattern)
    try:
        return tuple(re.compile(pattern, re.IGNORECASE) for pattern in expanded)
    except re.error as error:
        raise ContentError(f"{source}: a pattern is not a valid regular expression ({error})") from None


def _found(patterns: Iterable[re.Pattern], text: str) -> bool:
    """Whether any pattern is in the text, read with plain apostrophes (as the patterns spell them)."""
    text = plain_apostrophes(text)
    return any(pattern.search(text) for pattern in patterns)


@dataclass(frozen=True)
class KindDetector:
    rules: tuple[KindRule, ...]  # in the order they are tried
    friend: tuple[re.Pattern, ...] = ()  # words naming a friend...
    partner: tuple[re.Pattern, ...] = ()  # ...and words that make a friend a side character
    older_child: tuple[re.Pattern, ...] = ()  # a school-age child or a teenager...
    young_child: tuple[re.Pattern, ...] = ()  # ...unless a baby or young child is named too
    child_words: tuple[re.Pattern, ...] = ()  # a child, a parent or a child's care
    # the close relationships a message may name (a partner, one's child, a parent, a sibling...)
    relationships: Mapping[str, tuple[re.Pattern, ...]] = field(default_factory=dict)
    teenager: tuple[re.Pattern, ...] = ()  # a teenager or an adolescent
    grown_child: tuple[re.Pattern, ...] = ()  # an adult son or daughter
    estrangement: tuple[re.Pattern, ...] = ()  # someone close who keeps away or was cut off

    @classmethod
    def load(cls, path: Path = KINDS_FILE) -> KindDetector:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec, words = document["kinds"], document.get("words") or {}
        unknown = set(spec) - set(KINDS)
        if unknown:
            raise ContentError(f"{path.name}: unknown kinds {sorted(unknown)}")
        rules = []
        for kind, rule in spec.items():
            context = rule.get("context") or {}
            rules.append(
                KindRule(
                    kind,
                    rule.get("look_in") == "whole",
                    _compiled(rule["patterns"], path.name, words),
                    _compiled(context.get("patterns") or [], path.name, words),
                    _compiled(context.get("asking") or [], path.name, words),
                    frozenset(context.get("kinds") or ()),
                    _compiled(context.get("not_when_the_asker_is_the_subject") or [], path.name, words),
                    _compiled(rule.get("unless") or [], path.name, words),
                    _compiled(rule.get("ignore") or [], path.name, words),
                    _compiled(rule.get("asking_about_other") or [], path.name, words),
                    _compiled(rule.get("mentions") or [], path.name, words),
                    _compiled(rule.get("outweighed_by") or [], path.name, words),
                    _compiled(rule.get("not_in_messages_with") or [], path.name, words),
                )
            )

        def section(name: str, key: str = "patterns") -> tuple[re.Pattern, ...]:
            return _compiled((document.get(name) or {}).get(key) or [], path.name, words)

        return cls(
            tuple(rules),
            section("friendship"),
            section("friendship", "outweighed_by"),
            section("older_child"),
            section("older_child", "unless"),
            section("names_a_child"),
            {
                relationship: _compiled(patterns, path.name, words)
                for relationship, patterns in (document.get("relationships") or {}).items()
            },
            teenager=section("teenager"),
            grown_child=section("grown_child"),
            estrangement=section("estrangement"),
        )

    def names_a_child(self, text: str) -> bool:
        """Whether a message names a child, a parent or a child's care anywhere."""
        return any(pattern.search(text) for pattern in self.child_words)

    def relationships_named(self, text: str) -> frozenset[str]:
        """The close relationships a message names: "partner", "child" (of the writer's own),
        "parent", "sibling", "friend", "therapist"..."""
        text = plain_apostrophes(text)
        return frozenset(
            relationship
            for relationship, patterns in self.relationships.items()
            if any(pattern.search(text) for pattern in patterns)
        )

    def names_an_older_child(self, text: str) -> bool:
        """Whether a message names a school-age, teenage or grown child (it may name a baby too)."""
        return _found(self.older_child, text)

    def names_a_teenager(self, text: str) -> bool:
        """Whether a message names a teenager (or an age from 12 to 17)."""
        return _found(self.teenager, text)

    def names_a_grown_child(self, text: str) -> bool:
        """Whether a message names an adult son or daughter (it may name a teenager too)."""
        return _found(self.grown_child, text)

    def names_only_a_grown_child(self, text: str) -> bool:
        """Whether a message names an adult son or daughter and no teenager: a teenager's
        answers cannot fit."""
        return self.names_a_grown_child(text) and not self.names_a_teenager(text)

    def names_a_young_child(self, text: str) -> bool:
        """Whether a message names a baby, a toddler or a child under six (or their care)."""
        return _found(self.young_child, text)

    def about_own_childhood(self, text: str) -> bool:
        """Whether an adult speaks of their own childhood ("I was adopted as a baby"): the words
        the parents' kind passes over as look-alikes."""
        return _found((pattern for rule in self.rules if rule.kind == CHILD for pattern in rule.ignore), text)

    def about_a_friend(self, text: str, kind: str) -> bool:
        """Whether a message of this kind is about a friend: named more often than a partner, and
        not a parent's question."""
        friends = sum(len(pattern.findall(text)) for pattern in self.friend)
        partners = sum(len(pattern.findall(text)) for pattern in self.partner)
        return friends > partners and kind != CHILD

    def speaks_of_estrangement(self, text: str) -> bool:
        """Whether a message tells of someone who keeps away or was cut off ("my son no longer
        speaks to me")."""
        return _found(self.estrangement, text)

    def _asked(self, asking: str, whole: str) -> str:
        """The kind the wording asks for: the asking sentence first, then the whole message."""
        for text in (asking, whole):
            for rule in self.rules:
                if rule.matches(whole if rule.look_in_whole else text, asking):
                    return rule.kind
        return DEFAULT_KIND

    def about_self(self, whole: str) -> bool:
        """Whether the writer describes their own part in a relationship: the answer is for them."""
        whole = plain_apostrophes(whole)
        return any(pattern.search(whole) for rule in self.rules for pattern in rule.asker_as_subject)

    def kind_of(self, asking: str, whole: str | None = None) -> str:
        # typographic apostrophes ("I’m") read as the plain ones the patterns spell
        asking, whole = plain_apostrophes(asking), plain_apostrophes(whole or asking)
        asked = self._asked(asking, whole)
        for rule in self.rules:
            if rule.kind == asked:
                break
            if rule.upgrades_to_this(asked, asking, whole):
                return rule.kind
        return asked
