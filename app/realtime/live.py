"""A forum's messages: versioned broadcasts after commit, and tallies and quiz counts coalesced.

Every message to a forum's room carries `version`, a per-forum counter that grows by one per
message. A client that sees a gap (or reconnects) asks for the full state again. Tallies are
not sent per vote: a vote marks its forum dirty, and a background task sends at most one tally
per forum every TALLY_INTERVAL seconds, and only when the ranking changed. In one process,
tallies and quiz answer counts are streams of their own (`"stream": "tally"|"quiz"`, their own
counters): screens hear each one, phones at most one per PHONE_TALLY_INTERVAL, the latest.
"""
from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, current_app

from barcamp.extensions import db, socketio
from barcamp.ops import metrics
from barcamp.realtime import wire
from barcamp.realtime.deltas import ranking_delta
from barcamp.realtime.fanout import emit_paced, run_every
from barcamp.realtime.rooms import NAMESPACE, PHONES, SCREENS, STREAMS, audience_room, event_room, stream_counter
from barcamp.realtime.versions import MemoryVersions, RedisVersions


class LiveHub:
    """Versioned broadcasts to a forum's room and the coalescing tally loop."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.interval = float(app.config["TALLY_INTERVAL"])
        #: phones hear at most one tally per PHONE_TALLY_INTERVAL: the fan-out to thousands of
        #: phones, not the vote, is what costs a server (docs/performance.md)
        self.phone_interval = float(app.config.get("PHONE_TALLY_INTERVAL", 0.5))
        self._phones_due: dict[tuple[str, int], dict] = {}
        self._phones_sent_at: dict[tuple[str, int], float] = {}
        url = app.config.get("REDIS_URL")
        self.versions = RedisVersions(url) if url else MemoryVersions()
        #: several workers share Redis: versions, publication and coalescing go through it
        self.shared = isinstance(self.versions, RedisVersions)
        self._dirty: set[int] = set()
        self._last_ranking: dict[int, Any] = {}
        #: one process: the last tally each audience of each forum was sent, (stream version, encoded
        #: body, body): the join snapshot carries it, and the next tally is a delta from it
        self._latest_tally: dict[tuple[int, str], tuple[int, bytes, dict]] = {}
        #: forums whose quiz answer counts changed since the last coalesced `quiz` message
        self._quiz_dirty: set[int] = set()
        self._last_quiz: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._task = None
        self._stopped = False

    # -- messages -------------------------------------------------------------------------
    def emit(self, event_id: int, name: str, payload: dict, on_version=None) -> int:
        """Send a message to the forum's room with the forum's next version; `on_version(version)` runs
        before it is sent (one process)."""
        if self.shared:
            version = self.versions.publish(event_id, name, payload)
        else:
            version = self.versions.next(event_id)
            if on_version is not None:
                on_version(version)
            socketio.emit(name, {"event_id": event_id, "version": version, **payload}, to=event_room(event_id),
                          namespace=NAMESPACE)
        metrics.broadcast_sent(name)
        return version

    def _start_loop(self) -> None:
        """Start the coalescing loop once (call with self._lock held)."""
        if self._task is None and not self._stopped:
            self._task = socketio.start_background_task(self._loop)

    def _flush_shared(self, kind: str, body_of, target=None, stream: bool = False) -> int:
        """Several workers: the lease holder reads the forums marked in Redis and publishes their bodies.

        `body_of(event)` gives a forum's message body (None: nothing to send). With `target`, the
        marks are other ids (workshops): `body_of(id)` and `target(id)` -> publish() keywords.
        A `stream` (tallies, quiz counts) goes to the forum's screens now, with the stream's own
        counter, and to its phones at their pace (flush_phone_streams), as in one process.
        """
        with self._lock:
            (self._dirty if kind == "tally" else self._quiz_dirty).clear()
        if not self.versions.lead():
            return 0
        dirty = self.versions.marked(kind)
        if not dirty:
            return 0
        from barcamp.events.models import Event

        sent = 0
        with self.app.app_context():
            try:
                for event_id in sorted(dirty):
                    if target is None:
                        event = db.session.get(Event, event_id)
                        body = body_of(event) if event is not None else None
                        where = {}
                    else:
                        body, where = body_of(event_id), target(event_id)
                    if body is not None and stream:
                        body = {"stream": kind, **body}
                        where = {"counter": stream_counter(kind, event_id), "room": audience_room(event_id, SCREENS)}
                    if body is not None:
                        version = self.versions.publish(event_id, kind, body, coalesce=kind, leased=True, **where)
                        if version == -1:  # the lease lapsed meanwhile: the next holder sends it
                            break
                        if stream and version:
                            with self._lock:
                                self._phones_due[(kind, event_id)] = {"event_id": event_id, **body}
                            if kind == "tally" and version > 0:
                                snapshot = {k: v for k, v in body.items() if k != "stream"}
                                self.versions.store_latest(stream_counter(kind, event_id), version,
                                                           wire.encode(snapshot))
                    self.versions.clear(kind, event_id, dirty[event_id])
                    db.session.rollback()  # the next forum (and the next round) read fresh data
                    if body is not None and version:
                        metrics.broadcast_sent(kind)
                        sent += 1
            finally:
                db.session.remove()
        return sent

    # -- tallies --------------------------------------------------------------------------
    def mark_tally(self, event_id: int) -> None:
        if self.shared:
            self.versions.mark("tally", event_id)
        with self._lock:
            self._dirty.add(event_id)
            self._start_loop()

    def flush_tallies(self) -> int:
        """Send a tally for each forum whose ranking changed since the last one; return how many."""
        from barcamp.voting.services import compute_results

        if self.shared:
            return self._flush_shared("tally", compute_results, stream=True)
        return self._flush_local("tally", "_dirty", self._last_ranking, compute_results)

    # -- quiz answer counts (coalesced like tallies) ----------------------------------------
    def mark_quiz(self, event_id: int) -> None:
        if self.shared:
            self.versions.mark("quiz", event_id)
        with self._lock:
            self._quiz_dirty.add(event_id)
            self._start_loop()

    def flush_quiz(self) -> int:
        """Send the answer counts of each forum whose counts changed since the last message."""
        from barcamp.quiz.services import live_counts

        if self.shared:
            return self._flush_shared("quiz", live_counts, stream=True)
        return self._flush_local("quiz", "_quiz_dirty", self._last_quiz, live_counts)

    def _flush_local(self, kind: str, dirty_attr: str, last: dict, snapshot) -> int:
        """One process: send `kind` for each forum marked in `dirty_attr` whose `snapshot(event)` changed."""
        with self._lock:
            dirty = getattr(self, dirty_attr)
            setattr(self, dirty_attr, set())
        if not dirty:
            return 0
        from barcamp.events.models import Event

        sent = 0
        with self.app.app_context():
            try:
                for event_id in sorted(dirty):
                    event = db.session.get(Event, event_id)
                    body = snapshot(event) if event is not None else None
                    if body is None or last.get(event_id) == body:
                        continue
                    last[event_id] = body
                    self._send_stream(kind, event_id, body)
                    sent += 1
            finally:
                db.session.remove()
        return sent

    def _send_stream(self, kind: str, event_id: int, body: dict) -> None:
        """Send a snapshot to the forum's screens now, and to its phones when their interval allows."""
        with self._lock:  # the version and the latest body change together (latest_tally reads both)
            version = self.versions.next(stream_counter(kind, event_id))
        message = self._stream_message(kind, event_id, SCREENS, version, body)
        socketio.emit(kind, message, to=audience_room(event_id, SCREENS), namespace=NAMESPACE)
        with self._lock:
            self._phones_due[(kind, event_id)] = {"event_id": event_id, "version": version, "body": body}
        self.flush_phone_streams()

    def _stream_message(self, kind: str, event_id: int, audience: str, version: int, body: dict) -> dict:
        """One process: a stream's message to one audience; a tally is a delta from the audience's last one.

        The audience's latest tally becomes this one in the same step, so a phone that joins from now
        on gets it in its snapshot and ignores this message (same version), and one that joined before
        applies the delta on exactly the tally it has (`base`).
        """
        head = {"event_id": event_id, "version": version, "stream": kind}
        if kind != "tally":
            return {**head, **body}
        with self._lock:
            previous = self._latest_tally.get((event_id, audience))
            self._latest_tally[(event_id, audience)] = (version, wire.encode(body), body)
        delta = ranking_delta(previous[2], body) if previous is not None else None
        if delta is None:
            return {**head, **body}
        return {**head, "base": previous[0], **delta}

    def flush_phone_streams(self, force: bool = False) -> int:
        """Send phones the latest snapshot of each stream whose phones have waited long enough."""
        now = time.monotonic()
        due = []
        with self._lock:
            for key, message in list(self._phones_due.items()):
                if force or now - self._phones_sent_at.get(key, 0.0) >= self.phone_interval:
                    due.append((key[0], message))
                    del self._phones_due[key]
                    self._phones_sent_at[key] = now
        for kind, message in due:
            event_id = message["event_id"]
            if self.shared:  # the lease holder's latest snapshot, with the stream's next version
                body = {k: v for k, v in message.items() if k not in ("event_id", "version")}
                version = self.versions.publish(event_id, kind, body, leased=True,
                                                counter=stream_counter(kind, event_id),
                                                room=audience_room(event_id, PHONES))
                if kind == "tally" and version > 0:  # a join's snapshot is never older than what a phone heard
                    self.versions.store_latest(stream_counter(kind, event_id), version, wire.encode(
                        {k: v for k, v in body.items() if k != "stream"}))
                continue
            emit_paced(kind, self._stream_message(kind, event_id, PHONES, message["version"], message["body"]),
                       audience_room(event_id, PHONES))
        return len(due)

    def _loop(self) -> None:
        def tallies() -> None:
            self.flush_tallies()
            self.flush_phone_streams()

        run_every(self.interval, lambda: self._stopped, (tallies, "tally"), (self.flush_quiz, "quiz"))

    def stop(self) -> None:
        self._stopped = True

    def latest_tally(self, event_id: int, audience: str, load_event) -> tuple[int, bytes]:
        """The forum's tally as last sent to this audience: (stream version, encoded body).

        The join snapshot carries it, so the audience's next tally message (a delta) applies on it.
        Before the first tally of this process (or, with several workers, of the forum), the tally
        is computed now (`load_event()` gives the forum) and recorded under the stream's current
        version as if it had been sent: a coalesced tally equal to it then sends nothing, one that
        differs follows it. With several workers, tallies go out whole and both audiences share
        the screens' latest.
        """
        from barcamp.voting.services import compute_results

        counter = stream_counter("tally", event_id)
        if self.shared:
            latest = self.versions.latest(counter)
            if latest is None:
                latest = self.versions.seed_latest(counter, wire.encode(compute_results(load_event())))
            return latest
        latest = self._latest_tally.get((event_id, audience))
        if latest is None:
            other = PHONES if audience == SCREENS else SCREENS
            # the screens' last tally is the stream's: phones seeded with it ignore its phone message
            latest = self._latest_tally.get((event_id, other))
            if latest is None:  # no tally of this forum yet in this process
                body = compute_results(load_event())
                latest = (self.versions.current(counter), wire.encode(body), body)
            with self._lock:
                latest = self._latest_tally.setdefault((event_id, audience), latest)
                self._latest_tally.setdefault((event_id, other), latest)
                self._last_ranking.setdefault(event_id, latest[2])
        return latest[0], latest[1]

    def forget_quiz(self, event_id: int) -> None:
        """The next quiz counts message of the forum goes out even if the counts are unchanged."""
        self._last_quiz.pop(event_id, None)
        if self.shared:
            self.versions.forget("quiz", event_id)


def hub() -> LiveHub:
    return current_app.extensions["barcamp_live"]


def init_app(app: Flask) -> None:
    app.extensions["barcamp_live"] = LiveHub(app)


# -- what handlers call after they commit ---------------------------------------------------
def proposal_changed(proposal_payload: dict) -> None:
    """Tell the forum a topic was added, edited, withdrawn or hidden (clients upsert or drop it)."""
    live = hub()
    event_id = proposal_payload["event_id"]
    # recorded before the message goes out: a phone current at this version or later already holds
    # the topics, and its resync skips them (one process; with several workers a resync carries them)
    live.emit(event_id, "proposal", {"proposal": proposal_payload},
              on_version=lambda version: live.versions.mark_topics(event_id, version))
    live.mark_tally(event_id)


def phase_changed(event_id: int, phase: str, next_phases: list[str]) -> None:
    live = hub()
    live.emit(event_id, "phase", {"phase": phase, "next_phases": next_phases})
    live.mark_tally(event_id)
    if not live.shared:  # several workers: the lease holder sends it within TALLY_INTERVAL
        live.flush_tallies()
        live.flush_phone_streams(force=True)


def quiz_answered(event_id: int) -> None:
    """An answer was committed: the forum's counts go out with the next coalesced `quiz` message."""
    hub().mark_quiz(event_id)


def quiz_changed(event_id: int, state: dict) -> None:
    """A question opened or closed, or the results are shown: every screen hears it at once."""
    live = hub()
    live.forget_quiz(event_id)  # the next counts message goes out even if unchanged
    live.emit(event_id, "quiz", {"kind": "state", "state": state})


def tally_changed(event_id: int) -> None:
    hub().mark_tally(event_id)


def current_version(event_id: int) -> int:
    return hub().versions.current(event_id)


def current_stream_versions(event_id: int) -> dict[str, int]:
    """The current version of each stream of a forum (`streams` of the join snapshot)."""
    versions = hub().versions
    return {kind: versions.current(stream_counter(kind, event_id)) for kind in STREAMS}
