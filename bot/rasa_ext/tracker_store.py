"""Rasa's SQL tracker store, plus erasure on request and a retention period, and leaner.

A conversation cannot be deleted from inside the turn that asks for it: Rasa saves the
tracker after the turn and would write every event back. So `action_delete_data` sets
the slot `data_erased`, and `save` erases the conversation instead of storing that turn.

Reading and saving a conversation took 15% of the Rasa server's busy time under load
(`make profile`), half of it SQLAlchemy building ORM queries anew for every message (cache
keys, compiling). The same rows are read and written here with statements written once;
on SQLite, connections are pooled (SQLAlchemy 1.4 opens a new one per query) and the file
uses write-ahead logging, which keeps each commit durable with one sync instead of several.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot.privacy import PurgeSchedule, retention_period

logger = logging.getLogger(__name__)
ERASURE_SLOT = "data_erased"

# The rows Rasa's own queries return: a conversation's events in order, all of them or those
# of its latest session (from its newest `session_started` on; all, if it has none).
_LATEST_SESSION = f"""
    sender_id = :sender_id AND (
        timestamp >= (SELECT MAX(timestamp) FROM events
                      WHERE sender_id = :sender_id AND type_name = '{SessionStarted.type_name}')
        OR NOT EXISTS (SELECT 1 FROM events
                       WHERE sender_id = :sender_id AND type_name = '{SessionStarted.type_name}'))
"""
ALL_EVENTS = text("SELECT data FROM events WHERE sender_id = :sender_id ORDER BY id")
LATEST_SESSION_EVENTS = text(f"SELECT data FROM events WHERE {_LATEST_SESSION} ORDER BY id")
LATEST_SESSION_COUNT = text(f"SELECT COUNT(*) FROM events WHERE {_LATEST_SESSION}")


def erasure_requested(events: Iterable[Event]) -> bool:
    """Did the latest turn (events since the last user message) confirm an erasure?"""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, SlotSet) and event.key == ERASURE_SLOT and event.value:
            return True
    return False


class ErasableSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            self._pool_sqlite_connections()
        self._purge_schedule = PurgeSchedule()
        self.purge_if_due()

    def _pool_sqlite_connections(self) -> None:
        url = self.engine.url
        self.engine.dispose()
        # one event loop thread uses them, one at a time; SQLAlchemy 2.0 pools SQLite files the same way
        self.engine = create_engine(url, poolclass=QueuePool, connect_args={"check_same_thread": False})
        self.sessionmaker = sessionmaker(bind=self.engine)
        with self.engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")  # kept in the file, for every connection

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        query = ALL_EVENTS if fetch_events_from_all_sessions else LATEST_SESSION_EVENTS
        with self.session_scope() as session:
            rows = session.execute(query, {"sender_id": sender_id}).scalars().all()
        if not (self.domain and rows):
            return None
        return DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows], self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        self.purge_if_due()
        if erasure_requested(tracker.events):
            self.erase(tracker.sender_id)
            return
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = session.execute(LATEST_SESSION_COUNT, {"sender_id": tracker.sender_id}).scalar_one()
            rows = [self._row(tracker.sender_id, event) for event in list(tracker.events)[stored:]]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """The columns Rasa's store writes for an event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def purge_if_due(self) -> int:
        """Apply the retention period (IWM_RETENTION_DAYS) at most once a day."""
        if not self._purge_schedule.due():
            return 0
        purged = self.purge_inactive(time.time() - retention_period().total_seconds())
        if purged:
            logger.info("Retention: removed %d conversations inactive for the retention period", purged)
        return purged

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of this conversation; how many there were."""
        with self.session_scope() as session:
            result = session.execute(delete(self.SQLEvent).where(self.SQLEvent.sender_id == sender_id))
            session.commit()
            return result.rowcount

    def purge_inactive(self, before_timestamp: float) -> int:
        """Delete conversations whose newest event is older than the given Unix time."""
        stale = (
            select(self.SQLEvent.sender_id)
            .group_by(self.SQLEvent.sender_id)
            .having(func.max(self.SQLEvent.timestamp) < before_timestamp)
        )
        with self.session_scope() as session:
            senders = list(session.execute(stale).scalars())
            if senders:
                session.execute(delete(self.SQLEvent).where(self.SQLEvent.sender_id.in_(senders)))
                session.commit()
            return len(senders)
