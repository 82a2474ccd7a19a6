"""Two Rasa replicas behind HAProxy, sharing PostgreSQL and a Redis lock store (scripts/cluster.py).

Each conversation starts a questionnaire (three turns), then sends its seven answers in
overlapping pairs: the second message 50 ms after the first, so the two usually reach different
replicas while the first is being handled. With Redis locks the two are handled one after the
other, in the order the replicas took them: every message and every reply is stored once, the
replies in the order of the messages they answer, and every answer once. The same traffic with
each replica's own in-memory lock shows what the Redis lock prevents, so the check is known to
be able to fail.
"""

from __future__ import annotations

import json
import secrets
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
import redis

from tests.servers import MEASUREMENT_RATE_LIMIT, ROOT, free_port

sys.path.insert(0, str(ROOT / "scripts"))
from cluster import Cluster, Settings, drop_database

pytestmark = pytest.mark.e2e
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
PARTNER = '/choose_relationship{"relationship": "partner"}'
START = ("can you quiz me on my attachment style?", "/affirm", PARTNER)  # one at a time
PAIRS = (("7", "6"), ("5", "4"), ("3", "2"), ("1",))  # sent overlapping
TURNS = START + sum(PAIRS, ())
AT_ONCE = 8  # conversations in flight together
REPORT = ROOT / "results" / "cluster-report.json"


def run_cluster(tmp_path, lock_store: str, conversations: int) -> tuple[dict, dict, list]:
    """Start a private cluster, hold the conversations, return what each person was sent, what
    the tracker store holds per conversation, and every stored answer; then remove it all."""
    database, prefix = f"iwm_cluster_{uuid.uuid4().hex[:8]}", f"iwmtest{uuid.uuid4().hex[:8]}"
    rest_token = secrets.token_hex(16)
    settings = Settings(
        replicas=2, action_servers=1, port=free_port(), postgres_url=POSTGRES, database=database,
        lock_prefix=prefix, lock_store=lock_store, state_dir=tmp_path,
        env={"IWM_REST_TOKEN": rest_token, "IWM_RATE_LIMIT": MEASUREMENT_RATE_LIMIT},
    )  # fmt: skip
    cluster = Cluster(settings)

    def say(sender: str, text: str) -> list[str]:
        return [message.get("text", "") for message in cluster.say(sender, text)]

    def converse(sender: str) -> dict[str, list[str]]:
        """What the person was sent in reply to each of their messages."""
        replies = {text: say(sender, text) for text in START}
        with ThreadPoolExecutor(max_workers=2) as pair:
            for texts in PAIRS:
                pending = []
                for text in texts:
                    pending.append((text, pair.submit(say, sender, text)))
                    time.sleep(0.05)
                replies.update((text, future.result()) for text, future in pending)
        return replies

    try:
        cluster.start()
        senders = [f"cluster-{uuid.uuid4().hex}" for _ in range(conversations)]
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            sent = dict(zip(senders, pool.map(converse, senders), strict=True))
        cluster.stop()
        with psycopg2.connect(f"{POSTGRES}/{database}") as connection, connection.cursor() as cursor:
            cursor.execute("SELECT sender_id, type_name, data FROM events ORDER BY id")
            stored: dict[str, list[tuple[str, str]]] = {sender: [] for sender in senders}
            for sender, kind, data in cursor.fetchall():
                if kind in ("user", "bot"):
                    stored[sender].append((kind, json.loads(data).get("text") or ""))
            cursor.execute("SELECT run_id, item_number, value FROM answers ORDER BY run_id, item_number")
            answers = cursor.fetchall()
        return sent, stored, answers
    finally:
        cluster.stop()
        drop_database(settings)
        red = redis.Redis(host="127.0.0.1", port=6379, db=settings.redis_db)
        for key in red.scan_iter(f"{prefix}*"):
            red.delete(key)


def conversations_kept_whole(sent: dict, stored: dict) -> list[str]:
    """The senders whose stored conversation is what happened: every message once, and after
    each one the replies the person received for it (the two of a pair in either order)."""
    whole = []
    for sender, replies in sent.items():
        users = [text for kind, text in stored[sender] if kind == "user"]
        bots = [text for kind, text in stored[sender] if kind == "bot"]
        in_order = sorted(users) == sorted(TURNS) and users[: len(START)] == list(START)
        if in_order and bots == [reply for text in users for reply in replies[text]]:
            whole.append(sender)
    return whole


def answers_by_run(answers: list) -> dict[int, list[tuple[int, int]]]:
    runs: dict[int, list[tuple[int, int]]] = {}
    for run_id, item, value in answers:
        runs.setdefault(run_id, []).append((item, value))
    return runs


def answered_once(items: list[tuple[int, int]]) -> bool:
    """Items 1-7 once each, with the seven answers given (two of a pair may have swapped places)."""
    return [item for item, _ in items] == list(range(1, 8)) and sorted(v for _, v in items) == list(
        range(1, 8)
    )


def figures(sent: dict, stored: dict, answers: list) -> dict:
    overlapping = [texts for texts in PAIRS if len(texts) == 2]
    swapped = 0
    for sender in sent:
        users = [text for kind, text in stored[sender] if kind == "user"]
        swapped += sum(
            1 for first, second in overlapping if first in users and second in users
            and users.index(second) < users.index(first)
        )  # fmt: skip
    runs = answers_by_run(answers)
    return {
        "conversations": len(sent),
        "messages_sent": len(sent) * len(TURNS),
        "overlapping_pairs_sent": len(sent) * len(overlapping),
        "pairs_handled_in_the_other_order": swapped,
        "user_and_bot_events_checked": sum(len(events) for events in stored.values()),
        "conversations_kept_whole": len(conversations_kept_whole(sent, stored)),
        "questionnaire_runs": len(runs),
        "runs_with_each_answer_once": sum(answered_once(items) for items in runs.values()),
    }


def report(section: str, found: dict) -> None:
    REPORT.parent.mkdir(exist_ok=True)
    current = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    REPORT.write_text(json.dumps({**current, section: found}, indent=2))


def test_two_replicas_with_redis_locks_keep_every_conversation_whole_and_in_order(tmp_path):
    found = figures(*run_cluster(tmp_path, "redis", conversations=40))
    report("redis_lock_store", found)
    assert found["conversations_kept_whole"] == 40
    assert found["questionnaire_runs"] == found["runs_with_each_answer_once"] == 40


def test_without_the_shared_lock_the_same_traffic_loses_or_reorders_conversations(tmp_path):
    found = figures(*run_cluster(tmp_path, "in_memory", conversations=12))
    report("in_memory_lock_store", found)
    damaged = found["conversations_kept_whole"] < 12 or found["runs_with_each_answer_once"] < 12
    assert damaged or found["questionnaire_runs"] != 12
