"""Which style a writer's description of their own part leans towards (content/style_cues.yml).

People describe their pattern instead of naming it ("if he doesn't text back I panic", "as soon
as it gets serious I pull away"). Sentence meaning alone often ranks a neighbouring style first;
these everyday cues tip the balance towards the style they describe. Both anxious and avoidant
cues at once describe the fearful pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content import CONTENT_DIR, any_of, plain_apostrophes

CUES_FILE = CONTENT_DIR / "style_cues.yml"
ANXIOUS, AVOIDANT, FEARFUL = "style-anxious", "style-avoidant", "style-fearful"
BESIDE_FEARFUL = 0.5  # each side of a fearful pattern still counts a little


@dataclass(frozen=True)
class StyleCues:
    patterns: dict[str, re.Pattern]

    @classmethod
    def load(cls, path: Path = CUES_FILE) -> StyleCues:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        me, partner = spec["me"], spec["partner"]
        patterns = {
            topic_id: any_of(
                [pattern.replace("{me}", me).replace("{partner}", partner) for pattern in expressions]
            )
            for topic_id, expressions in spec["cues"].items()
        }
        return cls({topic_id: pattern for topic_id, pattern in patterns.items() if pattern})

    def scores(self, text: str) -> dict[str, float]:
        """Each style the writer describes in themselves, 1.0 for the style the cues point to."""
        text = plain_apostrophes(text)
        found = {topic_id for topic_id, pattern in self.patterns.items() if pattern.search(text)}
        if FEARFUL in found or {ANXIOUS, AVOIDANT} <= found:
            return {FEARFUL: 1.0, **{topic_id: BESIDE_FEARFUL for topic_id in found - {FEARFUL}}}
        return {topic_id: 1.0 for topic_id in found}
