"""The help the bot offers when a message may be a crisis.

The services are data (content/safety/resources.yml), so each deployment can list
its own (IWM_CRISIS_RESOURCES). Kept apart from the spaCy detector so the action
server, which only sends these messages, never loads spaCy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

RESOURCES_FILE = Path(__file__).resolve().parent.parent / "content" / "safety" / "resources.yml"


@dataclass(frozen=True)
class CrisisResources:
    intro: str
    resources: list[dict]
    closing: str
    check_in: str
    concern: str
    concern_resources: list[dict]

    @classmethod
    def load(cls, path: Path | None = None) -> CrisisResources:
        path = path or Path(os.environ.get("IWM_CRISIS_RESOURCES") or RESOURCES_FILE)
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            spec["intro"].strip(),
            list(spec["resources"]),
            spec["closing"].strip(),
            spec["check_in"].strip(),
            (spec.get("concern") or spec["check_in"]).strip(),
            list(spec.get("concern_resources") or spec["resources"]),
        )

    def message(self, assessment_paused: bool) -> str:
        """Who to contact, in Markdown; mentions the questionnaire only if one was paused."""
        lines = [self.intro, "", self._services()]
        if assessment_paused:
            lines += ["", self.closing]
        return "\n".join(lines)

    def check_in_message(self) -> str:
        """For a message that only might be a crisis: ask gently, list the same services."""
        return f"{self.check_in}\n\n{self._services()}"

    def concern_message(self) -> str:
        """For a message describing control or abuse by someone close: a clear word and the abuse lines."""
        return f"{self.concern}\n\n{_listed(self.concern_resources)}"

    def _services(self) -> str:
        return _listed(self.resources)


def _listed(services: list[dict]) -> str:
    return "\n".join(f"- **{item['region']}:** {item['text'].strip()}" for item in services)
