"""End to end over HTTP: the real servers (scripts/run.sh), the trained model, the REST channel.

Evaluates topic accuracy on the held-out questions in tests/data/heldout.yml (never used
for training), checks the dialogue contract, and measures model load time and reply latency.
A JSON report goes to results/e2e-report.json.
"""

from __future__ import annotations

import json
import statistics
import uuid
from pathlib import Path

import pytest
import yaml

from tests.servers import texts

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = yaml.safe_load((ROOT / "tests" / "data" / "heldout.yml").read_text())
# Written after the model design was settled and never looked at while tuning: 120 questions
# (2026-12-02) and 179 more by a session that never saw the training data (2026-12-05).
BLIND_SETS = [
    yaml.safe_load((ROOT / "tests" / "data" / name).read_text())
    for name in ("heldout_blind.yml", "heldout_blind2.yml")
]
BLIND = {
    "topics": {
        topic: [question for blind in BLIND_SETS for question in blind["topics"].get(topic, [])]
        for topic in {topic for blind in BLIND_SETS for topic in blind["topics"]}
    },
    "also_acceptable": {
        question: topics
        for blind in BLIND_SETS
        for question, topics in (blind.get("also_acceptable") or {}).items()
    },
}
REPORT = ROOT / "results" / "e2e-report.json"
# Guards against regressions, set below what the intent classifier measured when they were set
# (README, "Training": 156 of 160 held-out; 277 of the 299 blind, 114 of 120 and 163 of 179):
# a floor at the measured figure would fail on the first question that new training data moves.
MIN_TOPIC_ACCURACY = {"heldout": 0.95, "blind": 0.90}
MIN_CONVERSATION_ACCURACY = 0.8
MIN_COMPARE_ACCURACY = 0.75

pytestmark = pytest.mark.e2e
report: dict = {}


@pytest.fixture(scope="module")
def bot(servers):
    report["servers_ready_s"] = round(servers.ready_s, 1)
    return servers


@pytest.mark.parametrize(("name", "heldout"), [("heldout", HELDOUT), ("blind", BLIND)])
def test_heldout_topic_accuracy(bot, name, heldout):
    questions_by_topic = heldout["topics"]
    # when a newer topic took over part of an older one, its answer counts too (listed per question)
    also = heldout.get("also_acceptable") or {}
    total = correct = 0
    per_topic: dict[str, float] = {}
    misses = []
    for expected, questions in questions_by_topic.items():
        hits = 0
        for question in questions:
            sender = f"eval-{uuid.uuid4().hex}"
            replies = bot.say(sender, question)
            got = bot.tracker(sender)["slots"]["topic"]
            right = got == expected or got in also.get(question, ())
            hits += right
            if not right:
                misses.append({"question": question, "expected": expected, "got": got})
            assert replies, f"no reply to {question!r}"
        per_topic[expected] = hits / len(questions)
        total += len(questions)
        correct += hits
    accuracy = correct / total
    report[name] = {
        "topic_accuracy": round(accuracy, 3),
        "questions": total,
        "per_topic": per_topic,
        "misses": misses,
    }
    assert accuracy >= MIN_TOPIC_ACCURACY[name], f"topic accuracy {accuracy:.3f}; misses: {misses}"


def test_heldout_conversation_intents(bot):
    total = correct = 0
    misses = []
    for expected, utterances in HELDOUT["conversation"].items():
        for text in utterances:
            sender = f"eval-{uuid.uuid4().hex}"
            assert bot.say(sender, text)
            got = bot.tracker(sender)["latest_message"]["intent"]["name"]
            total += 1
            correct += got == expected
            if got != expected:
                misses.append({"text": text, "expected": expected, "got": got})
    report["conversation_accuracy"] = round(correct / total, 3)
    report["conversation_misses"] = misses
    assert correct / total >= MIN_CONVERSATION_ACCURACY, misses


def test_heldout_comparisons_name_both_concepts(bot, library):
    correct = 0
    misses = []
    for item in HELDOUT["compare"]:
        sender = f"eval-{uuid.uuid4().hex}"
        reply = texts(bot.say(sender, item["text"]))
        titles_present = all(library.get(topic_id).title in reply for topic_id in item["expected"])
        correct += titles_present
        if not titles_present:
            misses.append(item["text"])
    report["compare_accuracy"] = round(correct / len(HELDOUT["compare"]), 3)
    report["compare_misses"] = misses
    assert correct / len(HELDOUT["compare"]) >= MIN_COMPARE_ACCURACY, misses


def test_follow_ups_go_deeper_on_the_topic_explained_last(bot, library):
    sender = f"flow-{uuid.uuid4().hex}"
    topic = library.get("style-anxious")
    assert topic.summary in texts(bot.say(sender, "what does anxious preoccupied attachment mean"))
    assert topic.sections["In depth"].split("\n")[0] in texts(bot.say(sender, "tell me more"))
    assert topic.sections["Example"].split("\n")[0] in texts(bot.say(sender, "can you give me an example?"))
    assert topic.sections["Why it matters"].split("\n")[0] in texts(bot.say(sender, "why?"))
    assert bot.tracker(sender)["slots"]["topic"] == "style-anxious"


def test_buttons_are_offered_and_their_payloads_work(bot, library):
    sender = f"flow-{uuid.uuid4().hex}"
    first = bot.say(sender, "hello")
    assert "automated program" in texts(first)
    menu = bot.say(sender, "/list_topics")
    buttons = [button for message in menu for button in message.get("buttons", [])]
    assert len(buttons) == len(library)
    therapy = next(button for button in buttons if button["payload"] == "/explain_therapy")
    assert library.get("therapy").summary in texts(bot.say(sender, therapy["payload"]))
    assert bot.tracker(sender)["slots"]["topic"] == "therapy"


def test_a_questionnaires_choice_with_no_questionnaire_running_gets_the_fallback_and_the_talk_goes_on(
    bot, library
):
    """No rule covers these outside their questionnaire: the fallback answers, once, and waits."""
    sender = f"flow-{uuid.uuid4().hex}"
    for payload in ('/choose_relationship{"relationship": "partner"}', "/choose_paragraph"):
        replies = bot.say(sender, payload)
        assert len(replies) == 1 and "not sure what to do with that" in texts(replies)
    assert library.get("style-secure").summary in texts(bot.say(sender, "what is secure attachment?"))


def test_the_bot_says_it_is_a_program_and_keeps_its_boundaries(bot):
    sender = f"flow-{uuid.uuid4().hex}"
    assert "automated program" in texts(bot.say(sender, "wait am i talking to a real person?"))
    assert "doctor or pharmacist" in texts(bot.say(sender, "how much sertraline should i take"))
    assert "can't give medical" in texts(bot.say(sender, "do i have bpd"))


def test_reply_latency_and_report(bot):
    assert bot.latencies, "run after the other end-to-end tests"
    median_ms = statistics.median(bot.latencies) * 1000
    p95_ms = sorted(bot.latencies)[int(0.95 * len(bot.latencies)) - 1] * 1000
    report["rest_replies_measured"] = len(bot.latencies)
    report["median_reply_ms"] = round(median_ms, 1)
    report["p95_reply_ms"] = round(p95_ms, 1)
    REPORT.write_text(json.dumps(report, indent=2))
    assert median_ms < 500
