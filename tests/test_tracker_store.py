"""Rasa's tracker store as we extend it: erasure on request and the retention period."""

from __future__ import annotations

import asyncio
import time

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.tracker_store import ERASURE_SLOT, ErasableSQLTrackerStore, erasure_requested

DOMAIN = Domain.from_dict({"slots": {ERASURE_SLOT: {"type": "bool", "mappings": [{"type": "custom"}]}}})


def conversation(sender: str, *events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, list(events), slots=DOMAIN.slots)


def store_at(tmp_path) -> ErasableSQLTrackerStore:
    return ErasableSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))


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
