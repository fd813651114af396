"""Group commit: concurrent writes of one kind share a transaction, each caller gets its own answer.

A forum of 3,000 phones sends hundreds of votes (or quiz answers) a second. One transaction per
write spends most of its time in per-statement overhead and in the commit (an fsync with
synchronous=FULL). `GroupCommit` forms batches by flat combining: a caller queues its request,
lets the other ready callers queue theirs, then takes the lock; if an earlier caller already wrote
its request, it just returns the outcome, otherwise it writes every queued request in one
transaction with the area's batch function. Every caller returns only once the transaction
holding its write has committed: an acknowledgement still means durable.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from barcamp.common.db import write_transaction

#: at most this many requests in one transaction (bounds how long one commit holds the writers)
MAX_BATCH = 500


class _Slot:
    __slots__ = ("request", "outcome", "done")

    def __init__(self, request: Any) -> None:
        self.request = request
        self.outcome: Any = None
        self.done = False


class GroupCommit:
    """Write concurrent requests in shared transactions with `write_batch(requests) -> outcomes`.

    `write_batch` runs inside write_transaction() and returns, for each request in order, its
    result or the exception refusing it (a refusal does not stop the others). If the transaction
    itself fails, every request of the batch gets that error. Works with threads and with
    gevent's patched locks alike.
    """

    def __init__(self, write_batch: Callable[[Sequence[Any]], list[Any]]) -> None:
        self._write_batch = write_batch
        self._lock = threading.Lock()
        self._queue: deque[_Slot] = deque()  # append and popleft are atomic

    def submit(self, request: Any) -> Any:
        slot = _Slot(request)
        self._queue.append(slot)
        # Let the other ready callers (greenlets whose request has just arrived) queue theirs first:
        # SQLite calls never yield, so without this pause every batch would hold a single request.
        time.sleep(0)
        while not slot.done:
            with self._lock:
                if slot.done:
                    break
                batch = []
                while self._queue and len(batch) < MAX_BATCH:
                    batch.append(self._queue.popleft())
                self._write(batch)
        if isinstance(slot.outcome, BaseException):
            raise slot.outcome
        return slot.outcome

    def _write(self, batch: list[_Slot]) -> None:
        try:
            with write_transaction():
                outcomes = self._write_batch([s.request for s in batch])
        except Exception as failure:  # the whole transaction failed: every request in it is refused
            outcomes = [failure] * len(batch)
        for s, outcome in zip(batch, outcomes):
            s.outcome = outcome
            s.done = True
