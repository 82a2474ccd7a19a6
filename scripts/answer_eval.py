"""A quick, automatic first judgement of answers to a labelled question set (a development aid).

    .venv/bin/python scripts/answer_eval.py tests/data/real_questions_dev.yml [results/answers-dev.json]

Parses every question with the trained NLU model in this process (no servers, the full NLU
pipeline with its crisis check and Reading), routes it as the dialogue rules would, asks the
Tutor for the answer, and marks it "A?" when the answer is
on an acceptable topic *and* of the kind wanted (the section or bank entry for that kind). It
is stricter and blunter than a person reading the reply with shared/evaluation/answer-rubric.md,
which decides the reported figures; use it to see what changed, never on the blind set.

With --kinds-left-out, each spent letter's kind is the one the kind model gives it when trained
without the letter's set (scripts/kind_cv.py): the model learnt from these very letters, and
this keeps its figure a held-out one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import ContentLibrary, topic_for_intent  # noqa: E402
from bot.embedding import shared_encoder  # noqa: E402
from bot.nlp import load_pipeline  # noqa: E402
from bot.reader import Reader  # noqa: E402
from bot.retrieval import SemanticIndex  # noqa: E402
from bot.tutor import KIND_SECTION, MAX_RATING_WORDS, STORY_WORDS, Answer, Tutor, feelings_only  # noqa: E402

ANSWERED_BY_TUTOR = {"nlu_fallback", "share_feelings", "compare_concepts"}
CRISIS_INTENTS = {"crisis", "crisis_possible"}
# Intents whose actions answer a long message as a question (actions/explain.py).
ANSWERED_WHEN_LONG = {
    "follow_up": STORY_WORDS,
    "rate_statement": MAX_RATING_WORDS + 1,
    "skip_item": MAX_RATING_WORDS + 1,
}
# The bank entries that answer each kind well enough (a specific fact answers any kind it matches).
BANK_KINDS = {
    "what": {"what", "specific"},
    "example": {"example"},
    "why": {"why", "specific"},
    "why-matters": {"why-matters", "what", "specific"},
    "what-to-do": {"what-to-do", "specific", "partner", "child", "can-change"},
    "is-this-me": {"is-this-me", "specific"},
    "partner": {"partner", "what-to-do", "specific"},
    "child": {"child", "specific", "what-to-do"},
    "can-change": {"can-change", "specific"},
    "specific": {"specific", "what", "why", "child", "partner", "can-change", "is-this-me", "what-to-do"},
    "take-test": {"take-test"},
}

# The evaluation sets were labelled with one "why" for both why it happens and why it matters.
LABELLED_AS = {"why-matters": "why"}

MODEL = ROOT / "models" / "iwm.tar.gz"
CACHE = ROOT / "results" / "nlu-parse-cache.json"


def parse_all(texts: list[str]) -> dict[str, dict]:
    """The NLU model's parse of each text, kept in a cache that lasts as long as the model."""
    stamp = str(MODEL.stat().st_mtime)
    cache = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    known = cache.get(stamp, {})
    missing = [text for text in texts if text not in known]
    if missing:
        from rasa.core.agent import Agent

        agent = Agent.load(str(MODEL))

        async def parse() -> None:
            for text in missing:
                known[text] = await agent.parse_message(text)

        asyncio.run(parse())
        CACHE.parent.mkdir(exist_ok=True)
        CACHE.write_text(json.dumps({stamp: known}))
    return known


class HeldOutKind:
    """Stands in for the kind model with the kind a model that never saw the letter gave it."""

    def __init__(self, kind: str):
        self._kind = kind

    def kind(self, *_) -> str:
        return self._kind


def held_out_kind_by_letter() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "scripts"))
    from kind_cv import held_out_kinds, spent_letters

    letters, sets, vectors = spent_letters()
    kinds = held_out_kinds(letters, sets, vectors)
    return {letter.whole: kind for letter, kind in zip(letters, kinds, strict=True)}


def judge(item: dict, answer: Answer | None) -> str:
    acceptable = {item["topic"], *(item.get("also_acceptable_topics") or [])}
    outside = answer is None or answer.via == "outside"
    if item["topic"] == "none" and (outside or answer.topic_id not in acceptable):
        # nothing the bot covered fitted when labelled; a topic written since may be acceptable
        return "A?" if outside else "C"
    if answer is None or answer.topic_id is None:
        return "C"
    if answer.topic_id not in acceptable:
        return "C"
    wanted = item["kind"]
    if answer.question is not None:
        return "A?" if answer.question.kind in BANK_KINDS[wanted] else "B"
    if answer.via == "test":
        return "A?" if wanted == "take-test" else "B"
    if wanted in KIND_SECTION:
        sections = {KIND_SECTION[kind] for kind, label in LABELLED_AS.items() if label == wanted}
        return "A?" if answer.section in {KIND_SECTION[wanted], *sections} else "B"
    return "A?" if wanted == "what" and answer.via in ("summary", "comparison") else "B"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("questions", type=Path)
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--kinds-left-out", action="store_true", help="held-out kinds for the spent letters")
    args = parser.parse_args()
    items = [item for item in yaml.safe_load(args.questions.read_text())["questions"] if not item.get("risk")]
    if "blind" in args.questions.name:
        sys.exit("the blind set is measured once, by a judge who reads the replies: scripts/ask.py")
    parsed = parse_all([item["text"] for item in items])
    library = ContentLibrary.load()
    tutor = Tutor(library)
    semantic = SemanticIndex(library, shared_encoder())
    reader = Reader.load(library, load_pipeline(), semantic)
    held_out = held_out_kind_by_letter() if args.kinds_left_out else {}
    built_kind_model = reader._kind_model
    grades: Counter = Counter()
    by_kind: dict[str, Counter] = defaultdict(Counter)
    kinds_right = 0
    details = []
    for item in items:
        result = parsed[item["text"]]
        intent = result["intent"]["name"]
        ranking = {entry["name"]: entry["confidence"] for entry in result.get("intent_ranking") or []}
        if held_out:  # a letter outside the spent sets gets the built model's reading
            known = item["text"] in held_out
            reader._kind_model = HeldOutKind(held_out[item["text"]]) if known else built_kind_model
        reading = reader.read(item["text"], ranking, intent)  # this code's reading, not the cached one
        answer = None
        if intent in CRISIS_INTENTS:  # help lines first (not judged here), then the answer if clear
            answer = tutor.answer_beside_help(reading)
        elif (topic_for_intent(intent) or intent in ANSWERED_BY_TUTOR) and not feelings_only(intent, reading):
            answer = tutor.answer(reading)
        elif intent in ANSWERED_WHEN_LONG and reading.words >= ANSWERED_WHEN_LONG[intent]:
            answer = tutor.answer(reading)  # a fresh conversation: no topic to follow up, no questionnaire
        grade = judge(item, answer)
        detected = reading.kind
        kinds_right += LABELLED_AS.get(detected, detected) == item["kind"]
        grades[grade] += 1
        by_kind[item["kind"]][grade] += 1
        details.append({"id": item["id"], "grade": grade, "kind": item["kind"], "detected_kind": detected,
                        "topic": item["topic"], "intent": intent, "via": answer.via if answer else None,
                        "answered_topic": answer.topic_id if answer else None,
                        "section": answer.section if answer else None,
                        "bank": answer.question.id if answer and answer.question else None,
                        "related": answer.related.id if answer and answer.related else None,
                        "topics": reading.topics[:3], "bank_candidates": reading.bank[:3],
                        "nearest": reading.nearest})  # fmt: skip
    total = len(items)
    print(f"{total} questions: " + ", ".join(f"{grade} {count}" for grade, count in sorted(grades.items())))
    print(f"A? share {grades['A?'] / total:.2f}; kind detected right {kinds_right}/{total}")
    for kind, counts in sorted(by_kind.items()):
        print(f"  {kind:11} " + ", ".join(f"{grade} {count}" for grade, count in sorted(counts.items())))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(details, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
