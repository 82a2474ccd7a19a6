"""`make audit` says "could not audit" rather than "no known vulnerabilities" when it checked nothing."""

from __future__ import annotations

import importlib.util
import json
import subprocess

import pytest

from tests.servers import ROOT

spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def pip_audit_says(monkeypatch, stdout: str, stderr: str = "") -> None:
    monkeypatch.setattr(
        subprocess, "run", lambda *args, **kwargs: subprocess.CompletedProcess(args, 0, stdout, stderr)
    )


@pytest.mark.parametrize(
    ("dependencies", "status", "said"),
    [
        ([{"name": "a", "version": "1", "skip_reason": "not found on PyPI"}] * 3, 2, "Could not audit"),
        ([{"name": "a", "version": "1", "vulns": []}], 0, "No known vulnerabilities"),
        ([{"name": "sanic", "version": "21.12.2", "vulns": [{"id": "GHSA-x", "fix_versions": ["22.6"]}]}], 1,
         "GHSA-x (fixed in: 22.6)"),
    ],
)  # fmt: skip
def test_the_audit_reports_what_it_could_check(monkeypatch, capsys, dependencies, status, said):
    pip_audit_says(monkeypatch, json.dumps({"dependencies": dependencies}))
    assert audit.main() == status
    assert said in capsys.readouterr().out


def test_an_unreachable_vulnerability_service_is_no_result(monkeypatch, capsys):
    pip_audit_says(monkeypatch, "", "requests.exceptions.ConnectionError: api.osv.dev")
    assert audit.main() == 2
    assert "unreachable" in capsys.readouterr().out
