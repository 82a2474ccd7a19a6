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


_FIRST_PERSON = r"\b(?:i|i'm|im|i've|ive|me|my|myself|it|this)\b"
_AS_A_TERM = r"[\s-]*(?:attach\w*|style|type|preoccupied|avoidant|person|people|partner)\b"
# puzzled by ideas, not upset: "I am confused as to how these terms fit into the picture" (a
# student's question, spent blind set 12)
_ABOUT_IDEAS = (
    r"\s+(?:as to|about|by) (?:how |what |which |whether )?(?:these|the|this|those|that) "
    r"(?:terms?|theor\w*|concepts?|models?|scales?|stud\w*|research|findings|papers?|definitions?)\b"
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
        words = "|".join(re.escape(word) for word in sorted(spec["words"], key=len, reverse=True))
        # the asker's own feelings ("I feel so lost", "it crushed me"), not a concept ("anxious
        # attachment"), an idea that puzzles them, or someone else's ("babies are sad at drop-off")
        pattern = re.compile(
            rf"{_FIRST_PERSON}[^.?!]{{0,40}}?\b(?:{words})\b(?!{_AS_A_TERM}|{_ABOUT_IDEAS})", re.IGNORECASE
        )
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
