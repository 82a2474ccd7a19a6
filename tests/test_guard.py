"""The channel guard every channel applies: one length limit, one pace limit, bounded memory."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.guard import DEFAULT_RATE, MAX_MESSAGE_CHARS, RateLimiter, bound


@given(st.text(max_size=MAX_MESSAGE_CHARS * 2))
def test_no_text_longer_than_the_limit_gets_through_and_shorter_ones_are_untouched(text):
    kept, was_cut = bound(text)
    assert len(kept) <= MAX_MESSAGE_CHARS and was_cut == (len(text) > MAX_MESSAGE_CHARS)
    assert text.startswith(kept)


def test_a_sender_gets_a_burst_then_one_message_per_interval():
    limiter = RateLimiter(burst=3, period_s=3)
    assert [limiter.allow("a", now=0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b", now=0)  # another sender is not slowed by the first
    assert not limiter.allow("a", now=0.5) and limiter.allow("a", now=1.01)
    assert [limiter.allow("a", now=100 + i / 100) for i in range(4)] == [True, True, True, False]


def test_a_flood_of_new_senders_cannot_grow_memory_without_limit():
    limiter = RateLimiter(burst=2, period_s=1, max_keys=100)
    for i in range(10_000):
        limiter.allow(f"sender-{i}", now=0)
    assert len(limiter) == 100


def test_the_rate_setting_is_read_or_refused_clearly():
    assert RateLimiter.from_setting(DEFAULT_RATE).burst == 20
    limiter = RateLimiter.from_setting("5/10s")
    assert (limiter.burst, limiter.refill_per_s) == (5, 0.5)
    for bad in ("fast", "0/10s", "5/0s", "-1/1s"):
        with pytest.raises(ValueError):
            RateLimiter.from_setting(bad)
