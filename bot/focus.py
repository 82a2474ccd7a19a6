"""What a message asks, and whether it carries feelings.

People write several sentences of context and feeling before the question, or a question
in the middle of a story. The sentence that asks decides the kind of answer; feelings get a
short acknowledgement before it (content/feelings.yml), not a reply instead of the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content import CONTENT_DIR

FEELINGS_FILE = CONTENT_DIR / "feelings.yml"
_SENTENCE = re.compile(r"[^.?!\n]+[.?!]*")
_QUESTION_START = re.compile(
    r"^\s*(?:so|and|but|or|also|ok|okay|well|hmm|anyway)?[\s,]*(?:how|what|why|is|am|are|can|could|should|do|does|did|"
    r"will|would|where|when|who|which|has|have|any)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Focus:
    asking: str  # the sentence(s) that ask; the whole message when it is short
    whole: str
    feelings: bool

    @property
    def is_question(self) -> bool:
        return "?" in self.whole or bool(_QUESTION_START.match(self.asking))


@dataclass(frozen=True)
class FocusFinder:
    feeling_words: re.Pattern
    acknowledgement: str

    @classmethod
    def load(cls, path: Path = FEELINGS_FILE) -> FocusFinder:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        words = sorted(spec["words"], key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\b", re.IGNORECASE)
        return cls(pattern, " ".join(spec["acknowledgement"].split()))

    def focus(self, text: str) -> Focus:
        sentences = [part.strip() for part in _SENTENCE.findall(text) if part.strip()]
        asking = text
        if len(sentences) > 1:
            questions = [s for s in sentences if s.endswith("?") or _QUESTION_START.match(s)]
            if questions:
                asking = " ".join(questions[-2:])
            elif len(sentences) > 2:
                asking = " ".join(sentences[-2:])
        return Focus(asking, text, bool(self.feeling_words.search(text)))
