"""The grid's `schedule` messages: sent at once after an organiser's change, coalesced after sign-ups."""
from __future__ import annotations

import threading
from typing import Any

from barcamp.extensions import db, socketio
from barcamp.realtime.fanout import run_every
from barcamp.realtime.live import LiveHub, hub


class ScheduleHub:
    """Coalesced `schedule` messages after sign-ups: at most one per forum every TALLY_INTERVAL.

    A sign-up burst (a whole room signing up when the grid is published) would otherwise send the
    grid to every screen once per sign-up. Each worker coalesces its own sign-ups and sends through
    `LiveHub.emit`, so versions and the Redis queue work as for every other message; a grid equal
    to the last one sent is not sent again.
    """

    def __init__(self, live: LiveHub) -> None:
        self.live = live
        self.interval = live.interval
        self._dirty: set[int] = set()
        self._last: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._task = None

    def mark(self, event_id: int) -> None:
        if self.live.shared:
            self.live.versions.mark("schedule", event_id)
        with self._lock:
            self._dirty.add(event_id)
            if self._task is None and not self.live._stopped:
                self._task = socketio.start_background_task(self._loop)

    def send(self, event_id: int) -> None:
        """Send the forum's grid now (an organiser's change), unless it equals the last one sent."""
        from barcamp.events.models import Event
        from barcamp.schedule.services import public_grid

        if self.live.shared:  # several workers: the lease holder sends it within the interval
            self.mark(event_id)
            return

        event = db.session.get(Event, event_id)
        if event is None:
            return
        grid = public_grid(event)
        with self._lock:
            if self._last.get(event_id) == grid:
                return
            self._last[event_id] = grid
        self.live.emit(event_id, "schedule", {"grid": grid})

    def flush(self) -> None:
        if self.live.shared:
            from barcamp.schedule.services import public_grid

            self.live._flush_shared("schedule", lambda event: {"grid": public_grid(event)})
            return
        with self._lock:
            dirty, self._dirty = self._dirty, set()
        if not dirty:
            return
        with self.live.app.app_context():
            try:
                for event_id in sorted(dirty):
                    self.send(event_id)
            finally:
                db.session.remove()

    def _loop(self) -> None:
        run_every(self.interval, lambda: self.live._stopped, (self.flush, "schedule"))


def _schedule_hub() -> ScheduleHub:
    live = hub()
    if not hasattr(live, "schedule"):
        live.schedule = ScheduleHub(live)
    return live.schedule


def schedule_changed(event_id: int) -> None:
    """The organiser changed the grid (committed): every screen gets it at once (`published: false` until published)."""
    _schedule_hub().send(event_id)


def signups_changed(event_id: int) -> None:
    """A sign-up was committed: the grid's seat counts go out with the next coalesced `schedule` message."""
    _schedule_hub().mark(event_id)
