"""Rasa's Redis lock store, with each change to a conversation's lock made atomic across replicas.

`RedisLockStore` issues a ticket by reading the conversation's lock, adding a ticket and writing
the lock back, and it releases one the same way. Two replicas doing that at the same moment for
one conversation overwrite each other's write: both may then hold "the" ticket and handle two
messages of the conversation at once, and the tracker store keeps only one of them (one
conversation of 40 lost a message's events in a fresh-clone run of tests/test_cluster.py). Here
each change is one Redis transaction (WATCH, then MULTI/EXEC), run again when another replica
changed the lock in between.

    lock_store:
      type: bot.rasa_ext.lock_store.AtomicRedisLockStore
      url: 127.0.0.1
      port: 6379
      key_prefix: iwm
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Result = TypeVar("Result")
# A change to a conversation's lock: the lock as stored (None if there is none) -> the lock to
# store (None to delete it) and what the caller gets back.
Change = Callable[[TicketLock | None], tuple[TicketLock | None, Result]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Built by Rasa from endpoints.yml, with the same settings as its `redis` lock store."""
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: Change) -> Result:
        key = self.key_prefix + conversation_id

        def in_one_transaction(pipe) -> Result:  # redis-py's Pipeline, WATCHing `key`
            stored = pipe.get(key)
            lock, result = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
            pipe.multi()
            if lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, lock.dumps())
            return result

        return self.red.transaction(in_one_transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # as Rasa's own: the channels turn it into "try again"
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """The ticket removed, and the lock with it when nobody else is waiting, in one step."""

        def release(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, release)
