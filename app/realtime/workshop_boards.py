"""Workshop boards: the whole board to the workshop's room, coalesced like tallies."""
from __future__ import annotations

import threading
from typing import Any

from barcamp.extensions import db, socketio
from barcamp.realtime.fanout import run_every
from barcamp.realtime.live import LiveHub, hub
from barcamp.realtime.rooms import NAMESPACE, workshop_room


def _board_counter(workshop_id: int) -> str:
    """Key of a workshop's message counter, beside the forums' counters."""
    return f"workshop-{workshop_id}"


class BoardHub:
    """Coalesced `board` messages to a workshop's room: the full board, at most one per BOARD_INTERVAL.

    A card change marks its workshop dirty; a background task sends the board (with a per-workshop
    `version`) when it changed. The version is taken *before* the board is read, so a higher
    version always carries a board at least as new. Each message is the whole board: a client
    that missed one needs no extra round trip, the next one replaces everything; it joins again
    (`workshop_join`) after a reconnect.
    """

    def __init__(self, live: LiveHub) -> None:
        self.live = live
        self.interval = float(live.app.config.get("BOARD_INTERVAL", 0.1))
        self._dirty: set[int] = set()
        self._last: dict[int, Any] = {}
        self._lock = threading.Lock()
        #: held while a flush reads the database; drain() waits on it
        self._flushing = threading.Lock()
        self._closed = False
        self._task = None

    def drain(self) -> None:
        """Stop flushing and wait for a flush in progress (before the database goes away, e.g. in tests)."""
        self._closed = True
        with self._flushing:
            pass

    def mark(self, workshop_id: int) -> None:
        if self.live.shared:
            self.live.versions.mark("board", workshop_id)
        with self._lock:
            self._dirty.add(workshop_id)
            if self._task is None and not self.live._stopped:
                self._task = socketio.start_background_task(self._loop)

    def current(self, workshop_id: int) -> int:
        return self.live.versions.current(_board_counter(workshop_id))

    def flush(self) -> int:
        """Send the board of each dirty workshop whose content changed; return how many were sent."""
        with self._flushing:
            return 0 if self._closed else self._flush()

    def _flush(self) -> int:
        if self.live.shared:  # several workers: the lease holder sends it, in version order
            return self.live._flush_shared("board", self._board_body, lambda workshop_id: {
                "counter": _board_counter(workshop_id), "room": workshop_room(workshop_id),
                "ident": {"workshop_id": workshop_id}})
        with self._lock:
            dirty, self._dirty = self._dirty, set()
        if not dirty:
            return 0
        from barcamp.workshops.models import Workshop
        from barcamp.workshops.services import board_state

        sent = 0
        with self.live.app.app_context():
            try:
                for workshop_id in sorted(dirty):
                    version = self.live.versions.next(_board_counter(workshop_id))
                    workshop = db.session.get(Workshop, workshop_id)
                    if workshop is None:
                        continue
                    board = board_state(workshop)
                    if self._last.get(workshop_id) == board:
                        continue
                    self._last[workshop_id] = board
                    socketio.emit("board", {"workshop_id": workshop_id, "version": version, "board": board},
                                  to=workshop_room(workshop_id), namespace=NAMESPACE)
                    sent += 1
            finally:
                db.session.remove()
        return sent

    @staticmethod
    def _board_body(workshop_id: int) -> dict | None:
        from barcamp.workshops.models import Workshop
        from barcamp.workshops.services import board_state

        workshop = db.session.get(Workshop, workshop_id)
        return {"board": board_state(workshop)} if workshop is not None else None

    def _loop(self) -> None:
        # closed: shutting down (tests drop the schema next), no more reads
        run_every(self.interval, lambda: self.live._stopped or self._closed, (self.flush, "board"))


def boards() -> BoardHub:
    live = hub()
    if not hasattr(live, "boards"):
        live.boards = BoardHub(live)
    return live.boards


def board_changed(workshop_id: int) -> None:
    """A card of the workshop changed (committed): the board goes out with the next coalesced message."""
    boards().mark(workshop_id)


def board_version(workshop_id: int) -> int:
    return boards().current(workshop_id)
