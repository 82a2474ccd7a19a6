"""Runs private copies of the action and Rasa servers (scripts/run.sh) for end-to-end tests."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, what: str, logs: Path, **params: str) -> None:
    """Until `url` answers; a RuntimeError naming the logs if the process ends or time runs out."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if requests.get(url, params=params, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not start; see {logs}")


# Measurement runs send hundreds of messages from few senders; the default pace limit is
# tested on its own (tests/test_e2e_limits.py).
MEASUREMENT_RATE_LIMIT = "100000/1s"


class Servers:
    """Both servers on free ports, with their own databases and secrets under `state_dir`."""

    def __init__(self, state_dir: Path, log_name: str, env: dict[str, str] | None = None):
        self.state_dir = state_dir
        self.extra_env = env or {}
        self.token = secrets.token_hex(16)
        self.rest_token = secrets.token_hex(16)
        self.pseudonym_key = b"e2e-test-key"
        self.rasa_port, self.action_port = free_port(), free_port()
        self.base_url = f"http://127.0.0.1:{self.rasa_port}"
        self.log_path = ROOT / "results" / log_name
        self.log_path.unlink(missing_ok=True)  # a log speaks of this run only; restarts append to it
        self.process: subprocess.Popen | None = None
        self.latencies: list[float] = []
        self.ready_s = 0.0  # seconds the last start took until the model was loaded

    def start(self) -> float:
        """Start and wait until the model is loaded; returns the seconds that took."""
        self.log_path.parent.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "RASA_PORT": str(self.rasa_port),
            "ACTION_PORT": str(self.action_port),
            "RASA_AUTH_TOKEN": self.token,
            "IWM_REST_TOKEN": self.rest_token,
            "ACTION_SERVER_TOKEN": secrets.token_hex(16),
            "IWM_RATE_LIMIT": MEASUREMENT_RATE_LIMIT,
            "TRACKER_DB": str(self.state_dir / "tracker.db"),
            "DATABASE_URL": os.environ.get("E2E_DATABASE_URL")
            or f"sqlite:///{self.state_dir / 'iwm.sqlite3'}",
            "IWM_PSEUDONYM_KEY": self.pseudonym_key.decode(),
            **self.extra_env,
        }
        started = time.perf_counter()
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        try:
            wait_until_up(f"{self.base_url}/status", self.process, "servers", self.log_path, token=self.token)
        except RuntimeError:
            self.stop(kill=True)
            raise
        self.ready_s = time.perf_counter() - started
        return self.ready_s

    def stop(self, kill: bool = False) -> None:
        """Ctrl-C (or a hard kill, as in a crash) for both servers."""
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def stop_action_server(self) -> None:
        """Only the action server goes down, as when it crashes; the Rasa server stays."""
        subprocess.run(["pkill", "-g", str(self.process.pid), "-f", "bot.rasa_ext.action_server"], check=True)

    def pid_of(self, module: str) -> int:
        """The process id of one server (bot.rasa_ext.server or bot.rasa_ext.action_server)."""
        found = subprocess.run(
            ["pgrep", "-g", str(self.process.pid), "-f", "--", f"-m {module}( |$)"],
            capture_output=True,
            text=True,
        ).stdout.split()
        return int(found[0])

    @property
    def rest_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.rest_token}"}

    def say(self, sender: str, text: str) -> list[dict]:
        started = time.perf_counter()
        response = requests.post(
            f"{self.base_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            headers=self.rest_headers,
            timeout=60,
        )
        self.latencies.append(time.perf_counter() - started)
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict:
        response = requests.get(
            f"{self.base_url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30
        )
        response.raise_for_status()
        return response.json()


def resident_kb(pid: int) -> int:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def texts(messages: list[dict]) -> str:
    return "\n".join(message.get("text", "") for message in messages)
