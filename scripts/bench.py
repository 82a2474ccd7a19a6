"""Side-by-side benchmark: the IWM Guide stack against a plain `rasa init` bot, in one run.

    make bench                                        # the full run (several minutes)
    make bench CONFIG=config-diet.yml                 # the same with DIET as the intent classifier
    .venv/bin/python scripts/bench.py --smoke OUT_DIR # a short run, part of `make test`

Both bots run in this venv on this machine, over the REST webhook: ours as `make run` starts it
(Rasa server with the SQL tracker store, action server), the reference as `rasa init
--no-prompt` makes it (in-memory tracker, no action server). The same conversations go to both,
with requests alternating between the two stacks so that a noisy machine slows both alike;
figures are reported as ratios (ours / reference), since absolute times are not comparable
across runs. Writes bench.json (latency median, p95 and max at 1 and at 20 conversations at
once, throughput, resident memory of every process, time until ready, training time in a full
run) and bench.png (the latency distributions).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import Servers, free_port, resident_kb, wait_until_up  # noqa: E402

RASA = str(ROOT / ".venv" / "bin" / "rasa")
# One conversation as a person might have it; both bots get exactly these words.
CONVERSATION = (
    "hi",
    "what is an internal working model?",
    "tell me more",
    "what's the difference between anxious and avoidant attachment?",
    "my boyfriend pulls away when we get close, what can I do?",
    "thanks, bye",
)


class ReferenceBot:
    """`rasa init --no-prompt` in a temporary folder, served over REST like ours."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.training_s = 0.0
        self.ready_s = 0.0

    def build(self) -> None:
        """Create and train the reference bot (rasa init trains it); the seconds it took are kept."""
        started = time.perf_counter()
        subprocess.run(
            [RASA, "init", "--no-prompt", "--init-dir", str(self.folder)],
            cwd=self.folder, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.training_s = time.perf_counter() - started

    def start(self) -> float:
        started = time.perf_counter()
        log = open(self.folder / "rasa.log", "w")  # noqa: SIM115 (kept open while the server runs)
        self.process = subprocess.Popen(
            [RASA, "run", "--port", str(self.port), "--interface", "127.0.0.1", "--enable-api"],
            cwd=self.folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        )  # fmt: skip
        try:  # /status answers once the model is loaded (409 before)
            log = self.folder / "rasa.log"
            wait_until_up(f"{self.base_url}/status", self.process, "the reference bot", log)
        except RuntimeError:
            self.stop()
            raise
        self.ready_s = time.perf_counter() - started
        return self.ready_s

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process = None

    def say(self, sender: str, text: str) -> list[dict]:
        response = requests.post(
            f"{self.base_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )
        response.raise_for_status()
        return response.json()


def timed(say, sender: str, text: str) -> float:
    started = time.perf_counter()
    say(sender, text)
    return (time.perf_counter() - started) * 1000


def summary(latencies_ms: list[float]) -> dict:
    ordered = sorted(latencies_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def one_at_a_time(stacks: dict, rounds: int) -> dict[str, list[float]]:
    """Each turn goes to one stack, then the same turn to the other, conversation after conversation."""
    latencies: dict[str, list[float]] = {name: [] for name in stacks}
    for _ in range(rounds):
        senders = {name: f"bench-{uuid.uuid4().hex}" for name in stacks}
        for text in CONVERSATION:
            for name, say in stacks.items():
                latencies[name].append(timed(say, senders[name], text))
    return latencies


def many_at_once(say, conversations: int) -> tuple[list[float], float]:
    """`conversations` people talking at once, each through the whole conversation; latencies and msg/s."""
    latencies: list[float] = []
    lock = threading.Lock()

    def talk(_: int) -> None:
        sender = f"bench-{uuid.uuid4().hex}"
        for text in CONVERSATION:
            elapsed = timed(say, sender, text)
            with lock:
                latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        list(pool.map(talk, range(conversations)))
    return latencies, len(latencies) / (time.perf_counter() - started)


def train_ours(out: Path, config: str) -> float:
    """Seconds to train our model from scratch (a full run only)."""
    started = time.perf_counter()
    subprocess.run(
        [RASA, "train", "--data", "nlu", "--domain", "domain.yml", "--config", config,
         "--out", str(out), "--fixed-model-name", "bench", "--force"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started


def ratio(ours: float, reference: float) -> float | None:
    return round(ours / reference, 2) if reference else None


def draw(latencies: dict[str, list[float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4), dpi=100)
    names = list(latencies)
    axes.boxplot([latencies[name] for name in names], vert=False, showfliers=True)
    axes.set_yticks(range(1, len(names) + 1), names)
    axes.set_xscale("log")
    axes.set_xlabel("reply latency over REST (ms, log scale)")
    axes.set_title("IWM Guide vs a plain `rasa init` bot, same run")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "results")
    parser.add_argument("--smoke", action="store_true", help="a short run: few messages, no training time")
    parser.add_argument("--config", default="config.yml", help="the config to time training with")
    args = parser.parse_args()
    rounds, crowd, repeats = (2, 4, 1) if args.smoke else (20, 20, 3)
    args.out.mkdir(parents=True, exist_ok=True)
    figures: dict = {
        "mode": "smoke" if args.smoke else "full",
        "config": args.config,
        "model": os.environ.get("MODEL", "models/iwm.tar.gz"),
        "conversation": list(CONVERSATION),
    }
    with tempfile.TemporaryDirectory(prefix="iwm-bench-") as scratch:
        reference = ReferenceBot(Path(scratch) / "reference")
        reference.folder.mkdir()
        reference.build()
        ours = Servers(Path(scratch), "bench-servers.log")
        try:
            figures["ready_s"] = {"iwm": round(ours.start(), 1), "reference": round(reference.start(), 1)}
            stacks = {"iwm": ours.say, "reference": reference.say}
            for say in stacks.values():  # warm up: first replies load lazily
                say(f"bench-{uuid.uuid4().hex}", "hello")
            single = one_at_a_time(stacks, rounds)
            crowded: dict[str, list[float]] = {name: [] for name in stacks}
            throughput: dict[str, list[float]] = {name: [] for name in stacks}
            for _ in range(repeats):  # alternate whole rounds so both see the same machine
                for name, say in stacks.items():
                    latencies, per_second = many_at_once(say, crowd)
                    crowded[name] += latencies
                    throughput[name].append(per_second)
            memory = {
                "iwm_rasa_mb": resident_kb(ours.pid_of("bot.rasa_ext.server")) // 1024,
                "iwm_action_server_mb": resident_kb(ours.pid_of("bot.rasa_ext.action_server")) // 1024,
                "reference_rasa_mb": resident_kb(reference.process.pid) // 1024,
            }
        finally:
            ours.stop()
            reference.stop()
    figures["one_at_a_time"] = {name: summary(values) for name, values in single.items()}
    figures[f"{crowd}_at_once"] = {name: summary(values) for name, values in crowded.items()}
    figures["throughput_msg_per_s"] = {name: round(statistics.median(v), 1) for name, v in throughput.items()}
    figures["memory_mb"] = memory
    figures["training_s"] = {"reference": round(reference.training_s, 1)}
    if not args.smoke:
        with tempfile.TemporaryDirectory(prefix="iwm-bench-train-") as models:
            figures["training_s"]["iwm"] = round(train_ours(Path(models), args.config), 1)
    one, many = figures["one_at_a_time"], figures[f"{crowd}_at_once"]
    figures["ratios"] = {
        "median_latency_1": ratio(one["iwm"]["median_ms"], one["reference"]["median_ms"]),
        "p95_latency_1": ratio(one["iwm"]["p95_ms"], one["reference"]["p95_ms"]),
        f"median_latency_{crowd}": ratio(many["iwm"]["median_ms"], many["reference"]["median_ms"]),
        f"p95_latency_{crowd}": ratio(many["iwm"]["p95_ms"], many["reference"]["p95_ms"]),
        f"throughput_{crowd}": ratio(
            figures["throughput_msg_per_s"]["iwm"], figures["throughput_msg_per_s"]["reference"]
        ),
        "memory_both_servers_vs_reference": ratio(
            memory["iwm_rasa_mb"] + memory["iwm_action_server_mb"], memory["reference_rasa_mb"]
        ),
        "ready_s_difference": round(figures["ready_s"]["iwm"] - figures["ready_s"]["reference"], 1),
    }
    if "iwm" in figures["training_s"]:
        figures["ratios"]["training"] = ratio(
            figures["training_s"]["iwm"], figures["training_s"]["reference"]
        )
    (args.out / "bench.json").write_text(json.dumps(figures, indent=1))
    draw(
        {
            **{f"{name}, 1 at a time": values for name, values in single.items()},
            **{f"{name}, {crowd} at once": values for name, values in crowded.items()},
        },
        args.out / "bench.png",
    )
    print(json.dumps(figures["ratios"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
