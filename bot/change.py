"""Real change only: is the difference between two attempts more than a retest would give?

Pure Python with no Rasa imports. ECR-RS scores move from one month to the next without any
real change (30-day test-retest about .65 for partners, .80 for parents). A difference counts
as a change only when it passes the reliable change index of Jacobson and Truax (1991):
|later - earlier| > 1.96 x sqrt(2) x SD x sqrt(1 - r). The figures and their sources (and
what was assumed) are data in the instrument file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.scoring import INSTRUMENT_DIR, InstrumentError, Result

Z_95 = 1.96


@dataclass(frozen=True)
class DimensionChange:
    dimension: str
    earlier: float
    later: float
    threshold: float

    @property
    def difference(self) -> float:
        return round(self.later - self.earlier, 3)

    @property
    def reliable(self) -> bool:
        """More than normal fluctuation: a retest alone would rarely (under 5%) move this far."""
        return abs(self.difference) > self.threshold


@dataclass(frozen=True)
class ReliableChange:
    test_retest: dict[str, float]
    sd: float
    method: str
    test_retest_source: str
    sd_source: str

    @classmethod
    def load(cls, instrument_id: str = "ecr-rs", directory: Path = INSTRUMENT_DIR) -> ReliableChange:
        path = directory / f"{instrument_id}.yml"
        try:
            spec = yaml.safe_load(path.read_text(encoding="utf-8"))["reliable_change"]
            change = cls(
                test_retest={key: float(value) for key, value in spec["test_retest"].items()},
                sd=float(spec["sd"]),
                method=" ".join(str(spec["method"]).split()),
                test_retest_source=" ".join(str(spec["test_retest_source"]).split()),
                sd_source=" ".join(str(spec["sd_source"]).split()),
            )
        except (OSError, KeyError, TypeError, ValueError, AttributeError, yaml.YAMLError) as error:
            raise InstrumentError(f"{path.name}: reliable_change: {error!r}") from None
        if not (change.sd > 0 and all(0 < r < 1 for r in change.test_retest.values())):
            raise InstrumentError(f"{path.name}: reliable_change needs sd > 0 and 0 < r < 1")
        return change

    def threshold(self, relationship: str) -> float:
        """The smallest difference (scale points) that counts as a change for this relationship."""
        r = self.test_retest[relationship]
        return round(Z_95 * math.sqrt(2) * self.sd * math.sqrt(1 - r), 2)

    def compare(self, relationship: str, earlier: Result, later: Result) -> tuple[DimensionChange, ...]:
        """Each dimension's difference between two attempts, with the threshold it is read against."""
        limit = self.threshold(relationship)
        return tuple(
            DimensionChange(dimension, getattr(earlier, dimension), getattr(later, dimension), limit)
            for dimension in ("anxiety", "avoidance")
        )
