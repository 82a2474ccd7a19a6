"""`make audit`: pip-audit over requirements.lock, honest about what it could not check.

pip-audit prints "No known vulnerabilities found" even when its vulnerability service knew
none of the packages (a PyPI mirror without advisory data) or could not be reached. This
wrapper counts what was really audited and says plainly when the answer is "unknown".
Exit status: 0 audited and clean, 1 vulnerabilities found, 2 could not audit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = ROOT / ".venv-audit" / "bin" / "pip-audit"
LOCK = ROOT / "requirements.lock"


def main(extra_arguments: list[str] | None = None) -> int:
    command = [str(PIP_AUDIT), "--requirement", str(LOCK), "--no-deps", "--disable-pip",
               "--format", "json", "--progress-spinner", "off", *(extra_arguments or [])]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True)
    try:
        dependencies = json.loads(finished.stdout)["dependencies"]
    except (ValueError, KeyError):
        reason = (finished.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"Could not audit: the vulnerability service was unreachable ({reason[:200]}). No result.")
        return 2
    audited = [dependency for dependency in dependencies if "skip_reason" not in dependency]
    vulnerable = [dependency for dependency in audited if dependency.get("vulns")]
    print(f"Audited {len(audited)} of {len(dependencies)} pinned packages.")
    if not audited:
        print(
            "Could not audit: the vulnerability service had no data for any package (a mirror?). No result."
        )
        return 2
    for dependency in vulnerable:
        for vulnerability in dependency["vulns"]:
            fixed = ", ".join(vulnerability.get("fix_versions") or []) or "no fix yet"
            print(
                f"- {dependency['name']} {dependency['version']}: {vulnerability['id']} (fixed in: {fixed})"
            )
    skipped = len(dependencies) - len(audited)
    if skipped:
        print(f"{skipped} packages could not be checked; the result covers the others only.")
    if vulnerable:
        return 1
    print("No known vulnerabilities in the audited packages.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
