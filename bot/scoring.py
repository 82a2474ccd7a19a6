"""The scoring core: instruments as data, answers in, attachment dimensions out.

Pure Python with no Rasa imports. An instrument file (content/instruments/<id>.yml)
holds the items, the scale, the keys and the subscales, so a new questionnaire of the
same kind is added without code. Anxiety speaks to the model of self, avoidance to the
model of others (Bartholomew & Horowitz, 1991; Fraley et al., 2011).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content import CONTENT_DIR

INSTRUMENT_DIR = CONTENT_DIR / "instruments"
STYLES = ("secure", "anxious", "avoidant", "fearful")
DIMENSIONAL_CAVEAT = (
    "Attachment is better described by two sliding scales than by four boxes (Fraley et al., 2015): "
    "the nearest style is a simplification, not a diagnosis, and it can differ between relationships "
    "and change over time."
)


class InstrumentError(ValueError):
    """An instrument file is malformed."""


class AnswerError(ValueError):
    """Answers that cannot be scored; the message says why in one line."""


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    subscale: str
    reverse: bool


@dataclass(frozen=True)
class Relationship:
    """Whom the statements are about: a romantic partner, mother, father or best friend."""

    id: str
    label: str
    target: str
    aliases: tuple[str, ...] = ()
    # Bartholomew's four patterns were described for peer and romantic relationships only
    peer: bool = True


@dataclass(frozen=True)
class Instrument:
    id: str
    name: str
    short_name: str
    citation: str
    terms: str
    instructions: str
    scale_min: int
    scale_max: int
    scale_labels: dict[int, str]
    items: tuple[Item, ...]
    subscale_labels: dict[str, str]
    min_answered: dict[str, int]
    midpoint: float
    relationships: dict[str, Relationship]

    @classmethod
    def load(cls, instrument_id: str, directory: Path = INSTRUMENT_DIR) -> Instrument:
        path = directory / f"{instrument_id}.yml"
        if not path.is_file():
            known = ", ".join(sorted(p.stem for p in directory.glob("*.yml")))
            raise InstrumentError(f"unknown instrument '{instrument_id}' (known: {known})")
        try:
            return cls.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (KeyError, TypeError, ValueError, yaml.YAMLError) as error:
            if isinstance(error, InstrumentError):
                raise
            raise InstrumentError(f"{path.name}: {error!r}") from None

    @classmethod
    def from_dict(cls, data: dict) -> Instrument:
        scale = data["scale"]
        items = tuple(
            Item(int(item["number"]), str(item["text"]), str(item["subscale"]), bool(item["reverse"]))
            for item in data["items"]
        )
        subscales = data["subscales"]
        instrument = cls(
            id=str(data["id"]),
            name=str(data["name"]),
            short_name=str(data["short_name"]),
            citation=" ".join(str(data["citation"]).split()),
            terms=" ".join(str(data["terms"]).split()),
            instructions=" ".join(str(data["instructions"]).split()),
            scale_min=int(scale["min"]),
            scale_max=int(scale["max"]),
            scale_labels={int(value): str(label) for value, label in scale["labels"].items()},
            items=items,
            subscale_labels={name: str(spec["label"]) for name, spec in subscales.items()},
            min_answered={name: int(spec["min_answered"]) for name, spec in subscales.items()},
            midpoint=float(data["midpoint"]),
            relationships={
                key: Relationship(
                    key,
                    str(spec["label"]),
                    str(spec["target"]),
                    tuple(spec.get("aliases", ())),
                    bool(spec.get("peer", True)),
                )
                for key, spec in data["relationships"].items()
            },
        )
        instrument._validate()
        return instrument

    def _validate(self) -> None:
        if [item.number for item in self.items] != list(range(1, len(self.items) + 1)):
            raise InstrumentError(f"{self.id}: items must be numbered 1..{len(self.items)} in order")
        if set(self.scale_labels) != set(self.scale_values):
            raise InstrumentError(f"{self.id}: every scale value needs a label")
        if {"anxiety", "avoidance"} - set(self.subscale_labels):
            raise InstrumentError(f"{self.id}: needs the subscales anxiety and avoidance")
        for name, minimum in self.min_answered.items():
            count = sum(item.subscale == name for item in self.items)
            if not 1 <= minimum <= count:
                raise InstrumentError(f"{self.id}: subscale {name} has {count} items, min_answered {minimum}")
        if {item.subscale for item in self.items} - set(self.subscale_labels):
            raise InstrumentError(f"{self.id}: an item names an unknown subscale")
        if not self.scale_min < self.midpoint < self.scale_max:
            raise InstrumentError(f"{self.id}: midpoint must lie inside the scale")

    @property
    def scale_values(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    def find_relationship(self, text: str) -> Relationship | None:
        """The relationship named in free text ("my mum", "Partner"), if exactly one is named."""
        words = " " + " ".join(re.findall(r"[a-z]+", text.lower())) + " "
        named = {
            relationship.id
            for relationship in self.relationships.values()
            for alias in (relationship.id, *relationship.aliases)
            if f" {alias} " in words
        }
        return self.relationships[named.pop()] if len(named) == 1 else None

    def item(self, number: int) -> Item:
        return self.items[number - 1]


@dataclass(frozen=True)
class Result:
    anxiety: float
    avoidance: float
    style: str
    answered: int

    def as_dict(self) -> dict:
        return {
            "anxiety": self.anxiety,
            "avoidance": self.avoidance,
            "style": self.style,
            "answered": self.answered,
        }


def nearest_style(anxiety: float, avoidance: float, midpoint: float) -> str:
    """The prototype whose quadrant holds the point (Bartholomew & Horowitz, 1991)."""
    high_anxiety, high_avoidance = anxiety > midpoint, avoidance > midpoint
    if high_anxiety:
        return "fearful" if high_avoidance else "anxious"
    return "avoidant" if high_avoidance else "secure"


def score(instrument: Instrument, answers: Sequence[int | None]) -> Result:
    """Mean of each subscale's answered items, reverse-keyed items flipped; None marks a skip."""
    if len(answers) != len(instrument.items):
        raise AnswerError(
            f"{instrument.short_name} has {len(instrument.items)} items, got {len(answers)} answers"
        )
    keyed: dict[str, list[int]] = {name: [] for name in instrument.subscale_labels}
    for item, answer in zip(instrument.items, answers, strict=True):
        if answer is None:
            continue
        if isinstance(answer, bool) or not isinstance(answer, int) or answer not in instrument.scale_values:
            raise AnswerError(
                f"answer to item {item.number} must be a whole number from "
                f"{instrument.scale_min} to {instrument.scale_max}, got {answer!r}"
            )
        value = instrument.scale_min + instrument.scale_max - answer if item.reverse else answer
        keyed[item.subscale].append(value)
    means = {}
    for name, values in keyed.items():
        if len(values) < instrument.min_answered[name]:
            raise AnswerError(
                f"too many skipped answers: {instrument.subscale_labels[name]} needs at least "
                f"{instrument.min_answered[name]} answered items"
            )
        means[name] = round(sum(values) / len(values), 3)
    anxiety, avoidance = means["anxiety"], means["avoidance"]
    answered = sum(answer is not None for answer in answers)
    return Result(anxiety, avoidance, nearest_style(anxiety, avoidance, instrument.midpoint), answered)


def parse_answer_list(text: str) -> list[int | None]:
    """'7,6,5' -> [7, 6, 5]; an empty field or '-' is a skipped item."""
    answers: list[int | None] = []
    for position, field in enumerate(text.split(","), start=1):
        field = field.strip()
        if field in ("", "-"):
            answers.append(None)
            continue
        try:
            answers.append(int(field))
        except ValueError:
            raise AnswerError(f"answer {position} is not a whole number: {field!r}") from None
    return answers
