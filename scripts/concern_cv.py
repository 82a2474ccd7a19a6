"""How the concern classifier's threshold was chosen: leave one labelled set out at a time.

    .venv/bin/python scripts/concern_cv.py

The twenty spent blind crisis sets (tests/data/crisis_blind3.yml ... crisis_blind22.yml) each
hold about 32 messages that tell of control or abuse and 330 ordinary ones that only look
alarming; content/safety/concern_training.yml holds all of them but set 21 (README). For each set,
the classifier is trained as `make setup` trains it but without that set, and the set is read with the
patterns and the classifier. Printed per threshold: concerns found, ordinary messages flagged
(patterns included) and the share of people's real letters (the spent sets that content/kinds.yml lists)
flagged. Counts only, never the messages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.concerns import ConcernFinder, everyday_ordinary  # noqa: E402
from bot.embedding import shared_encoder  # noqa: E402
from bot.kind_model import spent_letter_sets  # noqa: E402
from bot.risk import spent_set_numbers  # noqa: E402
from bot.text_classifier import WordingAndMeaning  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = spent_set_numbers()  # the same sets the concern file holds, and set 21
THRESHOLDS = (0.5, 0.55, 0.6, 0.62, 0.65, 0.7, 0.8)


def labelled_sets() -> dict[int, tuple[list[str], list[str]]]:
    def text(item: str | dict) -> str:
        return item if isinstance(item, str) else item["text"]

    sets = {}
    for number in SETS:
        spec = yaml.safe_load((DATA / f"crisis_blind{number}.yml").read_text(encoding="utf-8"))
        sets[number] = (
            [text(item) for item in spec["safety_concern"]],
            [text(item) for item in spec["ordinary"]],
        )
    return sets


def real_letters() -> list[str]:
    return [
        item["text"]
        for path in spent_letter_sets()  # a blind set only once measured
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
        if not item.get("risk")
    ]


def verdicts(
    classifier: WordingAndMeaning,
    patterns: ConcernFinder,
    vectors: dict[str, np.ndarray],
    batch: list[str],
    threshold: float,
) -> list[bool]:
    """Whether the patterns or the classifier at `threshold` find a concern, per message."""
    probabilities = classifier.probabilities(batch, np.array([vectors[text] for text in batch]))
    return [
        probability >= threshold or patterns.found(text, vectors[text])
        for text, probability in zip(batch, probabilities, strict=True)
    ]


def main() -> int:
    sets, letters, everyday = labelled_sets(), real_letters(), everyday_ordinary()
    texts = sorted(
        {text for concerns, ordinary in sets.values() for text in concerns + ordinary} | {*letters, *everyday}
    )
    vectors = dict(zip(texts, shared_encoder().encode_many(texts), strict=True))
    patterns = ConcernFinder.load(model=None)
    found, flagged, letters_flagged = (
        {t: [] for t in THRESHOLDS},
        {t: 0 for t in THRESHOLDS},
        {t: [] for t in THRESHOLDS},
    )
    for left_out, (concerns, ordinary) in sets.items():
        positive = [text for number, (c, _) in sets.items() if number != left_out for text in c]
        negative = [text for number, (_, o) in sets.items() if number != left_out for text in o] + everyday
        classifier = WordingAndMeaning.train(
            positive, negative, np.array([vectors[t] for t in positive + negative])
        )

        for threshold in THRESHOLDS:
            found[threshold].append(sum(verdicts(classifier, patterns, vectors, concerns, threshold)))
            flagged[threshold] += sum(verdicts(classifier, patterns, vectors, ordinary, threshold))
            shares = sum(verdicts(classifier, patterns, vectors, letters, threshold)) / len(letters)
            letters_flagged[threshold].append(shares)
    total_concerns = sum(len(c) for c, _ in sets.values())
    total_ordinary = sum(len(o) for _, o in sets.values())
    by_patterns = sum(patterns.found(t, vectors[t]) for c, _ in sets.values() for t in c)
    print(f"patterns alone: {by_patterns}/{total_concerns} concerns")
    for threshold in THRESHOLDS:
        print(
            f"threshold {threshold}: concerns {sum(found[threshold])}/{total_concerns} "
            f"(per left-out set {min(found[threshold])} to {max(found[threshold])}), ordinary flagged "
            f"{flagged[threshold]}/{total_ordinary}, "
            f"real letters flagged {np.mean(letters_flagged[threshold]):.1%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
