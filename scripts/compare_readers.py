"""How well each way of finding a message's topic does, alone and combined (a development aid).

    .venv/bin/python scripts/compare_readers.py

The Reader (bot/reader.py) adds three sources per topic: the intent classifier's confidence
(DIET), the similarity-weighted vote of the nearest training examples in sentence-embedding
space, and BM25 over the content (bm25s). This prints topic accuracy (the right topic first,
and among the first three) for each source alone and for a few weightings, on the real
questions of the development set and on the textbook held-out questions. It parses with the
trained model in this process (cached like scripts/answer_eval.py) and never reads the blind set.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import ContentLibrary  # noqa: E402
from bot.embedding import shared_encoder  # noqa: E402
from bot.focus import FocusFinder  # noqa: E402
from bot.nlp import load_pipeline  # noqa: E402
from bot.reader import WEIGHTS, Reader  # noqa: E402
from bot.retrieval import SemanticIndex  # noqa: E402
from scripts.answer_eval import parse_all  # noqa: E402

DATA = ROOT / "tests" / "data"
COMBINATIONS = {
    "classifier (DIET) alone": {"classifier": 1.0},
    "BM25 alone": {"lexical": 1.0},
    "embeddings (nearest examples) alone": {"semantic": 1.0},
    "DIET + 0.5 BM25": {"classifier": 1.0, "lexical": 0.5},
    "DIET + embeddings": {"classifier": 1.0, "semantic": 1.0},
    "DIET + embeddings + 0.2 BM25 (chosen)": WEIGHTS,
}


def real_questions() -> list[tuple[str, set[str]]]:
    items = yaml.safe_load((DATA / "real_questions_dev.yml").read_text())["questions"]
    return [
        (item["text"], {item["topic"], *(item.get("also_acceptable_topics") or [])})
        for item in items
        if not item.get("risk") and item["topic"] != "none"
    ]


def textbook_questions() -> list[tuple[str, set[str]]]:
    heldout = yaml.safe_load((DATA / "heldout.yml").read_text())
    also = heldout.get("also_acceptable") or {}
    return [
        (question, {topic_id, *also.get(question, ())})
        for topic_id, questions in heldout["topics"].items()
        for question in questions
    ]


def main() -> int:
    library = ContentLibrary.load()
    focus_finder = FocusFinder.load()
    semantic = SemanticIndex(library, shared_encoder())
    reader = Reader.load(library, load_pipeline(), semantic)
    for name, questions in (
        ("real questions, dev", real_questions()),
        ("textbook held-out", textbook_questions()),
    ):
        parsed = parse_all([text for text, _ in questions])
        signals = []
        for text, _ in questions:
            ranking = {
                entry["name"]: entry["confidence"] for entry in parsed[text].get("intent_ranking") or []
            }
            focus = focus_finder.focus(text)
            found, _ = reader.topic_signals(focus.asking, focus.whole, reader.vector(focus.whole), ranking)
            signals.append(found)
        print(f"\n{name} ({len(questions)})")
        for label, weights in COMBINATIONS.items():
            first = among_three = 0
            for (_, acceptable), found in zip(questions, signals, strict=True):
                scores = {
                    topic.id: sum(
                        weight * found[source].get(topic.id, 0.0) for source, weight in weights.items()
                    )
                    for topic in library
                }
                ranked = sorted(scores, key=scores.__getitem__, reverse=True)
                first += ranked[0] in acceptable
                among_three += bool(set(ranked[:3]) & acceptable)
            total = len(questions)
            print(f"  {label:40} first {first / total:.3f} ({first})   top three {among_three / total:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
