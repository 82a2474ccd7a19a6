"""How well the learnt reading of the kind does on letters it never saw: leave one set out at a time.

    .venv/bin/python scripts/kind_cv.py

For each spent set of real letters that content/kinds.yml lists, the kind model is trained as
`make setup` trains it but without that set, and the set's letters are read with it. Printed:
letters whose kind was found by the rules alone and by the rules with the model, by how long the
letter is, and for three strengths of regularisation. Counts only, never the letters.
(scripts/answer_eval.py --kinds-left-out grades the answers with these held-out readings.)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import kind_model  # noqa: E402
from bot.embedding import shared_encoder  # noqa: E402
from bot.focus import FocusFinder  # noqa: E402
from bot.kind_model import KindModel, Letter, features, labelled_letters, letter_vectors, spent_letter_sets  # noqa: E402
from bot.kinds import KindDetector  # noqa: E402

LENGTHS = ((0, 12), (12, 25), (25, 50), (50, 100), (100, 10_000))


def spent_letters() -> tuple[list[Letter], np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Every spent letter, the number of its set, and its asking and whole embeddings."""
    numbered = labelled_letters(spent_letter_sets(), FocusFinder.load(), KindDetector.load())
    letters = [letter for _, letter in numbered]
    return letters, np.array([number for number, _ in numbered]), letter_vectors(letters, shared_encoder())


def held_out_kinds(
    letters: list[Letter], sets: np.ndarray, vectors: tuple[np.ndarray, np.ndarray]
) -> list[str]:
    """The kind a model trained without its set gives each letter."""
    askings, wholes = vectors
    rows = features(askings, wholes, [letter.rules_kind for letter in letters])
    kinds = np.array([letter.kind for letter in letters])
    words = [len(letter.whole.split()) for letter in letters]
    found = [""] * len(letters)
    for number in np.unique(sets):
        model = KindModel.train(rows[sets != number], list(kinds[sets != number]))
        for index in np.flatnonzero(sets == number):
            found[index] = model.kind(letters[index].rules_kind, askings[index], wholes[index], words[index])
    return found


def main() -> int:
    letters, sets, vectors = spent_letters()
    for regularisation in (0.3, 1.0, 3.0):
        kind_model.REGULARISATION = regularisation
        found = held_out_kinds(letters, sets, vectors)
        rules_right = [letter.rules_kind == letter.kind for letter in letters]
        right = [kind == letter.kind for letter, kind in zip(letters, found, strict=True)]
        print(f"C={regularisation}: {len(letters)} letters, kind right: rules {sum(rules_right)}, "
              f"rules with the model {sum(right)}")  # fmt: skip
    for low, high in LENGTHS:
        chosen = [i for i, letter in enumerate(letters) if low <= len(letter.whole.split()) < high]
        print(f"  {low}-{high} words: {len(chosen)} letters, rules {sum(rules_right[i] for i in chosen)}, "
              f"with the model {sum(right[i] for i in chosen)}")  # fmt: skip
    mistakes = Counter(
        (letter.kind, kind) for letter, kind in zip(letters, found, strict=True) if letter.kind != kind
    )
    print("most common (labelled, read as):", mistakes.most_common(8))
    return 0


if __name__ == "__main__":
    sys.exit(main())
