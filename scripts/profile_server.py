"""Where a message's time goes in the Rasa server: py-spy samples it under the bench load.

    .venv/bin/python scripts/profile_server.py [results]    # or: make profile

Starts our stack as `make run` does, drives it with the bench conversation (20 people at once,
three rounds), and samples the Rasa server's Python stacks with py-spy meanwhile (idle threads
left out). Each stage's share is the fraction of busy samples whose stack passes through it, so
nested stages overlap (the NLU pipeline contains the intent classifier). Writes profile.json and the raw
collapsed stacks (profile-raw.txt, for a flame graph tool).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import CONVERSATION, many_at_once  # noqa: E402

from tests.servers import Servers  # noqa: E402

PY_SPY = str(ROOT / ".venv" / "bin" / "py-spy")
RATE_HZ = 200
# A stage is recognised by a file (and function) its frames pass through.
STAGES = {
    "NLU pipeline, all components": "rasa/core/processor.py:parse_message",
    "  intent classifier (ours, or DIET with config-diet.yml)": (
        "bot/rasa_ext/intent_classifier.py|rasa/nlu/classifiers/diet_classifier.py"
    ),
    "  featurizers (count vectors, lexical, regex)": "rasa/nlu/featurizers/",
    "  spaCy tokenizer and pipeline": "rasa/nlu/utils/spacy_utils.py",
    "  sentence embedding (MiniLM in numpy; in the intent classifier, or the Reader's)": "bot/embedding.py",
    "  Reader: topic and bank scores": "bot/rasa_ext/reader.py",
    "    kinds of question, focus": "bot/kinds.py|bot/focus.py",
    "  crisis check (patterns + risk classifier)": "bot/rasa_ext/crisis_check.py",
    "  medical-advice check": "bot/rasa_ext/medical_check.py",
    "next action: policies": "rasa/core/processor.py:_predict_next_with_tracker",
    "  rule and memoization policies": "rasa/core/policies/rule_policy.py|rasa/core/policies/memoization.py",
    "tracker store (SQL)": "rasa/core/tracker_store.py",
    "  SQLAlchemy": "sqlalchemy/",
    "custom action calls (HTTP client)": "rasa/core/actions/action.py",
    "lock store": "rasa/core/lock_store.py",
    "TensorFlow (any caller)": "tensorflow/",
}


def collapsed_stacks(path: Path) -> Counter:
    stacks: Counter = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            stacks[stack] += int(count)
    return stacks


def in_stage(stack: str, markers: str) -> bool:
    # frames read "function (path/to/file.py:line)"; a marker is a path part or "file:function"
    frames = stack.split(";")
    for marker in markers.split("|"):
        path, _, function = marker.partition(":")
        for frame in frames:
            if path in frame and (not function or frame.startswith(f"{function} ")):
                return True
    return False


def shares(stacks: Counter) -> dict[str, float]:
    total = sum(stacks.values())
    return {
        stage: round(sum(n for stack, n in stacks.items() if in_stage(stack, markers)) / total, 3)
        for stage, markers in STAGES.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "results")
    parser.add_argument("--crowd", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    raw = args.out / "profile-raw.txt"
    with tempfile.TemporaryDirectory(prefix="iwm-profile-") as scratch:
        ours = Servers(Path(scratch), "profile-servers.log")
        ours.start()
        try:
            ours.say("profile-warm-up", "hello")
            spy = subprocess.Popen(
                [PY_SPY, "record", "--pid", str(ours.pid_of("bot.rasa_ext.server")), "--rate", str(RATE_HZ),
                 "--format", "raw", "--output", str(raw), "--nonblocking"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            throughput = [many_at_once(ours.say, args.crowd)[1] for _ in range(args.rounds)]
            spy.send_signal(subprocess.signal.SIGINT)
            spy.wait(timeout=60)
        finally:
            ours.stop()
    stacks = collapsed_stacks(raw)
    figures = {
        "busy_samples": sum(stacks.values()),
        "rate_hz": RATE_HZ,
        "messages": args.crowd * args.rounds * len(CONVERSATION),
        "throughput_msg_per_s": [round(value, 1) for value in throughput],
        "share_of_busy_samples": shares(stacks),
    }
    (args.out / "profile.json").write_text(json.dumps(figures, indent=1))
    for stage, share in figures["share_of_busy_samples"].items():
        print(f"{share:6.1%}  {stage}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
