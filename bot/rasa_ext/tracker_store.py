"""Rasa's SQL tracker store, plus erasure on request and a retention period.

A conversation cannot be deleted from inside the turn that asks for it: Rasa saves the
tracker after the turn and would write every event back. So `action_delete_data` sets
the slot `data_erased`, and `save` erases the conversation instead of storing that turn.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import delete, func, select

from bot.privacy import PurgeSchedule, retention_period

logger = logging.getLogger(__name__)
ERASURE_SLOT = "data_erased"


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
        self._purge_schedule = PurgeSchedule()
        self.purge_if_due()

    async def save(self, tracker: DialogueStateTracker) -> None:
        self.purge_if_due()
        if erasure_requested(tracker.events):
            self.erase(tracker.sender_id)
            return
        await super().save(tracker)

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
