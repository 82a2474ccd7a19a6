"""How the risk classifier's thresholds were chosen: leave one spent set out at a time.

    .venv/bin/python scripts/risk_cv.py [--no-sets]

content/safety/risk_training.yml holds, besides the examples written for it, the risk messages
(not the long-preamble ones) and the ordinary ones that only look alarming of the spent blind
crisis sets 3 to 24 (tests/data/crisis_blind3.yml ...), 110 and 330 each. For each set, the risk
classifier is trained as `make setup` trains it but without that set (`--no-sets`: without any,
as before 2026-12-05), and the whole set is read by the whole crisis check
(bot/rasa_ext/crisis_check.py: patterns, classifier, means and time) at each combination of its
thresholds. Also read, with the same fold's classifier: people's real letters
(the spent sets that content/kinds.yml lists), ordinary and risk. Printed per combination, summed over the
left-out sets: risks helped and with full support, explicit plans without full support, risks
missed by category, ordinary messages given full support or the check-in, real letters given
either. Counts only, never the messages.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from functools import cache
from itertools import product
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from bot.crisis import CrisisDetector  # noqa: E402
from bot.embedding import shared_encoder  # noqa: E402
from bot.kind_model import spent_letter_sets  # noqa: E402
from bot.nlp import load_pipeline  # noqa: E402
from bot.rasa_ext.crisis_check import CRISIS_INTENT, POSSIBLE_CRISIS_INTENT, CrisisCheck  # noqa: E402
from bot.rasa_ext.reader import VECTOR_KEY  # noqa: E402
from bot.risk import RiskModel, spent_set_numbers, training_messages  # noqa: E402
from bot.text_classifier import WordingAndMeaning  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = spent_set_numbers()
WHOLE_THRESHOLDS = (0.55, 0.6)
SENTENCE_THRESHOLDS = (0.62, 0.7)
FULL_SUPPORT_THRESHOLDS = (1.01, 0.85, 0.8)  # 1.01: never on the classifier alone
PERHAPS_PAST_THRESHOLDS = (0.0, 0.2)  # 0.0: full support, as a crisis told as now
TOLD_NOW_THRESHOLDS = (0.06, 0.15, 0.25)  # 0.0: the patterns alone decide
PAST_CHECK_IN_THRESHOLDS = (0.0, 0.1, 0.2)  # 0.0: a past wording always earns the check-in
CONFIG_KEYS = (  # bot.rasa_ext.crisis_check.CrisisCheck's, in the order of the grids above
    "check_in_threshold",
    "sentence_check_in_threshold",
    "full_support_threshold",
    "perhaps_past_full_support_threshold",
    "told_now_full_support_threshold",
    "perhaps_past_check_in_threshold",
)


def spent_sets() -> dict[int, dict[str, list[dict]]]:
    return {
        number: yaml.safe_load((DATA / f"crisis_blind{number}.yml").read_text(encoding="utf-8"))
        for number in SETS
    }


def real_letters() -> tuple[list[str], list[str]]:
    """People's real letters: (risk, ordinary)."""
    items = [
        item
        for path in spent_letter_sets()  # a blind set only once measured
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    ]
    return [i["text"] for i in items if i.get("risk")], [i["text"] for i in items if not i.get("risk")]


class CachingEncoder:
    """The shared encoder, each text embedded once across all folds."""

    def __init__(self) -> None:
        self._encoder = shared_encoder()
        self._vectors: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        missing = sorted({text for text in texts if text not in self._vectors})
        if missing:
            self._vectors.update(zip(missing, self._encoder.encode_many(missing), strict=True))
        return np.array([self._vectors[text] for text in texts])

    encode_many = encode


class RememberingRisk(RiskModel):
    """A fold's risk model that reads each text once, whatever thresholds are tried."""

    @cache  # noqa: B019 (one model per fold, dropped with it)
    def probability(self, text: str, vector: object = None) -> float:
        return super().probability(text, None)

    def highest_sentence_probability(self, text: str, at_least: float = 0.0) -> float:
        return self._exact_highest_sentence_probability(text)  # exact, whatever threshold is tried

    @cache  # noqa: B019
    def _exact_highest_sentence_probability(self, text: str) -> float:
        return super().highest_sentence_probability(text)


class RememberingDetector(CrisisDetector):
    @cache  # noqa: B019
    def check(self, text: str):  # type: ignore[override]
        return super().check(text)


def tier(check: CrisisCheck, text: str) -> str:
    [message] = check.process([Message(data={TEXT: text, VECTOR_KEY: None})])
    intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
    return {CRISIS_INTENT: "support", POSSIBLE_CRISIS_INTENT: "check-in"}.get(intent, "none")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--no-sets", action="store_true", help="train without any spent set")
    args = parser.parse_args()
    sets, (risk_letters, ordinary_letters) = spent_sets(), real_letters()
    encoder = CachingEncoder()
    detector = RememberingDetector(load_pipeline())
    combinations = list(
        product(
            WHOLE_THRESHOLDS,
            SENTENCE_THRESHOLDS,
            FULL_SUPPORT_THRESHOLDS,
            PERHAPS_PAST_THRESHOLDS,
            TOLD_NOW_THRESHOLDS,
            PAST_CHECK_IN_THRESHOLDS,
        )
    )
    counts: dict[tuple[float, ...], Counter] = {thresholds: Counter() for thresholds in combinations}
    for left_out in SETS:
        data = training_messages(sets=() if args.no_sets else set(SETS) - {left_out})
        classifier = WordingAndMeaning.train(
            data.risk, data.ordinary, encoder.encode(data.risk + data.ordinary)
        )
        model = RememberingRisk(classifier, encoder)  # type: ignore[arg-type]
        read = {
            "risk": [(item["text"], item) for item in sets[left_out]["risk"]],
            "ordinary": [(item["text"], item["category"]) for item in sets[left_out]["ordinary"]],
            "risk letter": [(text, None) for text in risk_letters],
            "ordinary letter": [(text, None) for text in ordinary_letters],
        }
        for thresholds in combinations:
            config = dict(zip(CONFIG_KEYS, thresholds, strict=True))
            check = CrisisCheck(config, detector, model)
            tally = counts[thresholds]
            for section, messages in read.items():
                for text, label in messages:
                    got = tier(check, text)
                    tally[(section, got)] += 1
                    if section == "risk" and label.get("explicit") and got != "support":
                        tally["explicit without support"] += 1
                    if section == "risk" and got == "none":
                        tally[("missed", label["category"])] += 1
                    if section == "ordinary" and got == "support":
                        tally[("ordinary support", label)] += 1
        print(f"set {left_out} done", file=sys.stderr, flush=True)
    folds = len(SETS)
    for thresholds, tally in counts.items():
        risks = sum(tally[("risk", got)] for got in ("support", "check-in", "none"))
        ordinary = sum(tally[("ordinary", got)] for got in ("support", "check-in", "none"))
        letters = sum(tally[("ordinary letter", got)] for got in ("support", "check-in", "none"))
        risk_letters_total = sum(tally[("risk letter", got)] for got in ("support", "check-in", "none"))
        print(
            f"{' '.join(map(str, thresholds))}: risks helped "
            f"{risks - tally[('risk', 'none')]}/{risks} (support {tally[('risk', 'support')]}), "
            f"explicit without support {tally['explicit without support']}; ordinary support "
            f"{tally[('ordinary', 'support')]}/{ordinary} check-in {tally[('ordinary', 'check-in')]}; "
            f"real letters (each read {folds} times) ordinary support "
            f"{tally[('ordinary letter', 'support')]} check-in {tally[('ordinary letter', 'check-in')]}"
            f"/{letters}, risk helped "
            f"{risk_letters_total - tally[('risk letter', 'none')]}/{risk_letters_total}; missed "
            f"{ {key[1]: n for key, n in tally.items() if key[0] == 'missed'} }; ordinary with full "
            f"support {[f'{key[1]} {n}' for key, n in tally.items() if key[0] == 'ordinary support']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
