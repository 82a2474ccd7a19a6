"""Rasa's tracker store as we extend it: erasure on request, the retention period, the same rows faster."""

from __future__ import annotations

import asyncio
import time

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot.rasa_ext.tracker_store import ERASURE_SLOT, ErasableSQLTrackerStore, erasure_requested

DOMAIN = Domain.from_dict({"slots": {ERASURE_SLOT: {"type": "bool", "mappings": [{"type": "custom"}]}}})


def conversation(sender: str, *events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, list(events), slots=DOMAIN.slots)


def store_at(tmp_path) -> ErasableSQLTrackerStore:
    return ErasableSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))


def connection_settings(database_url: str) -> dict:
    """A database URL as the keyword arguments Rasa's SQL tracker store takes (endpoints.yml)."""
    url = make_url(database_url)
    return {"dialect": url.get_backend_name(), "host": url.host, "port": url.port, "db": url.database,
            "username": url.username}  # fmt: skip


def test_only_a_confirmed_erasure_in_the_latest_turn_counts():
    hello = UserUttered("hello")
    erased = SlotSet(ERASURE_SLOT, True)
    assert erasure_requested([hello, ActionExecuted("action_delete_data"), erased])
    assert not erasure_requested([erased, UserUttered("hi again"), ActionExecuted("action_listen")])
    assert not erasure_requested([hello, SlotSet(ERASURE_SLOT, False)])


def test_erasure_removes_the_whole_conversation_and_only_that_one(tmp_path):
    store = store_at(tmp_path)
    mine = conversation("me", UserUttered("my partner never texts back"), ActionExecuted("action_listen"))
    theirs = conversation("them", UserUttered("hi"))
    asyncio.run(store.save(mine))
    asyncio.run(store.save(theirs))
    assert len(asyncio.run(store.retrieve("me")).events) == 2
    mine.update(UserUttered("/confirm_delete"))
    mine.update(ActionExecuted("action_delete_data"))
    mine.update(SlotSet(ERASURE_SLOT, True))
    asyncio.run(store.save(mine))
    assert asyncio.run(store.retrieve("me")) is None
    assert asyncio.run(store.retrieve("them")) is not None


def test_conversations_older_than_the_retention_period_are_purged(tmp_path):
    store = store_at(tmp_path)
    old = UserUttered("long ago", timestamp=time.time() - 400 * 86400)
    asyncio.run(store.save(conversation("old", old)))
    asyncio.run(store.save(conversation("new", UserUttered("today"))))
    assert store.purge_inactive(time.time() - 365 * 86400) == 1
    assert asyncio.run(store.retrieve("old")) is None and asyncio.run(store.retrieve("new")) is not None
    asyncio.run(store.save(conversation("old", old)))
    assert asyncio.run(store_at(tmp_path).retrieve("old")) is None  # a new store purges when it opens


def test_conversations_read_back_exactly_as_rasas_own_store_reads_them(database_url):
    """Our statements written once must return the rows Rasa's ORM queries return: latest session
    only for a turn, every session for the full history, saved turn by turn with nothing twice."""
    settings = connection_settings(database_url)
    store = ErasableSQLTrackerStore(domain=DOMAIN, **settings)
    two_sessions = [
        [SessionStarted(timestamp=100.0), UserUttered("hi", timestamp=101.0)],
        [ActionExecuted("action_listen", timestamp=102.0), UserUttered("a secure base?", timestamp=103.0)],
        [SessionStarted(timestamp=200.0), UserUttered("back again", timestamp=201.0)],
        [ActionExecuted("utter_greet", timestamp=202.0), SlotSet(ERASURE_SLOT, False, timestamp=203.0)],
    ]
    for turn in two_sessions:  # as Rasa does: each turn starts from the stored latest session
        tracker = asyncio.run(store.retrieve("me")) or conversation("me")
        for event in turn:
            tracker.update(event)
        asyncio.run(store.save(tracker))
    asyncio.run(store.save(conversation("someone else", UserUttered("hello", timestamp=150.0))))
    rasas_own = SQLTrackerStore(domain=DOMAIN, **settings)
    for read in ("retrieve", "retrieve_full_tracker"):
        ours, theirs = (asyncio.run(getattr(each, read)("me")).events for each in (store, rasas_own))
        assert list(ours) == list(theirs)
    latest = asyncio.run(store.retrieve("me")).events
    assert [event.timestamp for event in latest] == [200.0, 201.0, 202.0, 203.0]
    assert len(asyncio.run(store.retrieve_full_tracker("me")).events) == 8
    assert asyncio.run(store.retrieve("nobody")) is None
    store.engine.dispose()
    rasas_own.engine.dispose()
