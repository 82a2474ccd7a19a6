"""Several Rasa servers and action servers behind HAProxy, sharing PostgreSQL and Redis.

    make cluster REPLICAS=2 ACTION_SERVERS=1          # Ctrl-C stops everything

Rasa's own horizontal design: every Rasa replica reads and writes conversations in one
PostgreSQL tracker store, and takes a conversation's lock in Redis (RedisLockStore) before
handling one of its messages, so two messages of one conversation that reach different
replicas are handled one after the other, in the order they arrived. HAProxy (Debian's
package) spreads REST requests over the replicas and keeps a socket.io client on one replica
(Engine.IO's polling requests must meet the process that holds the session). The action
servers sit behind a second HAProxy frontend on loopback and answer only with the shared
token. The questionnaire store (DATABASE_URL) is the same PostgreSQL database.

Settings (environment): CLUSTER_PORT (5005), CLUSTER_HOST (127.0.0.1; the public interface
of the load balancer), CLUSTER_DATABASE (iwm), POSTGRES_URL (postgresql://postgres@127.0.0.1:5432),
REDIS_HOST (127.0.0.1), REDIS_PORT (6379), REDIS_DB (1), IWM_VAR_DIR (var/: secrets, HAProxy
and endpoints files, logs). README, "Deployment", describes the topology and every variable.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, wait_until_up  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
MODEL = ROOT / "models" / "iwm.tar.gz"
HAPROXY = "/usr/sbin/haproxy"
DATABASE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


@dataclass
class Settings:
    replicas: int = 2
    action_servers: int = 1
    host: str = "127.0.0.1"
    port: int = 5005
    postgres_url: str = "postgresql://postgres@127.0.0.1:5432"
    database: str = "iwm"
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    redis_db: int = 1
    lock_prefix: str = "iwm"  # alphanumeric (Rasa's rule)
    lock_store: str = "redis"  # "in_memory" only to show what goes wrong without it (tests)
    state_dir: Path = ROOT / "var"
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_environment(cls, replicas: int, action_servers: int) -> Settings:
        environ = os.environ
        return cls(
            replicas=replicas,
            action_servers=action_servers,
            host=environ.get("CLUSTER_HOST", "127.0.0.1"),
            port=int(environ.get("CLUSTER_PORT", "5005")),
            postgres_url=environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432"),
            database=environ.get("CLUSTER_DATABASE", "iwm"),
            redis_host=environ.get("REDIS_HOST", "127.0.0.1"),
            redis_port=int(environ.get("REDIS_PORT", "6379")),
            redis_db=int(environ.get("REDIS_DB", "1")),
            state_dir=Path(environ.get("IWM_VAR_DIR") or ROOT / "var"),
        )

    def __post_init__(self) -> None:
        """Names that end up in SQL and in Redis keys are checked, not quoted blindly."""
        if not DATABASE_NAME.fullmatch(self.database):
            raise ValueError(f"the database name must be letters, digits and _ (got {self.database!r})")
        if not self.lock_prefix.isalnum():
            raise ValueError(f"the lock key prefix must be letters and digits (got {self.lock_prefix!r})")

    @property
    def database_url(self) -> str:
        return f"{self.postgres_url}/{self.database}"


@contextmanager
def admin_cursor(settings: Settings) -> Iterator[psycopg2.extensions.cursor]:
    """A cursor on the server's `postgres` database, outside any transaction (CREATE/DROP DATABASE)."""
    admin = psycopg2.connect(f"{settings.postgres_url}/postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            yield cursor
    finally:
        admin.close()


def create_database(settings: Settings) -> None:
    """The shared database, created on first use (Rasa's tracker store does not create it)."""
    with admin_cursor(settings) as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (settings.database,))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{settings.database}"')


def drop_database(settings: Settings) -> None:
    """Remove a cluster's database (tests and measurements use their own)."""
    with admin_cursor(settings) as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{settings.database}" WITH (FORCE)')


# Rasa's Redis lock store with each change to a lock atomic (two replicas could hold one ticket)
ATOMIC_REDIS_LOCK_STORE = "bot.rasa_ext.lock_store.AtomicRedisLockStore"


def endpoints(settings: Settings, action_url: str) -> dict:
    """endpoints.yml of every replica: the shared tracker store, lock store and action servers."""
    postgres = urlsplit(settings.postgres_url)
    lock_store = (
        {"type": ATOMIC_REDIS_LOCK_STORE, "url": settings.redis_host, "port": settings.redis_port,
         "db": settings.redis_db, "key_prefix": settings.lock_prefix}
        if settings.lock_store == "redis" else {"type": "in_memory"}
    )  # fmt: skip
    return {
        "action_endpoint": {"url": action_url, "headers": {"Authorization": "Bearer ${ACTION_SERVER_TOKEN}"}},
        "tracker_store": {
            "type": "bot.rasa_ext.tracker_store.ErasableSQLTrackerStore",
            "dialect": "postgresql",
            "url": postgres.hostname,
            "port": postgres.port or 5432,
            "db": settings.database,
            "username": postgres.username or "postgres",
            **({"password": "${POSTGRES_PASSWORD}"} if postgres.password else {}),
        },
        "lock_store": lock_store,
    }


def server_lines(name: str, ports: list[int]) -> str:
    """HAProxy `server` lines, each health-checked every 2 s. A replica busy with a burst of
    messages answers its check late, so it counts as down only after 3 checks of 10 s each."""
    check = "check inter 2s fall 3 rise 2"
    return "\n".join(f"    server {name}{i} 127.0.0.1:{port} {check}" for i, port in enumerate(ports, 1))


def haproxy_config(settings: Settings, rasa_ports: list[int], action_ports: list[int], action_lb: int) -> str:
    rasa, actions = server_lines("rasa", rasa_ports), server_lines("actions", action_ports)
    return f"""# Written by scripts/cluster.py; TLS is terminated here in production (README, "Deployment").
global
    maxconn 4096
    # errors and health changes only, on stdout: no client address, path or query (a web chat
    # session id travels in the query)
    log stdout format raw local0

defaults
    mode http
    log global
    option dontlog-normal
    log-format "%ft %b/%s %Tw/%Tc/%Tr/%Ta %ST %tsc"
    # one server connection per request: Sanic closes a connection idle for its keep-alive time
    # (5 s on the action server), and one that a request reaches as it closes answers it with
    # "503 Cancelled" (sanic/server/protocols/http_protocol.py, check_timeouts)
    option http-server-close
    timeout connect 5s
    timeout client 70s
    timeout server 70s
    timeout tunnel 1h
    timeout check 10s
    option redispatch
    retries 2

frontend public
    bind {settings.host}:{settings.port}
    acl engine_io path_beg /socket.io
    use_backend rasa_sticky if engine_io
    default_backend rasa

backend rasa
    balance roundrobin
    option httpchk GET /
{rasa}

backend rasa_sticky
    balance source
    hash-type consistent
    option httpchk GET /
{rasa}

frontend actions
    bind 127.0.0.1:{action_lb}
    default_backend actions

backend actions
    balance roundrobin
    option httpchk GET /health
{actions}
"""


class Cluster:
    """The processes of one cluster on this machine; stop() ends them all."""

    def __init__(self, settings: Settings):
        self.settings = settings
        # private ports on loopback, picked free by the system
        self.action_ports = [free_port() for _ in range(settings.action_servers)]
        self.rasa_ports = [free_port() for _ in range(settings.replicas)]
        self.action_lb_port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.base_url = f"http://{settings.host}:{settings.port}"
        self.folder = settings.state_dir / "cluster"

    def _environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "IWM_VAR_DIR": str(self.settings.state_dir),
            "DATABASE_URL": self.settings.database_url,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            # the widget's own pages are served through the load balancer, not a replica's port
            "WEBCHAT_PUBLIC_ORIGIN": os.environ.get("WEBCHAT_PUBLIC_ORIGIN", self.base_url),
            **self.settings.env,
        }

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "a")  # noqa: SIM115 (open while the process runs)
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def start(self) -> float:
        """Start everything and wait until the load balancer answers; returns the seconds it took."""
        started = time.perf_counter()
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        env = self._environment()
        subprocess.run([PYTHON, "-m", "bot", "check-config"], cwd=ROOT, env=env, check=True)
        create_database(self.settings)
        action_url = f"http://127.0.0.1:{self.action_lb_port}/webhook"
        (self.folder / "endpoints.yml").write_text(yaml.safe_dump(endpoints(self.settings, action_url)))
        (self.folder / "haproxy.cfg").write_text(
            haproxy_config(self.settings, self.rasa_ports, self.action_ports, self.action_lb_port)
        )
        for i, port in enumerate(self.action_ports, 1):  # one at a time: the first creates the tables
            process = self._spawn(
                f"actions{i}", [PYTHON, "-m", "bot.rasa_ext.action_server"], {**env, "ACTION_PORT": str(port)}
            )
            wait_until_up(f"http://127.0.0.1:{port}/health", process, f"action server {i}", self.folder)
        token = subprocess.run(
            [PYTHON, "-m", "bot", "secret", "ACTION_SERVER_TOKEN"], cwd=ROOT, env=env,
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        rasa_env = {**env, "ACTION_SERVER_TOKEN": token}
        for i, port in enumerate(self.rasa_ports, 1):
            process = self._spawn(
                f"rasa{i}",
                [PYTHON, "-m", "bot.rasa_ext.server", "--model", str(MODEL),
                 "--endpoints", str(self.folder / "endpoints.yml"), "--credentials", "credentials.yml",
                 "--interface", "127.0.0.1", "--port", str(port)],
                {**rasa_env, "RASA_PORT": str(port)},
            )  # fmt: skip
            if i == 1:  # the first replica creates the tracker tables; the others start together
                wait_until_up(f"http://127.0.0.1:{port}/", process, "Rasa replica 1", self.folder)
        for i, port in enumerate(self.rasa_ports, 1):
            replica = self.processes[f"rasa{i}"]
            wait_until_up(f"http://127.0.0.1:{port}/", replica, f"Rasa replica {i}", self.folder)
        balancer = self._spawn("haproxy", [HAPROXY, "-f", str(self.folder / "haproxy.cfg"), "-db"], env)
        wait_until_up(f"{self.base_url}/", balancer, "HAProxy", self.folder)
        self._wait_until_balanced()
        if env.get("TELEGRAM_BOT_TOKEN"):  # one bridge for the whole cluster, through the load balancer
            bridge_env = {**env, "RASA_URL": self.base_url}
            self._spawn("telegram", [PYTHON, "-m", "bot.channels.telegram"], bridge_env)
        return time.perf_counter() - started

    def _wait_until_balanced(self) -> None:
        """HAProxy's health checks must see every replica up before traffic is spread."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            served = {requests.get(f"{self.base_url}/", timeout=5).status_code for _ in self.rasa_ports}
            if served == {200}:
                time.sleep(4.5)  # two health checks (rise 2, every 2 s)
                return
            time.sleep(0.5)

    def say(self, sender: str, text: str) -> list[dict]:
        """One message over REST through the load balancer (the REST token must be in settings.env)."""
        response = requests.post(
            f"{self.base_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            headers={"Authorization": f"Bearer {self.settings.env['IWM_REST_TOKEN']}"},
            timeout=120,
        )
        response.raise_for_status()
        return response.json()

    def kill(self, name: str) -> None:
        """A hard kill of one process (e.g. "rasa1"), as when a machine dies."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        """Ctrl-C for every process, the load balancer first; a hard kill after 30 s."""
        stopping = [self.processes.pop(name) for name in reversed(list(self.processes))]
        for process in stopping:
            if process.poll() is None:  # one that crashed on its own has nothing left to stop
                os.killpg(process.pid, signal.SIGINT)
        for process in stopping:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def wait_for_exit(self) -> None:
        for process in self.processes.values():
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--action-servers", type=int, default=1)
    args = parser.parse_args()
    if not 1 <= args.replicas <= 16 or not 1 <= args.action_servers <= 16:
        sys.exit("error: --replicas and --action-servers take 1 to 16")
    try:
        settings = Settings.from_environment(args.replicas, args.action_servers)
    except ValueError as error:  # a port that is not a number, a database name with quotes...
        sys.exit(f"error: {error}")
    cluster = Cluster(settings)
    try:
        seconds = cluster.start()
        print(
            f"IWM Guide cluster: {args.replicas} Rasa replicas, {args.action_servers} action servers, "
            f"ready in {seconds:.0f} s.\n  REST and web chat: {cluster.base_url}/webhooks/rest/webhook, "
            f"{cluster.base_url}/webchat/\n  Logs: {cluster.folder}\n  Ctrl-C stops everything."
        )
        cluster.wait_for_exit()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
