"""The medical-advice boundary: what to do with a medicine is a question for a doctor or pharmacist.

An attachment topic card in reply to "can I double my antidepressant?" would read as an answer
it is not. A message that names a medicine (content/safety/medical.yml, `medicines`) and asks
what to do with it (`advice`) is routed to that boundary before any topic is chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content import CONTENT_DIR, any_of, plain_apostrophes

MEDICAL_FILE = CONTENT_DIR / "safety" / "medical.yml"


@dataclass(frozen=True)
class MedicalBoundary:
    medicines: re.Pattern | None
    advice: re.Pattern | None

    @classmethod
    def load(cls, path: Path = MEDICAL_FILE) -> MedicalBoundary:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(any_of(spec["medicines"]), any_of(spec["advice"]))

    def asks_medical_advice(self, text: str) -> bool:
        """Whether the message asks what to do about a medicine (take, change, stop, mix, how much)."""
        normal = plain_apostrophes(text)
        found = [pattern and pattern.search(normal) for pattern in (self.medicines, self.advice)]
        return all(found)
