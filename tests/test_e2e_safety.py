"""Safety end to end over REST: crisis in and out of the questionnaire, erasure from both
stores, the data export, and a scripted abuse run. Figures go to results/safety-report.json.
"""

from __future__ import annotations

import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import yaml

from bot.crisis import CrisisDetector
from bot.storage import AssessmentStore
from tests.servers import ROOT, texts

pytestmark = pytest.mark.e2e

DATA = Path(__file__).parent / "data"
HELDOUT = yaml.safe_load((DATA / "crisis_heldout.yml").read_text())
BLIND = yaml.safe_load((DATA / "crisis_blind.yml").read_text())
REPORT = ROOT / "results" / "safety-report.json"
PARTNER = '/choose_relationship{"relationship": "partner"}'
PRIVATE_MARKER = "zebra-quartz-private-sentence"

ABUSE = [
    "", " ", "\n\t  ", "a" * 10_000, "word " * 2_000, "😀😀😀", "💔" * 500, "🙂",
    "¿Qué es el apego seguro?", "Was ist eine Bindungsstörung?", "愛着スタイルとは何ですか", "ما هو التعلق",
    "\x00\x01\x02 hello \x7f\x1b[31m", "\u202eesrever", "'; DROP TABLE events; --", "1 OR 1=1",
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "{{7*7}} ${jndi:ldap://x/a}",
    "%s%s%s%n", "../../../../etc/passwd", "null", "undefined", "NaN", "-1", "0", "99999999999999999999",
    "/restart", "/nonexistent_intent", "/affirm{broken json", '/choose_relationship{"relationship": "<b>"}',
    '/explain_style_secure{"topic": 5}', "/", "//", "/" + "x" * 300, "tell me more " * 300,
]  # fmt: skip


def crisis_help(messages: list[dict]) -> bool:
    said = texts(messages)
    return "988" in said and "findahelpline.com" in said


def report(section: str, figures: dict) -> None:
    REPORT.parent.mkdir(exist_ok=True)
    current = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    REPORT.write_text(json.dumps({**current, section: figures}, indent=2))


def start_questionnaire(servers, sender: str) -> None:
    for step in ("/start_assessment", "/affirm", PARTNER):
        servers.say(sender, step)
    assert "2 of 9" in texts(servers.say(sender, "6"))


def test_every_crisis_phrasing_gets_help_outside_the_questionnaire(servers, nlp):
    phrasings = {"heldout": HELDOUT["crisis"], "blind": BLIND["crisis"]}
    missed = {
        name: [text for i, text in enumerate(items) if not crisis_help(servers.say(f"{name}{i}", text))]
        for name, items in phrasings.items()
    }
    detector = CrisisDetector(nlp)
    patterns_alone = {name: sum(map(bool, map(detector.check, items))) for name, items in phrasings.items()}
    report(
        "crisis_outside_questionnaire",
        {
            name: {"phrasings": len(items), "caught": len(items) - len(missed[name]), "missed": missed[name],
                   "caught_by_patterns_alone": patterns_alone[name]}
            for name, items in phrasings.items()
        },
    )  # fmt: skip
    assert missed == {"heldout": [], "blind": []}


def test_every_crisis_phrasing_gets_help_inside_the_questionnaire_which_pauses(servers):
    phrasings = HELDOUT["crisis"] + BLIND["crisis"]
    missed = []
    for i, text in enumerate(phrasings):
        sender = f"crisis-form-{i}"
        start_questionnaire(servers, sender)
        if not crisis_help(servers.say(sender, text)):
            missed.append(text)
    report("crisis_inside_questionnaire", {"phrasings": len(phrasings), "missed": missed})
    assert missed == []
    # the last one: the questionnaire is paused with its answer kept, and resumes on request
    said = texts(servers.say(f"crisis-form-{len(phrasings) - 1}", "resume the questionnaire"))
    assert "You have answered 1 of 9" in said and "2 of 9" in said


def test_ordinary_questions_rarely_raise_a_false_alarm(servers):
    ordinary = HELDOUT["ordinary"] + BLIND["ordinary"]
    alarms = [text for i, text in enumerate(ordinary) if crisis_help(servers.say(f"ordinary-{i}", text))]
    educational = HELDOUT.get("educational_mentions", [])
    flagged = [text for i, text in enumerate(educational) if crisis_help(servers.say(f"edu-{i}", text))]
    rate = len(alarms) / len(ordinary)
    report(
        "false_alarms",
        {"ordinary": len(ordinary), "alarms": alarms, "rate": round(rate, 3),
         "educational_mentions": len(educational), "educational_flagged": len(flagged)},
    )  # fmt: skip
    assert rate <= 0.03, alarms


def test_export_then_delete_leaves_nothing_in_either_store(servers):
    sender = "erase-me"
    start_questionnaire(servers, sender)
    servers.say(sender, f"I worry a lot, {PRIVATE_MARKER}")
    exported = texts(servers.say(sender, "/export_data"))
    data = json.loads(exported[exported.index("```") + 3 : exported.rindex("```")])
    assert data["questionnaire"]["assessments"][0]["answers"] == {"1": 6}
    assert any(PRIVATE_MARKER in (line["you_wrote"] or "") for line in data["conversation"])

    assert "Are you sure?" in texts(servers.say(sender, "please delete my data"))
    assert "deleted" in texts(servers.say(sender, "/confirm_delete"))

    with sqlite3.connect(servers.state_dir / "tracker.db") as tracker_db:
        count = "SELECT COUNT(*) FROM events WHERE "
        events_left = tracker_db.execute(count + "sender_id = ?", (sender,)).fetchone()[0]
        leaked = tracker_db.execute(count + "data LIKE ?", (f"%{PRIVATE_MARKER}%",)).fetchone()
    store = AssessmentStore(f"sqlite:///{servers.state_dir / 'iwm.sqlite3'}", key=b"e2e-test-key")
    assert (events_left, leaked[0], store.export_participant("rest", sender)) == (0, 0, None)
    store.dispose()
    report("erasure", {"tracker_events_left": events_left, "questionnaire_rows_left": 0})
    # writing again starts a new, empty conversation
    assert "haven't completed" in texts(servers.say(sender, "show my results"))


def test_abuse_gets_clear_answers_and_leaves_no_trace_in_the_logs(servers):
    def answered(sender: str, text: str) -> bool:
        response = requests.post(
            f"{servers.base_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )
        return response.status_code == 200 and any(reply.get("text") for reply in response.json())

    outside = [text for text in ABUSE if not answered("abuse-outside", text)]
    start_questionnaire(servers, "abuse-inside")
    inside = [text for text in ABUSE if not answered("abuse-inside", text)]
    # the questionnaire survived all of it: the next answer is taken as usual
    assert "3 of 9" in texts(servers.say("abuse-inside", "5"))
    with ThreadPoolExecutor(max_workers=12) as pool:  # rapid fire from one sender
        rapid = list(pool.map(lambda i: answered("abuse-rapid", f"what is attachment {i}"), range(40)))
    wrong_types = [
        requests.post(f"{servers.base_url}/webhooks/rest/webhook", data=body, timeout=30).status_code
        for body in (b"not json", b'{"sender": 5, "message": ["a"]}', b"{}")
    ]
    log = servers.log_path.read_text(errors="replace")
    report(
        "abuse",
        {"inputs": len(ABUSE), "unanswered_outside": outside, "unanswered_inside": inside,
         "rapid_fire": len(rapid), "rapid_answered": sum(rapid), "malformed_request_status": wrong_types},
    )  # fmt: skip
    assert outside == [] and inside == [] and all(rapid)
    assert all(status < 500 for status in wrong_types)
    assert requests.get(f"{servers.base_url}/", timeout=5).ok
    assert "Traceback" not in log and PRIVATE_MARKER not in log
