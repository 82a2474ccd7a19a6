"""How easy a text is to read: sentence lengths and the Flesch-Kincaid grade level.

Used by the content tests so every first answer stays plain (about a grade-8 level,
sentences of 18 words or fewer). Markdown is read as a person sees it: a bullet is a
sentence of its own, bold and italics are just words.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(r"[*_`]")
_BULLET = re.compile(r"^\s*(?:[-•]|\d+[.)])\s+", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|\d+(?:[.,]\d+)*")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def sentences(text: str) -> list[str]:
    """The sentences of a text; each bullet or line break also ends one."""
    plain = _BULLET.sub("", _MARKUP.sub("", text))
    return [part.strip() for part in _SENTENCE_END.split(plain) if _WORD.search(part)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def syllables(word: str) -> int:
    """An estimate from vowel groups, good enough for a grade level (silent -e and -ed dropped)."""
    word = word.lower()
    if word.isdigit():
        return max(1, len(word) // 2)
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith("ed") and not word.endswith(("ted", "ded")) and count > 1:
        count -= 1
    return max(1, count)


def grade_level(text: str) -> float:
    """Flesch-Kincaid grade: 0.39 (words/sentence) + 11.8 (syllables/word) - 15.59."""
    found = sentences(text)
    all_words = [word for sentence in found for word in words(sentence)]
    if not all_words:
        return 0.0
    per_sentence = len(all_words) / len(found)
    per_word = sum(syllables(word) for word in all_words) / len(all_words)
    return round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1)


def longest_sentence(text: str) -> tuple[int, str]:
    """The word count of the longest sentence, and that sentence."""
    return max(((len(words(sentence)), sentence) for sentence in sentences(text)), default=(0, ""))
