"""Crisis check for every message.

Rule patterns (content/safety/crisis_patterns.yml) run on our spaCy pipeline, so a
person in danger is noticed even when the intent classifier has never seen their
words. Recall comes first: a gentle resources note shown by mistake costs little,
a missed crisis costs a great deal. The help offered lives in bot/help_lines.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher

from bot.content import any_of, plain_apostrophes

SAFETY_DIR = Path(__file__).resolve().parent.parent / "content" / "safety"
PATTERNS_FILE = SAFETY_DIR / "crisis_patterns.yml"


NOW, PAST, JOKING, UNSURE, FIGURE = "now", "past", "joking", "unsure", "figure of speech"
PERHAPS_PAST = "perhaps past"
OTHER_LANGUAGE = "other_language"  # the intent to die told in a language other than English
SELF_DIRECTED = ("suicide", "self_harm", "phrase", OTHER_LANGUAGE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# "when I was 12 I wanted to die and I still want to some days": the dated story goes on
STILL = re.compile(r"\b(?:still|again|some days|sometimes|lately|these days|now)\b")
# a word spelled out letter by letter: "s u i c i d e", "k.m.s."
LETTERS_APART = re.compile(r"\b(?:[a-z] ){3,}[a-z]\b|\b[a-z](?:\.[a-z]){2,}\b\.?")
# digits written for letters inside a word: "k1ll1ng mys3lf", "c4n't st0p"
LEETSPEAK_WORD = re.compile(r"\b[a-z0-9']*[a-z][0-9]+[a-z][a-z0-9']*\b")  # not "7am", "2nd", "mp3"
LEETSPEAK_LETTERS = str.maketrans("013457", "oieast")
# words quoted as once said or written ("I used to say 'I want to die' all the time at 14"): a
# report of them, not a wish or a time about now
REPORTED_WORDS = re.compile(
    r"\b(?:say|said|saying|says|wrote|write|writing|written|full of)\s+(?:things like\s+)?"
    r"""['"‘“](?:[^'"’”]|(?<=\w)'(?=\w)){1,80}['"’”]""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CrisisSignal:
    category: str  # suicide, self_harm, abuse, danger, phrase, warning_sign or other_language
    span: str
    # "past": over, and nothing about now; "perhaps past": told with a past wording ("in my
    # twenties", "years ago") but no word that it is over; "joking": wrapped in laughter; "unsure":
    # words that can end a life or a relationship, in a message about a relationship; "figure of
    # speech": "my mum will kill me when she sees my grades"
    told_as: str = NOW


@dataclass(frozen=True)
class ToldAs:
    """How a message tells its crisis signal: as happening now, as past and over, as a figure of
    speech, or as a joke."""

    past: re.Pattern | None
    recovered: re.Pattern | None
    joking: re.Pattern | None
    figure_of_speech: re.Pattern | None
    unless: re.Pattern | None  # a time or a plan: now, however the rest is told
    unless_past: re.Pattern | None  # a wish about now: the story is not over
    either_ending: re.Pattern | None  # "end things": a life or a relationship
    about_a_relationship: re.Pattern | None
    dated_past: re.Pattern | None  # "6 years ago", "when I was 16": over, if said of the act itself

    @classmethod
    def from_spec(cls, spec: dict) -> ToldAs:
        names = (
            "past",
            "recovered",
            "joking",
            "figure_of_speech",
            "unless",
            "unless_past",
            "either_ending",
            "about_a_relationship",
            "dated_past",
        )
        return cls(*(any_of(spec.get(name) or []) for name in names))

    def of(self, text: str, signals: list[CrisisSignal]) -> str:
        """How `text` tells the crisis its patterns found (`signals`)."""

        def found(pattern: re.Pattern | None, where: str = text) -> bool:
            return bool(pattern and pattern.search(where))

        told = REPORTED_WORDS.sub(" ", text)  # what is said of now, without words quoted from then
        if found(self.unless, told):
            return NOW
        spans = [signal.span for signal in signals]
        if found(self.about_a_relationship) and all(found(self.either_ending, span) for span in spans):
            return UNSURE
        if not found(self.unless_past, told) and (
            (found(self.past) and found(self.recovered))
            or all(self._dated_in_its_sentence(text, signal) for signal in signals)
        ):
            return PAST
        if found(self.figure_of_speech):
            return FIGURE
        if found(self.joking):
            return JOKING
        past_everywhere = all(self._past_in_its_sentence(text, signal) for signal in signals)
        return PERHAPS_PAST if past_everywhere and not found(self.unless_past, told) else NOW

    def _past_in_its_sentence(self, text: str, signal: CrisisSignal) -> bool:
        """A past wording in the sentence that tells the crisis ("I overdosed in my first year of
        uni"); one in another sentence of a long letter ("my dad left when I was seven") says
        nothing of when the crisis was."""
        return bool(self.past and self.past.search(_sentence_with(text, signal.span)))

    def _dated_in_its_sentence(self, text: str, signal: CrisisSignal) -> bool:
        """An attempt or self-harm dated in the same sentence, which does not go on to now ("I
        overdosed when I was 16", "my brother died by suicide 6 years ago"); a date in another
        sentence ("my parents split when I was 9 ... I want to die") does not make the crisis past,
        and neither does a date make abuse past, which can go on."""
        if signal.category not in SELF_DIRECTED:
            return False
        sentence = _sentence_with(text, signal.span)
        return bool(self.dated_past and self.dated_past.search(sentence)) and not STILL.search(sentence)


def _sentence_with(text: str, span: str) -> str:
    """The sentence of `text` (lowercased) that holds `span`; "" if none does."""
    return next((part for part in SENTENCE_END.split(text.lower()) if span in part), "")


def _joined(letters: re.Match) -> str:
    return letters[0].replace(" ", "").replace(".", "")


def _unleet(word: re.Match) -> str:
    return word[0].translate(LEETSPEAK_LETTERS)


class CrisisDetector:
    """spaCy Matcher and PhraseMatcher over lowercase tokens; exclusions cancel idioms."""

    def __init__(self, nlp: Language, patterns_file: Path = PATTERNS_FILE):
        spec = yaml.safe_load(patterns_file.read_text(encoding="utf-8"))
        self.nlp = nlp
        self.matcher = Matcher(nlp.vocab)
        for category, patterns in spec["patterns"].items():
            self.matcher.add(category, patterns)
        self.exclusions = Matcher(nlp.vocab)
        if spec.get("exclusions"):
            self.exclusions.add("exclusion", spec["exclusions"])
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrases.add("phrase", [nlp.make_doc(phrase) for phrase in spec.get("phrases", [])])
        self.told_as = ToldAs.from_spec(spec.get("told_as") or {})
        self.warning_signs = any_of(spec.get("warning_signs") or [])
        self.in_other_languages = any_of(spec.get("in_other_languages") or [])
        self.means_at_hand = any_of(spec.get("means_at_hand") or [])
        self.close_in_time = any_of(spec.get("close_in_time") or [])

    def check(self, text: str) -> CrisisSignal | None:
        """The first crisis signal in `text`, with how it is told, or None."""
        signals = self._signals(text)
        if not signals:
            return None
        told_as = self.told_as.of(plain_apostrophes(text), signals)
        return CrisisSignal(signals[0].category, signals[0].span, told_as)

    def means_and_time(self, text: str) -> bool:
        """A means at hand and a time close by, both named ("the pills are ready, tonight")."""
        lowered = plain_apostrophes(text).lower()
        return bool(
            self.means_at_hand
            and self.close_in_time
            and self.means_at_hand.search(lowered)
            and self.close_in_time.search(lowered)
        )

    def _signals(self, text: str) -> list[CrisisSignal]:
        if not text or not text.strip():
            return []
        # lowercase: spaCy splits contractions only in lowercase ("I'M" stays one token);
        # underscores apart: "/i_want_to_die" is words, not one token; spaced-out letters
        # ("s u i c i d e", "k.m.s.") joined back into their word; digits for letters read as the
        # letters ("k1ll mys3lf"); typographic apostrophes as plain ones, which the patterns spell
        # ("I don’t want to live" from a phone's keyboard)
        lowered = LEETSPEAK_WORD.sub(_unleet, plain_apostrophes(text).lower().replace("_", " "))
        doc = self.nlp(LETTERS_APART.sub(_joined, lowered))
        excluded = {token for _, start, end in self.exclusions(doc) for token in range(start, end)}
        # first, so the message's signal says the risk classifier (English) cannot weigh it
        other_language = self.in_other_languages.search(lowered) if self.in_other_languages else None
        signals = [CrisisSignal(OTHER_LANGUAGE, other_language[0])] if other_language else []
        signals += [
            CrisisSignal(self.nlp.vocab.strings[match_id], doc[start:end].text)
            for match_id, start, end in sorted(self.matcher(doc), key=lambda match: match[1])
            if not excluded.intersection(range(start, end))
        ]
        signals += [CrisisSignal("phrase", doc[start:end].text) for _, start, end in self.phrases(doc)]
        warning = self.warning_signs.search(lowered) if self.warning_signs else None
        if warning:
            signals.append(CrisisSignal("warning_sign", warning[0]))
        return signals
