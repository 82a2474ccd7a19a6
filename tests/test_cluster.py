"""Two Rasa replicas behind HAProxy, sharing PostgreSQL and a Redis lock store (scripts/cluster.py).

Each conversation starts a questionnaire (three turns), then sends its seven answers in
overlapping pairs: the second message 50 ms after the first, so the two usually reach different
replicas while the first is being handled. With Redis locks the two are handled one after the
other, in the order the replicas took them: every message and every reply is stored once, the
replies in the order of the messages they answer, and every answer once. The same traffic with
each replica's own in-memory lock shows what the Redis lock prevents, so the check is known to
be able to fail. A replica killed in the middle of questionnaires leaves the other to carry
them on from where they were. And while Redis or PostgreSQL is down (a private server of the
test's own, stopped and started again), every channel says "try again in a moment" and nothing
stored is lost.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import psycopg2
import pytest
import redis

from tests.fake_telegram import FakeTelegram
from tests.servers import MEASUREMENT_RATE_LIMIT, ROOT, free_port
from tests.test_telegram import with_bridge
from tests.test_webchat import chat_on_demo_page, send

sys.path.insert(0, str(ROOT / "scripts"))
from cluster import Cluster, Settings, drop_database
from playwright.sync_api import Locator, Page, expect

from bot.channels import TEMPORARILY_UNAVAILABLE

pytestmark = pytest.mark.e2e
SHARED_POSTGRES = "postgresql://postgres@127.0.0.1:5432"
SHARED_REDIS = 6379
PARTNER = '/choose_relationship{"relationship": "partner"}'
START = ("can you quiz me on my attachment style?", "/affirm", PARTNER)  # one at a time
PAIRS = (("7", "6"), ("5", "4"), ("3", "2"), ("1",))  # sent overlapping
TURNS = START + sum(PAIRS, ())
AT_ONCE = 8  # conversations in flight together
REPORT = ROOT / "results" / "cluster-report.json"


@contextmanager
def private_cluster(
    tmp_path, lock_store: str = "redis", redis_port: int = SHARED_REDIS, postgres_url: str = SHARED_POSTGRES
) -> Iterator[Cluster]:
    """Two replicas and one action server with their own database and lock keys, removed after."""
    settings = Settings(
        replicas=2, action_servers=1, port=free_port(), postgres_url=postgres_url, redis_port=redis_port,
        database=f"iwm_cluster_{uuid.uuid4().hex[:8]}", lock_prefix=f"iwmtest{uuid.uuid4().hex[:8]}",
        lock_store=lock_store, state_dir=tmp_path,
        env={"IWM_REST_TOKEN": secrets.token_hex(16), "IWM_RATE_LIMIT": MEASUREMENT_RATE_LIMIT},
    )  # fmt: skip
    cluster = Cluster(settings)
    try:
        cluster.start()
        yield cluster
    except Exception:
        for log in sorted(cluster.folder.glob("*.log")):  # shown by pytest beside the failure
            last_lines = log.read_text(errors="replace").splitlines()[-40:]
            print(f"--- the end of {log.name} ---", *last_lines, sep="\n")
        raise
    finally:
        cluster.stop()
        drop_database(settings)
        if redis_port == SHARED_REDIS:  # a private Redis goes with its keys
            red = redis.Redis(host="127.0.0.1", port=redis_port, db=settings.redis_db)
            for key in red.scan_iter(f"{settings.lock_prefix}*"):
                red.delete(key)


class PrivateRedis:
    """A Redis server of the test's own, without persistence, to stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def cluster_settings(self) -> dict:
        return {"redis_port": self.port}

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(host="127.0.0.1", port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self.process = None

    remove = stop


class PrivatePostgres:
    """A PostgreSQL server of the test's own (Debian's pg_createcluster), to stop and start again
    without touching the machine's shared one."""

    def __init__(self) -> None:
        self.version = max(os.listdir("/etc/postgresql"), key=int)
        self.cluster = f"iwmtest{uuid.uuid4().hex[:8]}"
        self.port = free_port()
        subprocess.run(
            ["pg_createcluster", self.version, self.cluster, "--port", str(self.port), "--", "--auth=trust"],
            check=True, capture_output=True,
        )  # fmt: skip

    @property
    def cluster_settings(self) -> dict:
        return {"postgres_url": f"postgresql://postgres@127.0.0.1:{self.port}"}

    def _control(self, action: str, *options: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.cluster, action, *options],
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self) -> None:
        self._control("start")

    def stop(self) -> None:
        self._control("stop", "--mode", "fast")  # open connections are cut at once

    def remove(self) -> None:
        dropping = ["pg_dropcluster", "--stop", self.version, self.cluster]
        subprocess.run(dropping, check=True, capture_output=True)


def bot_messages_about(page: Page, words: str) -> Locator:
    return page.locator(".msg.bot").filter(has_text=re.compile(words, re.IGNORECASE))


def telegram_reply(cluster: Cluster, text: str) -> str:
    """What the Telegram bridge (run against the load balancer) sends back to one message."""
    chat = int(uuid.uuid4().int % 10**9)
    replies: list[str] = []

    async def scenario(fake: FakeTelegram) -> None:
        fake.user_sends(chat, text)
        replies.append((await fake.wait_for("sendMessage", 1, chat))[0]["text"])

    bridge = with_bridge(cluster.base_url, scenario, cluster.settings.env["IWM_REST_TOKEN"])
    with ThreadPoolExecutor(max_workers=1) as thread:  # its own event loop, apart from the browser's
        thread.submit(asyncio.run, bridge).result()
    return replies[0]


def texts_of(cluster: Cluster, sender: str, text: str) -> list[str]:
    return [message.get("text", "") for message in cluster.say(sender, text)]


def stored_answers(cluster: Cluster) -> list[tuple[int, int, int]]:
    with psycopg2.connect(cluster.settings.database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT run_id, item_number, value FROM answers ORDER BY run_id, item_number")
        return cursor.fetchall()


def run_cluster(tmp_path, lock_store: str, conversations: int) -> tuple[dict, dict, list]:
    """Hold the conversations on a private cluster; return what each person was sent, what the
    tracker store holds per conversation, and every stored answer."""

    def converse(sender: str) -> dict[str, list[str]]:
        """What the person was sent in reply to each of their messages."""
        replies = {text: texts_of(cluster, sender, text) for text in START}
        with ThreadPoolExecutor(max_workers=2) as pair:
            for texts in PAIRS:
                pending = []
                for text in texts:
                    pending.append((text, pair.submit(texts_of, cluster, sender, text)))
                    time.sleep(0.05)
                replies.update((text, future.result()) for text, future in pending)
        return replies

    with private_cluster(tmp_path, lock_store) as cluster:
        senders = [f"cluster-{uuid.uuid4().hex}" for _ in range(conversations)]
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            sent = dict(zip(senders, pool.map(converse, senders), strict=True))
        cluster.stop()  # every turn saved before reading
        with psycopg2.connect(cluster.settings.database_url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT sender_id, type_name, data FROM events ORDER BY id")
            stored: dict[str, list[tuple[str, str]]] = {sender: [] for sender in senders}
            for sender, kind, data in cursor.fetchall():
                if kind in ("user", "bot"):
                    stored[sender].append((kind, json.loads(data).get("text") or ""))
        return sent, stored, stored_answers(cluster)


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


def test_a_replica_killed_mid_questionnaire_leaves_the_other_to_carry_on(tmp_path):
    with private_cluster(tmp_path) as cluster:
        senders = [f"failover-{uuid.uuid4().hex}" for _ in range(6)]
        for sender in senders:
            for text in (*START, "7", "6", "5"):
                texts_of(cluster, sender, text)
        cluster.kill("rasa1")  # as when its machine dies; nobody waits for the health check
        for sender in senders:
            assert any("**5 of 9**" in text for text in texts_of(cluster, sender, "4"))
            for text in ("3", "2", "1"):
                texts_of(cluster, sender, text)
        runs = answers_by_run(stored_answers(cluster))
    report("failover", {"conversations": len(senders), "messages_after_the_kill": 4 * len(senders),
                        "questionnaire_runs": len(runs)})  # fmt: skip
    assert len(runs) == len(senders) and all(answered_once(items) for items in runs.values())


@pytest.mark.parametrize("service", [PrivateRedis, PrivatePostgres], ids=["redis", "postgresql"])
def test_while_a_shared_service_is_down_people_are_told_to_try_again_and_nothing_stored_is_lost(
    tmp_path, browser, service
):
    """Through the load balancer, on all three channels: REST, the web chat (socket.io, sticky by
    source) and the Telegram bridge."""
    private = service()
    try:
        private.start()
        with private_cluster(tmp_path, **private.cluster_settings) as cluster:
            page = chat_on_demo_page(browser, cluster)
            send(page, "what is a secure base?")
            expect(bot_messages_about(page, "secure base")).not_to_have_count(0, timeout=30_000)
            sender = f"outage-{uuid.uuid4().hex}"
            for text in (*START, "7", "6"):
                texts_of(cluster, sender, text)
            private.stop()
            try:
                assert TEMPORARILY_UNAVAILABLE in texts_of(cluster, sender, "5")
                send(page, "what is a safe haven?")
                expect(page.locator(".msg.bot").last).to_contain_text(TEMPORARILY_UNAVAILABLE, timeout=30_000)
                assert "temporarily unavailable" in telegram_reply(cluster, "what is a safe haven?")
            finally:
                private.start()
            assert any("**4 of 9**" in text for text in texts_of(cluster, sender, "5"))  # sent again
            assert [(item, value) for _, item, value in stored_answers(cluster)] == [(1, 7), (2, 6), (3, 5)]
            send(page, "what is a safe haven?")
            expect(bot_messages_about(page, "safe haven")).not_to_have_count(0, timeout=30_000)
            assert "temporarily unavailable" not in telegram_reply(cluster, "what is a safe haven?")
    finally:
        private.remove()


def test_names_that_reach_sql_or_redis_keys_are_checked():
    with pytest.raises(ValueError, match="database name"):
        Settings(database='iwm"; DROP DATABASE postgres; --')
    with pytest.raises(ValueError, match="lock key prefix"):
        Settings(lock_prefix="iwm:*")
    assert Settings(database="iwm_staging", lock_prefix="iwm2").database_url.endswith("/iwm_staging")


def test_a_bad_setting_stops_make_cluster_with_one_clear_line():
    finished = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cluster.py")],
        env={**os.environ, "CLUSTER_PORT": "not-a-port"}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert finished.returncode == 1
    assert finished.stderr.strip().startswith("error:") and "Traceback" not in finished.stderr
