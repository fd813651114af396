"""Full garbage collections at quiet moments, so that a forum never freezes in the middle of a vote.

CPython collects its oldest generation when enough long-lived objects have piled up, whatever
the server is doing. With 3,000 phones connected (greenlets, sockets, sessions: some 300 MB) one
such collection stops the worker for 200-500 ms, and every vote acknowledged during it waits
(docs/performance.md). The young generations stay automatic (they only look at new objects and
take about a millisecond); the oldest one is collected here instead:

- as soon as no socket event has arrived for QUIET_SECONDS, at most once per MIN_GAP seconds,
  and only if younger collections have promoted objects since the last one;
- in any case every MAX_GAP seconds, so that memory held by reference cycles stays bounded on a
  server that is never quiet.

The objects created at start-up (modules, the app, catalogues, metadata) are frozen first: no
collection walks them again, which also shortens the scheduled ones.
"""
from __future__ import annotations

import gc
import time

from barcamp.ops import metrics

#: no socket event for this long (seconds) counts as a quiet moment
QUIET_SECONDS = 1.0
#: seconds between two scheduled full collections, at least
MIN_GAP = 30.0
#: seconds between two full collections, at most, even when the server is never quiet
MAX_GAP = 300.0
#: how often (seconds) the scheduler looks
TICK = 0.5
#: the oldest generation's automatic threshold, high enough never to be reached
NEVER = 10**9


def full_collection_due(now: float, last_full: float, last_event: float, promoted: int) -> bool:
    """Whether to collect the oldest generation now (pure: the scheduler's rule, tested alone)."""
    if now - last_full >= MAX_GAP:
        return True
    return promoted > 0 and now - last_full >= MIN_GAP and now - last_event >= QUIET_SECONDS


def start() -> None:
    """Freeze start-up objects, take the oldest generation off automatic, and schedule it.

    Call once in the serving process (`barcamp run`), before it serves: the schedule runs as a
    background task of the Socket.IO server.
    """
    from barcamp.extensions import socketio

    gc.collect()
    gc.freeze()
    young, middle, _oldest = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)

    def loop() -> None:
        last_full = time.monotonic()
        while True:
            socketio.sleep(TICK)
            now = time.monotonic()
            if full_collection_due(now, last_full, metrics.last_socket_event(), gc.get_count()[2]):
                gc.collect(2)  # its pause is observed by metrics.time_garbage_collections
                last_full = time.monotonic()

    socketio.start_background_task(loop)
