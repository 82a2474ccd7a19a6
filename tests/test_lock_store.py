"""Two replicas changing one conversation's lock at the same moment (the shared Redis, own keys)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_ext.lock_store import AtomicRedisLockStore

REDIS = {"host": "127.0.0.1", "port": 6379, "db": 1}
CONVERSATION = "someone"


@pytest.fixture
def prefix() -> Iterator[str]:
    prefix = f"iwmtest{uuid.uuid4().hex[:8]}"
    yield prefix
    red = redis.Redis(**REDIS)
    for key in red.scan_iter(f"{prefix}*"):
        red.delete(key)


def replica(prefix: str) -> AtomicRedisLockStore:
    """One replica's lock store, built as Rasa builds it from endpoints.yml."""
    config = EndpointConfig(url=REDIS["host"], port=REDIS["port"], db=REDIS["db"], key_prefix=prefix)
    return AtomicRedisLockStore(config)


def tickets(store: RedisLockStore) -> list[int]:
    lock = store.get_lock(CONVERSATION)
    return sorted(ticket.number for ticket in lock.tickets) if lock else []


def issue_with_another_replica_in_between(monkeypatch, store: RedisLockStore, other: RedisLockStore):
    """`store` issues a ticket, and `other` issues one between `store`'s read and its write."""
    issued_by_other: list[int] = []
    issue = TicketLock.issue_ticket

    def meanwhile(lock: TicketLock, lifetime: float) -> int:
        if not issued_by_other:
            issued_by_other.append(-1)  # (the other replica's own call comes through here too)
            issued_by_other[0] = other.issue_ticket(CONVERSATION)
        return issue(lock, lifetime)

    monkeypatch.setattr(TicketLock, "issue_ticket", meanwhile)
    mine = store.issue_ticket(CONVERSATION)
    monkeypatch.setattr(TicketLock, "issue_ticket", issue)
    return mine, issued_by_other[0]


def test_two_replicas_issuing_at_the_same_moment_get_different_tickets(monkeypatch, prefix):
    store = replica(prefix)
    mine, theirs = issue_with_another_replica_in_between(monkeypatch, store, replica(prefix))
    assert mine != theirs and tickets(store) == sorted([mine, theirs])


def test_rasas_own_redis_lock_store_hands_both_the_same_ticket(monkeypatch, prefix):
    """The fault the atomic store exists for: the second write overwrites the first."""
    plain = [RedisLockStore(key_prefix=prefix, **REDIS) for _ in range(2)]
    mine, theirs = issue_with_another_replica_in_between(monkeypatch, *plain)
    assert mine == theirs and tickets(plain[0]) == [mine]


def test_a_lock_is_removed_with_its_last_ticket_and_kept_while_someone_waits(monkeypatch, prefix):
    first, second = replica(prefix), replica(prefix)
    served = first.issue_ticket(CONVERSATION)
    waiting = second.issue_ticket(CONVERSATION)
    first.cleanup(CONVERSATION, served)
    assert tickets(first) == [waiting] and not second.get_lock(CONVERSATION).is_locked(waiting)
    # a ticket issued while the last one is released keeps the lock
    remove = TicketLock.remove_ticket_for
    arrived: list[int] = []

    def meanwhile(lock: TicketLock, number: int) -> None:
        if not arrived:
            arrived.append(first.issue_ticket(CONVERSATION))
        remove(lock, number)

    monkeypatch.setattr(TicketLock, "remove_ticket_for", meanwhile)
    second.cleanup(CONVERSATION, waiting)
    monkeypatch.setattr(TicketLock, "remove_ticket_for", remove)
    assert tickets(first) == arrived
    first.cleanup(CONVERSATION, arrived[0])
    assert first.get_lock(CONVERSATION) is None


def test_redis_down_is_a_lock_error_the_channels_can_report(prefix):
    config = EndpointConfig(url="127.0.0.1", port=1, key_prefix=prefix, socket_timeout=1)
    with pytest.raises(Exception, match="Error while acquiring lock"):
        AtomicRedisLockStore(config).issue_ticket(CONVERSATION)
