"""Throughput of the cluster with 1 and with 2 Rasa replicas, in one run on this machine.

    .venv/bin/python scripts/cluster_bench.py [results]     # or: make cluster-bench

Each cluster (HAProxy, PostgreSQL tracker store, Redis locks, one action server) gets the bench
conversation from 20 people at once, three rounds, alternating between the two clusters so a
noisy machine slows both alike. Writes cluster-bench.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench import many_at_once, summary  # noqa: E402
from cluster import Cluster, Settings, drop_database  # noqa: E402

from tests.servers import MEASUREMENT_RATE_LIMIT, free_port  # noqa: E402

CROWD, ROUNDS = 20, 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "results")
    args = parser.parse_args()
    token = uuid.uuid4().hex  # the REST token of both clusters
    clusters: dict[str, Cluster] = {}
    latencies: dict[str, list[float]] = {}
    throughput: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="iwm-cluster-bench-") as scratch:
        try:
            for replicas in (1, 2):
                name = f"{replicas}_replica{'s' if replicas > 1 else ''}"
                clusters[name] = Cluster(Settings(
                    replicas=replicas, port=free_port(), database=f"iwm_bench_{uuid.uuid4().hex[:8]}",
                    lock_prefix=f"iwmbench{uuid.uuid4().hex[:8]}", state_dir=Path(scratch) / name,
                    env={"IWM_REST_TOKEN": token, "IWM_RATE_LIMIT": MEASUREMENT_RATE_LIMIT},
                ))  # fmt: skip
                clusters[name].start()
                latencies[name], throughput[name] = [], []
            for _ in range(ROUNDS):
                for name, cluster in clusters.items():
                    measured, per_second = many_at_once(cluster.say, CROWD)
                    latencies[name] += measured
                    throughput[name].append(per_second)
        finally:
            for cluster in clusters.values():
                cluster.stop()
                drop_database(cluster.settings)
    figures = {
        "crowd": CROWD,
        "rounds": ROUNDS,
        "throughput_msg_per_s": {
            name: round(statistics.median(values), 1) for name, values in throughput.items()
        },
        "latency": {name: summary(values) for name, values in latencies.items()},
    }
    one, two = (figures["throughput_msg_per_s"][name] for name in clusters)
    figures["two_vs_one_replica"] = round(two / one, 2)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cluster-bench.json").write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
