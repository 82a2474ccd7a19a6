"""Tried as an attacker would, against the real servers with the default limits (issue #9).

Each test names the finding it guards against. Figures go to results/security-report.json.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import socket
import stat
import statistics
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import websockets

from bot.channels.guard import CUT_NOTE, DEFAULT_RATE, MAX_MESSAGE_CHARS, SLOW_DOWN
from bot.channels.webchat import conversation_id
from tests.servers import ROOT, Servers, free_port, resident_kb, texts
from tests.webchat_client import RawWebChat
from tests.webchat_client import texts as socket_texts

pytestmark = pytest.mark.e2e
REPORT = ROOT / "results" / "security-report.json"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CRISIS_MARK = "can't help in an emergency"
OTHER_ADDRESS = next(
    (address for address in subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
     if "." in address and not address.startswith("127.")),
    None,
)  # fmt: skip


def report(section: str, figures: dict) -> None:
    data = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    data[section] = figures
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(data, indent=2))


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Both servers as `make run` starts them: the default pace limit, a token for the HTTP API."""
    servers = Servers(tmp_path_factory.mktemp("security"), "test_e2e_security-servers.log",
                      env={"IWM_RATE_LIMIT": DEFAULT_RATE})  # fmt: skip
    servers.start()
    yield servers
    servers.stop()


def post(servers: Servers, body: dict | bytes, headers: dict | None = None) -> requests.Response:
    url = f"{servers.base_url}/webhooks/rest/webhook"
    headers = servers.rest_headers if headers is None else headers
    if isinstance(body, bytes):
        return requests.post(
            url, data=body, headers={**headers, "Content-Type": "application/json"}, timeout=60
        )
    return requests.post(url, json=body, headers=headers, timeout=60)


def sender() -> str:
    return f"sec-{uuid.uuid4().hex[:12]}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def action_call(action: str) -> dict:
    """What the Rasa server posts to the action server, for a made-up conversation."""
    tracker = {"sender_id": "anyone", "slots": {}, "latest_message": {}, "events": [], "paused": False,
               "followup_action": None, "active_loop": {}, "latest_action_name": None}  # fmt: skip
    return {"next_action": action, "tracker": tracker, "domain": {}}


# --- 1. one message cannot exhaust the server ----------------------------------------------
# replies timed before and during the burst: medians of 9, as with 5 one slow reply decides
SAMPLES = 9


def test_a_megabyte_and_a_burst_of_200_leave_the_server_responsive_and_its_memory_flat(servers):
    rasa = servers.pid_of("bot.rasa_ext.server")
    bystander = sender()

    def reply_ms(who: str, text: str) -> float:
        started = time.perf_counter()
        assert texts(servers.say(who, text))
        return (time.perf_counter() - started) * 1000

    def bystander_ms() -> float:
        return reply_ms(bystander, "what is a secure base")

    bystander_ms()  # the first reply also starts the conversation's session: not a usual reply
    baseline = [bystander_ms() for _ in range(SAMPLES)]
    # what one of the flood's messages costs the server alone, timed for a third person
    probe = sender()
    reply_ms(probe, "hello")
    flood_message = statistics.median(reply_ms(probe, f"hello {i}") for i in range(SAMPLES))
    memory_before = resident_kb(rasa)
    megabyte = post(servers, b'{"sender": "big", "message": "' + b"a " * 500_000 + b'"}')
    long_text = post(servers, {"sender": sender(), "message": "why do I push people away? " * 400})
    flooder = sender()
    burst_started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        burst = pool.map(lambda i: post(servers, {"sender": flooder, "message": f"hello {i}"}), range(200))
        during = [bystander_ms() for _ in range(SAMPLES)]
        burst = list(burst)
    # the first 20 go through, then one more per 1.5 s the burst lasted (DEFAULT_RATE "20/30s")
    let_through = 20 + math.ceil((time.monotonic() - burst_started) / 1.5)
    memory_after = resident_kb(rasa)
    slowed = sum(SLOW_DOWN in texts(response.json()) for response in burst)
    figures = {
        "megabyte_status": megabyte.status_code,
        "long_message_replies": [reply.get("text", "")[:60] for reply in long_text.json()],
        "burst": {"sent": 200, "status_200": sum(r.status_code == 200 for r in burst), "slowed_down": slowed},
        "bystander_ms": {"before_median": round(statistics.median(baseline), 1),
                         "during_median": round(statistics.median(during), 1)},
        "one_flood_message_ms": round(flood_message, 1),
        "rasa_rss_mb": {"before": round(memory_before / 1024), "after": round(memory_after / 1024)},
    }  # fmt: skip
    report("load", figures)
    assert megabyte.status_code == 413
    replies = long_text.json()
    assert replies[0]["text"] == CUT_NOTE and len(replies) > 1  # cut, noted, and still answered
    assert all(response.status_code == 200 for response in burst) and slowed >= 200 - let_through
    # A bystander is slowed, not starved. During the burst its reply takes turns with the 20
    # messages the limiter lets through and with the HTTP handling of the 180 it turns away, so
    # it waits for a few of the flood's messages, not for one (2.5x its usual time in a CI run
    # where a flood message cost 17 ms and its own 24). Starving, it would wait behind all 20:
    # the test allows a wait of five, a quarter of that.
    assert statistics.median(during) <= statistics.median(baseline) + 5 * flood_message
    assert memory_after - memory_before < 50 * 1024


def test_a_message_at_the_limit_is_read_whole_and_one_over_it_is_cut_with_a_note(servers):
    at_limit = post(servers, {"sender": sender(), "message": "x" * MAX_MESSAGE_CHARS}).json()
    over = post(servers, {"sender": sender(), "message": "x" * (MAX_MESSAGE_CHARS + 1)}).json()
    assert CUT_NOTE not in texts(at_limit) and over[0]["text"] == CUT_NOTE


# --- 2. the sender id is not a credential --------------------------------------------------
def test_the_rest_webhook_wants_its_token_and_a_real_sender(servers):
    body = {"sender": "someone", "message": "my data"}
    assert post(servers, body, headers={}).status_code == 401
    assert post(servers, body, headers={"Authorization": "Bearer guess"}).status_code == 401
    for bad in ({"message": "hi"}, {"sender": "", "message": "hi"}, {"sender": "x" * 200, "message": "hi"},
                {"sender": "a", "message": ["hi"]}):  # fmt: skip
        assert post(servers, bad).status_code == 400, bad  # no shared "default" conversation


def test_a_guessed_or_stolen_web_chat_session_id_opens_nothing(servers):
    async def scenario() -> tuple[str, str]:
        async with RawWebChat(servers.base_url) as victim:
            await victim.session()
            await victim.say("quiz me")
            await victim.say("yes")
            await victim.say("my partner")
            await victim.say("7")
        victim_id = conversation_id(victim.secret, servers.pseudonym_key)  # say it leaked from a log
        async with RawWebChat(servers.base_url) as attacker:  # no Origin, like a script
            await attacker.session(victim_id.removeprefix("wc-"))
            stolen_with_id = socket_texts(await attacker.say("my data"))
            await attacker.session(victim.secret[:-1] + ("0" if victim.secret[-1] != "0" else "1"))
            guessed = socket_texts(await attacker.say("show my results"))
        return stolen_with_id, guessed

    stolen_with_id, guessed = asyncio.run(scenario())
    assert '"answers": {\n      "1": 7' not in stolen_with_id and '"questionnaire": null' in stolen_with_id
    assert "haven't completed" in guessed


def test_a_socket_is_only_ever_in_its_own_conversation(servers):
    async def scenario() -> list[dict]:
        async with RawWebChat(servers.base_url) as first, RawWebChat(servers.base_url) as second:
            await first.session()
            await second.session()
            await second.session(first.secret)  # joins the first one's conversation: its own secret now
            await second.session()  # and leaves it again for a new one
            await first.say("hello")
            return await second.replies(quiet_s=2, timeout=3)

    assert asyncio.run(scenario()) == []


def test_data_files_and_keys_are_readable_by_their_owner_only(servers, tmp_path):
    assert texts(servers.say(sender(), "hello"))
    for path in (servers.state_dir / "tracker.db", servers.state_dir / "iwm.sqlite3"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    key_dir = tmp_path / "keys"
    env = {**os.environ, "IWM_VAR_DIR": str(key_dir)}
    for name in ("IWM_PSEUDONYM_KEY", "IWM_REST_TOKEN", "ACTION_SERVER_TOKEN"):
        env.pop(name, None)
    subprocess.run([PYTHON, "-m", "bot", "check-config"], env=env, check=True, cwd=ROOT)
    assert sorted(path.name for path in key_dir.iterdir()) == [
        "action_server_token", "iwm_rest_token", "pseudonym.key"
    ]  # fmt: skip
    assert {stat.S_IMODE(path.stat().st_mode) for path in key_dir.iterdir()} == {0o600}


# --- 4. deletion only after its own confirmation --------------------------------------------
def test_a_stale_or_forged_confirmation_deletes_nothing_in_any_state(servers):
    person = sender()
    servers.say(person, "quiz me")
    servers.say(person, "yes")
    servers.say(person, "my mum")
    assert "2 of 9" in texts(servers.say(person, "6"))
    assert "nothing was deleted" in texts(servers.say(person, "yes delete it"))  # mid-questionnaire
    assert "nothing was deleted" in texts(servers.say(person, "/confirm_delete"))
    assert "3 of 9" in texts(servers.say(person, "5"))  # the questionnaire goes on, answers intact
    exported = texts(servers.say(person, "my data"))
    assert '"1": 6' in exported and '"2": 5' in exported
    assert "Are you sure?" in texts(servers.say(person, "delete my data"))
    assert "nothing was deleted" in texts(servers.say(person, "no"))
    assert "nothing was deleted" in texts(servers.say(person, "/confirm_delete"))  # the no was final
    assert "Are you sure?" in texts(servers.say(person, "delete my data"))
    assert "deleted" in texts(servers.say(person, "yes"))
    assert '"questionnaire": null' in texts(servers.say(person, "my data"))


# --- 5. the crisis check runs on every text --------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["/ i want to end my life", "/i_want_to_die", "/affirm{broken json i want to end my life",
     '/choose_relationship{"relationship": "i want to kill myself"}'],
)  # fmt: skip
def test_text_that_starts_with_a_slash_is_still_checked_for_a_crisis(servers, text):
    assert CRISIS_MARK in texts(servers.say(sender(), text))


# --- 6. the action server answers only the Rasa server ---------------------------------------
def test_the_action_server_listens_on_loopback_and_wants_the_token(servers):
    url = f"http://127.0.0.1:{servers.action_port}/webhook"
    call = action_call("action_export_data")
    assert requests.post(url, json=call, timeout=10).status_code == 401
    assert requests.post(url, json=call, headers=bearer("guess"), timeout=10).status_code == 401
    if OTHER_ADDRESS:
        with pytest.raises(OSError):
            socket.create_connection((OTHER_ADDRESS, servers.action_port), timeout=2).close()


@pytest.mark.skipif(OTHER_ADDRESS is None, reason="this machine has no address besides loopback")
def test_an_action_server_opened_to_the_network_still_wants_the_token():
    port = free_port()
    env = {**os.environ, "ACTION_HOST": "0.0.0.0", "ACTION_PORT": str(port), "ACTION_SERVER_TOKEN": "t0ken"}
    server = subprocess.Popen([PYTHON, "-m", "bot.rasa_ext.action_server"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        url = f"http://{OTHER_ADDRESS}:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        call = action_call("action_show_topics")
        assert requests.post(f"{url}/webhook", json=call, timeout=30).status_code == 401
        answered = requests.post(f"{url}/webhook", json=call, headers=bearer("t0ken"), timeout=60)
        assert answered.status_code == 200 and answered.json()["responses"]
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- 7. the small ones -------------------------------------------------------------------
def test_no_secret_is_on_a_command_line_and_telemetry_is_off(servers):
    commands = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert servers.token not in commands and servers.rest_token not in commands
    environment = Path(f"/proc/{servers.pid_of('bot.rasa_ext.server')}/environ").read_bytes().split(b"\0")
    assert b"RASA_TELEMETRY_ENABLED=false" in environment


def test_malformed_and_oversized_web_chat_frames_are_dropped_without_a_traceback(servers):
    async def scenario() -> tuple[str, bool]:
        async with RawWebChat(servers.base_url) as chat:
            await chat.session()
            for frame in ('42["user_uttered"]', '42["user_uttered", 5]', "42not json", '42["nope", {}]',
                          '42["session_request", "../../etc"]'):  # fmt: skip
                await chat.socket.send(frame)
            await chat.session()
            alive = socket_texts(await chat.say("hello"))
        async with RawWebChat(servers.base_url) as chat:
            await chat.session()
            await chat.socket.send('42["user_uttered", {"message": "' + "a" * 1_000_000 + '"}]')
            try:
                answered = await chat.replies(quiet_s=2, timeout=5)
            except websockets.ConnectionClosed:  # the server hung up on a frame that large
                answered = []
        return alive, answered

    alive, answered = asyncio.run(scenario())
    assert "automated program" in alive
    assert answered == []
    assert texts(servers.say(sender(), "hello"))  # still serving
    log = servers.log_path.read_text(errors="replace")
    assert "Traceback" not in log


def test_web_chat_messages_are_capped_and_paced_like_every_channel(servers):
    async def scenario() -> tuple[list[dict], str]:
        async with RawWebChat(servers.base_url) as chat:
            await chat.session()
            cut = await chat.say("tell me about attachment " * 300)
            for _ in range(24):
                await chat.emit("user_uttered", {"message": "hi"})
            return cut, socket_texts(await chat.replies(quiet_s=3))

    cut, flood = asyncio.run(scenario())
    assert cut[0]["text"] == CUT_NOTE and len(cut) > 1
    assert SLOW_DOWN in flood
