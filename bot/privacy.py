"""Privacy in one place: pseudonyms, the retention period and when to purge.

Every store and channel that needs to hide who someone is uses `pseudonymize` with the one
key from `pseudonym_key`; every store that keeps data about people purges it after
`retention_period` of inactivity, checked at most once a day by a `PurgeSchedule`.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import time
from datetime import timedelta

from bot.keys import secret

DEFAULT_RETENTION_DAYS = 365
RETENTION_RANGE_DAYS = (1, 3650)


class ConfigurationError(ValueError):
    """A setting is outside what the bot can work with; the message says which and why."""


def pseudonym_key() -> bytes:
    """IWM_PSEUDONYM_KEY (or IWM_PSEUDONYM_KEY_FILE), else a random key kept in var/pseudonym.key."""
    return secret("IWM_PSEUDONYM_KEY", filename="pseudonym.key").encode()


def pseudonymize(namespace: str, identifier: str, key: bytes) -> str:
    """A keyed hash (HMAC-SHA256) of an identifier within a namespace (a channel)."""
    return hmac.new(key, f"{namespace}\x1f{identifier}".encode(), hashlib.sha256).hexdigest()


def retention_period() -> timedelta:
    """How long data of an inactive person is kept: IWM_RETENTION_DAYS, 1 to 3650, default 365."""
    setting = os.environ.get("IWM_RETENTION_DAYS", "").strip() or str(DEFAULT_RETENTION_DAYS)
    low, high = RETENTION_RANGE_DAYS
    try:
        days = float(setting)
    except ValueError:
        days = math.nan
    if not (math.isfinite(days) and low <= days <= high):
        raise ConfigurationError(
            f"IWM_RETENTION_DAYS must be a number of days from {low} to {high}, not {setting[:20]!r}"
        )
    return timedelta(days=days)


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
