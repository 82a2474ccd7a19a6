"""Secrets come from the environment or from files, never from the command line (argv is public in `ps`).

`secret("IWM_REST_TOKEN")` returns the variable when it is set, else the contents of the
file named by IWM_REST_TOKEN_FILE, else a random value kept in var/<name> (IWM_VAR_DIR), created once
with mode 0600 so only this user can read it.
"""

from __future__ import annotations

import os
import secrets as random_secrets
from pathlib import Path

# Where the bot keeps its databases and secrets unless told otherwise (IWM_VAR_DIR).
VAR_DIR = Path(os.environ.get("IWM_VAR_DIR") or Path(__file__).resolve().parent.parent / "var")


def secret(name: str, generate: bool = True, filename: str | None = None) -> str | None:
    """The secret called `name`; None only when it is not configured and `generate` is False."""
    value = os.environ.get(name)
    if value:
        return value
    named_file = os.environ.get(f"{name}_FILE")
    if named_file:
        return Path(named_file).read_text().strip()
    kept = VAR_DIR / (filename or name.lower())
    if kept.exists():
        return kept.read_text().strip()
    if not generate:
        return None
    return _create(kept)


def _create(path: Path) -> str:
    """Write a new random secret readable only by this user; if another process won the race, use theirs."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = random_secrets.token_hex(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(value)
    return value
