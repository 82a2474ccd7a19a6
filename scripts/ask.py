"""Put every question of an evaluation set to a private copy of the bot and keep its first replies.

    .venv/bin/python scripts/ask.py tests/data/real_questions_dev.yml results/replies-dev.json

Each question goes to a fresh conversation (a follow-up goes to the conversation of the question
it follows). The output holds, per question, the bot's replies as a person would see them:
text, button titles, and whether a picture came; a judge reads them against the rubric in
shared/evaluation/answer-rubric.md. Nothing is judged here, so a blind set can be run
without anyone reading it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import Servers  # noqa: E402  (the repository root must be importable first)


def shown(replies: list[dict]) -> dict:
    return {
        "text": "\n\n".join(reply["text"] for reply in replies if reply.get("text")),
        "buttons": [button["title"] for reply in replies for button in reply.get("buttons") or []],
        "picture": any(reply.get("image") for reply in replies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("questions", type=Path, help="a YAML file with a `questions:` list of {id, text}")
    parser.add_argument("out", type=Path, help="where to write the replies (JSON)")
    args = parser.parse_args()
    questions = yaml.safe_load(args.questions.read_text())["questions"]
    with tempfile.TemporaryDirectory() as state:
        servers = Servers(Path(state), f"ask-{args.out.stem}-servers.log")
        servers.start()
        try:
            answers = []
            for question in questions:
                sender = f"ask-{uuid.uuid4().hex[:12]}"
                started = time.perf_counter()
                first = servers.say(sender, question["text"])
                entry = {"id": question["id"], "reply": shown(first),
                         "reply_ms": round((time.perf_counter() - started) * 1000)}  # fmt: skip
                if question.get("follow_up"):
                    entry["follow_up_reply"] = shown(servers.say(sender, question["follow_up"]))
                answers.append(entry)
        finally:
            servers.stop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(answers, indent=1, ensure_ascii=False))
    print(f"{len(answers)} replies written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
