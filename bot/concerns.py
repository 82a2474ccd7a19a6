"""Signs that someone close controls, watches, hurts or frightens the person writing.

Not an emergency (danger right now is the crisis check's), but a partner's control or violence
must never be explained away as an attachment style. The Reader marks such a message; the
Tutor starts its answer with a short note and the abuse helplines (bot.help_lines). The
wordings are data: content/safety/concerns.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content import CONTENT_DIR, plain_apostrophes

CONCERNS_FILE = CONTENT_DIR / "safety" / "concerns.yml"


@dataclass(frozen=True)
class ConcernPattern:
    pattern: re.Pattern
    unless: re.Pattern | None = None

    def matches(self, text: str) -> bool:
        return bool(self.pattern.search(text)) and not (self.unless and self.unless.search(text))


@dataclass(frozen=True)
class ConcernFinder:
    patterns: tuple[ConcernPattern, ...]

    @classmethod
    def load(cls, path: Path = CONCERNS_FILE) -> ConcernFinder:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        who = spec["who"]

        def compiled(expression: str | None) -> re.Pattern | None:
            return re.compile(expression.replace("{who}", who), re.IGNORECASE) if expression else None

        return cls(
            tuple(
                ConcernPattern(compiled(item["pattern"]), compiled(item.get("unless")))
                for item in spec["patterns"]
            )
        )

    def found(self, text: str) -> bool:
        """Whether the message describes control or abuse done to the writer."""
        normal = plain_apostrophes(text)
        return any(pattern.matches(normal) for pattern in self.patterns)
