"""The Relationship Questionnaire (RQ): the two working models measured directly.

Pure Python with no Rasa imports. The person reads four short paragraphs, one per prototype
(Bartholomew & Horowitz, 1991), picks the one that fits best and rates each from 1 to 7.
The ratings give the two models (Griffin & Bartholomew, 1994):
model of self = (secure + dismissing) - (fearful + preoccupied),
model of others = (secure + preoccupied) - (fearful + dismissing), each from -12 to 12.
The paragraphs are the instrument and live, exactly as published, in content/instruments/rq.yml.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.scoring import INSTRUMENT_DIR, AnswerError, InstrumentError

# The prototypes in the order the ratings are given, and the style name the ECR-RS results use.
PROTOTYPES = ("secure", "fearful", "preoccupied", "dismissing")
STYLE_OF = {"secure": "secure", "fearful": "fearful", "preoccupied": "anxious", "dismissing": "avoidant"}
MODEL_RANGE = 12
RQ_ID = "rq"


@dataclass(frozen=True)
class Paragraph:
    prototype: str
    letter: str
    text: str


@dataclass(frozen=True)
class RelationshipQuestionnaire:
    id: str
    name: str
    short_name: str
    citation: str
    scoring_citation: str
    terms: str
    instructions: str
    scale_min: int
    scale_max: int
    scale_labels: dict[int, str]
    paragraphs: tuple[Paragraph, ...]

    @classmethod
    def load(cls, path: Path = INSTRUMENT_DIR / f"{RQ_ID}.yml") -> RelationshipQuestionnaire:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            scale = data["scale"]
            questionnaire = cls(
                id=str(data["id"]),
                name=str(data["name"]),
                short_name=str(data["short_name"]),
                citation=" ".join(str(data["citation"]).split()),
                scoring_citation=" ".join(str(data["scoring_citation"]).split()),
                terms=" ".join(str(data["terms"]).split()),
                instructions=" ".join(str(data["instructions"]).split()),
                scale_min=int(scale["min"]),
                scale_max=int(scale["max"]),
                scale_labels={int(value): str(label) for value, label in scale["labels"].items()},
                paragraphs=tuple(
                    Paragraph(
                        str(item["prototype"]), str(item["letter"]), " ".join(str(item["text"]).split())
                    )
                    for item in data["paragraphs"]
                ),
            )
        except (KeyError, TypeError, ValueError, AttributeError, yaml.YAMLError) as error:
            raise InstrumentError(f"{path.name}: {error!r}") from None
        if tuple(paragraph.prototype for paragraph in questionnaire.paragraphs) != PROTOTYPES:
            raise InstrumentError(
                f"{path.name}: the paragraphs must be {', '.join(PROTOTYPES)}, in that order"
            )
        if (questionnaire.scale_min, questionnaire.scale_max) != (1, 7):
            raise InstrumentError(f"{path.name}: the RQ is rated from 1 to 7")
        return questionnaire


@dataclass(frozen=True)
class RQResult:
    ratings: dict[str, int]
    self_model: int
    other_model: int
    style: str | None  # None only for an unresolved tie in conversation
    best_fit: str | None

    def as_dict(self) -> dict:
        return {
            "ratings": self.ratings,
            "self_model": self.self_model,
            "other_model": self.other_model,
            "style": self.style,
            "best_fit": self.best_fit,
        }


# How a finished RQ is stored as numbered answers: items 1-4 are the ratings in PROTOTYPES order,
# item 5 the paragraph picked as fitting best (1-4, absent if none was picked).
BEST_FIT_ITEM = 5


def stored_answers(result: RQResult) -> dict[int, int]:
    answers = {number: result.ratings[prototype] for number, prototype in enumerate(PROTOTYPES, start=1)}
    if result.best_fit:
        answers[BEST_FIT_ITEM] = PROTOTYPES.index(result.best_fit) + 1
    return answers


def from_stored_answers(answers: Mapping[int, int | None]) -> RQResult:
    """The result again from stored answers (an AnswerError if they are not a complete RQ)."""
    best = answers.get(BEST_FIT_ITEM)
    ratings = [answers.get(number) for number in range(1, len(PROTOTYPES) + 1)]
    return score_rq(ratings, PROTOTYPES[best - 1] if best in (1, 2, 3, 4) else None, allow_tie=True)  # type: ignore[arg-type]


def prototype_named(name: str) -> str:
    """'preoccupied', 'anxious' or 'C' -> 'preoccupied'; anything else is an AnswerError."""
    wanted = name.strip().lower()
    for letter, prototype in zip("abcd", PROTOTYPES, strict=True):
        if wanted in (prototype, STYLE_OF[prototype], letter):
            return prototype
    raise AnswerError(f"unknown paragraph {name!r}: say secure, fearful, preoccupied or dismissing")


def highest_rated(ratings: Mapping[str, int]) -> list[str]:
    top = max(ratings.values())
    return [prototype for prototype in PROTOTYPES if ratings[prototype] == top]


def score_rq(ratings: Sequence[int], best_fit: str | None = None, allow_tie: bool = False) -> RQResult:
    """Score the four 1-7 ratings, given in the order secure, fearful, preoccupied, dismissing.

    The style is the highest-rated prototype; on a tie, the paragraph the person picked as
    fitting best, which must then be one of the tied ones. In conversation (`allow_tie`) an
    unresolved tie is no error: the style is None and the two model scores speak for themselves.
    """
    if len(ratings) != len(PROTOTYPES):
        raise AnswerError(
            f"the RQ has 4 ratings (secure, fearful, preoccupied, dismissing), got {len(ratings)}"
        )
    for prototype, rating in zip(PROTOTYPES, ratings, strict=True):
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 7:
            raise AnswerError(f"the {prototype} rating must be a whole number from 1 to 7, got {rating!r}")
    rated: Mapping[str, int] = dict(zip(PROTOTYPES, ratings, strict=True))
    best = prototype_named(best_fit) if best_fit else None
    secure, fearful, preoccupied, dismissing = ratings
    highest = highest_rated(rated)
    if len(highest) == 1:
        style_prototype: str | None = highest[0]
    elif best in highest:
        style_prototype = best
    elif allow_tie:
        style_prototype = None
    elif best is None:
        raise AnswerError(
            f"{' and '.join(highest)} are rated equally high: say which paragraph fits best (--best)"
        )
    else:
        raise AnswerError(
            f"the paragraph that fits best ({best}) is not among the highest rated ({', '.join(highest)})"
        )
    return RQResult(
        ratings=dict(rated),
        self_model=(secure + dismissing) - (fearful + preoccupied),
        other_model=(secure + preoccupied) - (fearful + dismissing),
        style=STYLE_OF[style_prototype] if style_prototype else None,
        best_fit=best,
    )
