"""`make bench` works: a short smoke run of scripts/bench.py against a plain `rasa init` bot."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.servers import ROOT

pytestmark = pytest.mark.e2e


def test_a_smoke_run_measures_both_stacks_side_by_side(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--smoke", str(tmp_path)],
        check=True,
        timeout=900,
    )
    figures = json.loads((tmp_path / "bench.json").read_text())
    for stack in ("iwm", "reference"):
        one = figures["one_at_a_time"][stack]
        assert one["n"] == 12 and 0 < one["median_ms"] <= one["p95_ms"] <= one["max_ms"]
        assert figures["4_at_once"][stack]["n"] == 24
        assert figures["throughput_msg_per_s"][stack] > 0 and figures["ready_s"][stack] > 0
    memory = figures["memory_mb"]
    assert (
        memory["iwm_rasa_mb"] > 100
        and memory["iwm_action_server_mb"] > 20
        and memory["reference_rasa_mb"] > 100
    )
    assert all(value is not None for value in figures["ratios"].values())
    # the content is loaded when the action server starts, not by the first question it answers
    assert figures["one_at_a_time"]["iwm"]["max_ms"] < 1000
    assert (tmp_path / "bench.png").read_bytes().startswith(b"\x89PNG")
