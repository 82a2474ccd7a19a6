"""Privacy in one place: pseudonyms, the retention period and when to purge.

Every store and channel that needs to hide who someone is uses `pseudonymize` with the one
key from `pseudonym_key`; every store that keeps data about people purges it after
`retention_period` of inactivity, checked at most once a day by a `PurgeSchedule`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY_FILE = ROOT / "var" / "pseudonym.key"
DEFAULT_RETENTION_DAYS = 365


def pseudonym_key() -> bytes:
    """IWM_PSEUDONYM_KEY, else a random key created once in var/pseudonym.key (never in the repo)."""
    configured = os.environ.get("IWM_PSEUDONYM_KEY")
    if configured:
        return configured.encode()
    if not KEY_FILE.exists():
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEY_FILE.write_text(secrets.token_hex(32))
        KEY_FILE.chmod(0o600)
    return KEY_FILE.read_text().strip().encode()


def pseudonymize(namespace: str, identifier: str, key: bytes) -> str:
    """A keyed hash (HMAC-SHA256) of an identifier within a namespace (a channel)."""
    return hmac.new(key, f"{namespace}\x1f{identifier}".encode(), hashlib.sha256).hexdigest()


def retention_period() -> timedelta:
    """How long data of an inactive person is kept: IWM_RETENTION_DAYS, default 365."""
    return timedelta(days=float(os.environ.get("IWM_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS))


class PurgeSchedule:
    """At most one retention purge a day, so stores can ask on every use; the first ask is due."""

    INTERVAL_S = 86_400

    def __init__(self) -> None:
        self._last: float | None = None

    def due(self) -> bool:
        now = time.monotonic()
        if self._last is not None and now - self._last < self.INTERVAL_S:
            return False
        self._last = now
        return True
