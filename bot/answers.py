"""Understanding one questionnaire answer typed in words or numbers.

People answer "7", "6/7", "strongly agree", "somewhat", "not really" or "neutral";
they also say "skip" or "go back". Anything we cannot read with confidence is
`unclear`, so the bot asks again instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RATING, SKIP, BACK, UNCLEAR = "rating", "skip", "back", "unclear"

# Phrases for a 1-7 agreement scale, matched as whole words, longest first.
AGREEMENT_PHRASES = {
    "strongly disagree": 1, "totally disagree": 1, "completely disagree": 1, "absolutely not": 1,
    "not at all": 1, "definitely not": 1,
    "disagree": 2, "don't agree": 2, "do not agree": 2, "dont agree": 2, "no": 2, "nope": 2,
    "somewhat disagree": 3, "slightly disagree": 3, "mildly disagree": 3, "not really": 3,
    "a little disagree": 3, "mostly not": 3,
    "neutral": 4, "neither": 4, "neither agree nor disagree": 4, "in the middle": 4, "50/50": 4,
    "somewhat": 5, "somewhat agree": 5, "slightly agree": 5, "mildly agree": 5, "kind of": 5,
    "kinda": 5, "sort of": 5, "a bit": 5, "a little": 5, "sometimes": 5,
    "agree": 6, "yes": 6, "yeah": 6, "mostly": 6, "mostly agree": 6, "true": 6,
    "strongly agree": 7, "totally agree": 7, "completely agree": 7, "absolutely": 7,
    "definitely": 7, "very true": 7, "100%": 7,
}  # fmt: skip
SKIP_PATTERN = re.compile(
    r"^(skip( (it|this|this one|that|question))?|pass|next( one)?|rather not say"
    r"|prefer not to (say|answer)|i'?d rather not( answer)?)$"
)
BACK_PATTERN = re.compile(
    r"^((oops,? )?(go |take me )?back|previous( one| question)?|undo"
    r"|change (my )?(last|previous) answer|i want to change my (last )?answer)$"
)
_NUMBER = re.compile(r"(?<![\d.-])(\d+)(?:\s*(?:/|out of)\s*(\d+))?(?![\d.])")
_PHRASES = sorted(AGREEMENT_PHRASES, key=len, reverse=True)


@dataclass(frozen=True)
class ParsedAnswer:
    kind: str
    value: int | None = None


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"[^\w\s'%/-]", " ", text)  # "-" stays: "-1" is not an answer of 1
    return " ".join(text.split())


def _phrase_value(text: str) -> int | None:
    """The value of the phrases in the text; None if none or if they disagree."""
    found = set()
    remaining = f" {text} "
    for phrase in _PHRASES:
        marker = f" {phrase} "
        if marker in remaining:
            found.add(AGREEMENT_PHRASES[phrase])
            remaining = remaining.replace(marker, " | ")
    return found.pop() if len(found) == 1 else None


def parse_answer(text: str, scale_min: int = 1, scale_max: int = 7) -> ParsedAnswer:
    normalised = _normalise(text or "")
    if not normalised:
        return ParsedAnswer(UNCLEAR)
    if SKIP_PATTERN.match(normalised):
        return ParsedAnswer(SKIP)
    if BACK_PATTERN.match(normalised):
        return ParsedAnswer(BACK)
    numbers = _NUMBER.findall(normalised)
    if numbers:
        if len(numbers) != 1:
            return ParsedAnswer(UNCLEAR)
        value, out_of = int(numbers[0][0]), numbers[0][1]
        if out_of and int(out_of) != scale_max:
            return ParsedAnswer(UNCLEAR)
        if scale_min <= value <= scale_max:
            return ParsedAnswer(RATING, value)
        return ParsedAnswer(UNCLEAR)
    if scale_max - scale_min != 6:
        return ParsedAnswer(UNCLEAR)  # the word phrases are written for a 7-point agreement scale
    value = _phrase_value(normalised)
    if value is None:
        return ParsedAnswer(UNCLEAR)
    return ParsedAnswer(RATING, value + scale_min - 1)


_ASIDE = r"(?:\([^)]{0,30}\))"  # "(strongly agree)", "(7)"
_ANSWER_FIRST = re.compile(  # used with .match(text, position): anchored where reading starts
    r"\s*(?:(?:q(?:uestion)?|item|statement)\s*\d+\s*[:.)-]?\s*)?"  # "Q4:", "item 12"
    r"(?:\d(?:\s*(?:/|out of)\s*7)?(?=$|[\s.,:;!?)\]\u2013\u2014-])"  # "7", "6/7", then a break
    r"|(?:" + "|".join(re.escape(phrase) for phrase in _PHRASES) + r")"  # a phrase, then punctuation
    r"(?=$|\s*" + _ASIDE + r"?\s*[.,:;!?)\u2013\u2014-]))"
    r"\s*" + _ASIDE + r"?[\s.,:;!?)\]\u2013\u2014-]*",
    re.IGNORECASE,
)


def after_answer(text: str) -> str:
    """What a message says after the questionnaire answer it starts with ("7. also i have pills
    ready" -> "also i have pills ready"), so the crisis check can read it without the rating, which
    looks like the everyday questionnaire replies it learnt as ordinary; "" if nothing follows,
    and the whole text if it starts with no answer."""
    read = text.replace("\u2019", "'")  # same length: positions carry over to `text`
    start = 0
    for _ in range(4):  # "3 slightly disagree, ..." and "item 12 strongly disagree. item 13 agree."
        answer = _ANSWER_FIRST.match(read, start)
        if not answer or not answer.group():
            break
        start = answer.end()
    return text[start:].strip()
