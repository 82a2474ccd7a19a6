"""What every channel does before a message reaches Rasa: cap its length and the sender's pace.

One limit and one wording for REST, the web chat and Telegram. The NLU cost of a message grows
faster than its length, so nothing longer than MAX_MESSAGE_CHARS is ever classified; and a
sender who floods gets a polite "slow down" without costing the server any NLU at all.
"""

from __future__ import annotations

import os
import re
import time
from collections import OrderedDict
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 4000
CUT_NOTE = (
    f"Your message was longer than I can read at once, so I read the first {MAX_MESSAGE_CHARS:,} "
    "characters. If your question came later, please send it on its own."
)
SLOW_DOWN = "You're sending messages faster than I can read them. Please wait a few seconds, then try again."
RATE_SETTING = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*s\s*$")
# A burst of 20 messages (more than anyone clicks through the questionnaire), then one every 1.5 s.
DEFAULT_RATE = "20/30s"


def bound(text: str) -> tuple[str, bool]:
    """The text cut to MAX_MESSAGE_CHARS, and whether it had to be cut."""
    return (text[:MAX_MESSAGE_CHARS], True) if len(text) > MAX_MESSAGE_CHARS else (text, False)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per key (a sender, a connection, a chat), in bounded memory.

    Each key may send `burst` messages at once and then one every `period_s / burst`
    seconds. The least recently seen keys are forgotten beyond `max_keys`, so a flood of
    new keys cannot grow memory without limit.
    """

    def __init__(self, burst: int, period_s: float, max_keys: int = 50_000):
        if burst < 1 or period_s <= 0:
            raise ValueError("a rate needs at least one message per positive period")
        self.burst = burst
        self.refill_per_s = burst / period_s
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    @classmethod
    def from_setting(cls, setting: str | None) -> RateLimiter:
        """'20/30s' means 20 messages per 30 seconds (IWM_RATE_LIMIT)."""
        match = RATE_SETTING.match(setting or DEFAULT_RATE)
        if not match:
            raise ValueError(f"IWM_RATE_LIMIT must look like '20/30s', not {setting!r}")
        return cls(int(match.group(1)), float(match.group(2)))

    @classmethod
    def from_environment(cls) -> RateLimiter:
        return cls.from_setting(os.environ.get("IWM_RATE_LIMIT"))

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        bucket = self._buckets.pop(key, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.refill_per_s)
        bucket.updated = now
        self._buckets[key] = bucket
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def __len__(self) -> int:
        return len(self._buckets)
