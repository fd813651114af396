"""The one place that emits Socket.IO messages: after commit, versioned, tallies coalesced.

Every message to a forum's room carries `version`, a per-forum counter that grows by one per
message. A client that sees a gap (or reconnects) asks for the full state again. Tallies are
not sent per vote: a vote marks its forum dirty, and a background task sends at most one tally
per forum every TALLY_INTERVAL seconds, and only when the ranking changed. In one process,
tallies and quiz answer counts are streams of their own (`"stream": "tally"|"quiz"`, their own
counters): screens hear each one, phones at most one per PHONE_TALLY_INTERVAL, the latest.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from app.extensions import db, socketio
from app.ops import metrics

log = logging.getLogger(__name__)

NAMESPACE = "/live"


def event_room(event_id: int) -> str:
    return f"event:{event_id}"


#: the two audiences of a forum's tallies: big screens (projector, organiser) and phones
SCREENS = "screens"
PHONES = "phones"


def audience_room(event_id: int, audience: str) -> str:
    """Room of one audience of a forum (tallies go to screens and to phones at their own pace)."""
    return f"event:{event_id}:{audience}"


#: coalesced messages that are whole snapshots (a ranking, answer counts): each kind is a stream
#: with its own counter, apart from the forum's message sequence
STREAMS = ("tally", "quiz")


def stream_counter(kind: str, event_id: int) -> str:
    """Counter of one stream of a forum.

    A tally or a quiz count is a whole snapshot, so a client that skips one loses nothing: phones
    can hear fewer of them than screens without seeing a gap in the forum's sequence (and
    resyncing for it).
    """
    return f"{kind}-{event_id}"


class MemoryVersions:
    """Per-forum message counters of a single process, monotonic across restarts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[int, int] = {}
        # Start from the clock (ms) so a restarted server never reuses versions clients have seen.
        self._origin = int(time.time() * 1000)

    def current(self, event_id: int) -> int:
        with self._lock:
            return self._values.get(event_id, self._origin)

    def next(self, event_id: int) -> int:
        with self._lock:
            value = self._values.get(event_id, self._origin) + 1
            self._values[event_id] = value
            return value


class RedisVersions:
    """Per-forum message counters and the message queue shared by every worker through Redis.

    Several workers emit to one forum, and each delivers to its own clients what it reads from
    the queue. For every client to see versions in order, taking the next version and publishing
    the message happen in one Lua script: Redis runs scripts one at a time, so publish order is
    version order. The message is the Socket.IO queue's own `emit` message, published under a host
    id that no server has, so every worker (the sender too) delivers it from the queue.

    Tallies and quiz counts are coalesced across workers: a vote bumps its forum's mark in a Redis
    hash, and one worker at a time, the holder of a short lease, reads the marks every interval,
    computes and publishes, then clears each mark only if no vote bumped it meanwhile (a worker
    killed mid-flush leaves its marks to the next lease holder). The script refuses to publish for
    a worker whose lease has lapsed (a stale tally can never overtake a newer one) and skips a
    body equal to the last one sent.
    """

    HOST_ID = "barcamp-realtime"
    LEASE_MS = 1500
    POOL_SIZE = 32
    _PUBLISH = """
    if ARGV[5] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[5] then return -1 end
    if ARGV[4] ~= '' then
      if redis.call('GET', KEYS[2]) == ARGV[4] then return 0 end
      redis.call('SET', KEYS[2], ARGV[4], 'EX', 86400)
    end
    redis.call('SET', KEYS[1], ARGV[1], 'NX')
    local version = redis.call('INCR', KEYS[1])
    local message = string.gsub(ARGV[3], ARGV[6], tostring(version), 1)
    redis.call('PUBLISH', ARGV[2], message)
    return version
    """
    _CLEAR = """
    if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
    """
    _LEAD = """
    local holder = redis.call('GET', KEYS[1])
    if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
    if holder then return 0 end
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return 1
    """

    def __init__(self, url: str) -> None:
        import redis

        # a bounded pool: a burst of votes queues for a connection instead of opening hundreds
        self._redis = redis.Redis(connection_pool=redis.BlockingConnectionPool.from_url(
            url, max_connections=self.POOL_SIZE, timeout=10))
        self._origin = int(time.time() * 1000)
        self._publish = self._redis.register_script(self._PUBLISH)
        self._lead = self._redis.register_script(self._LEAD)
        self._clear = self._redis.register_script(self._CLEAR)
        self._token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        # a JSON string no payload can hold before ours: the version's place in the message
        self._placeholder = f"__v{uuid.uuid4().hex}__"
        #: marks Redis did not take (it was unreachable): pushed again at the next tick
        self._unsent_marks: set[tuple[str, int]] = set()

    def _key(self, event_id: int) -> str:
        return f"barcamp:version:{event_id}"

    def current(self, event_id: int) -> int:
        value = self._redis.get(self._key(event_id))
        if value is None:
            self._redis.set(self._key(event_id), self._origin, nx=True)
            value = self._redis.get(self._key(event_id))
        return int(value)

    def next(self, event_id: int) -> int:
        self._redis.set(self._key(event_id), self._origin, nx=True)
        return int(self._redis.incr(self._key(event_id)))

    def publish(self, event_id: int, name: str, payload: dict, coalesce: str = "", leased: bool = False, *,
                counter: int | str | None = None, room: str | None = None, ident: dict | None = None) -> int:
        """Take the next version and publish the message in one step; 0: unchanged, -1: lease lost.

        By default the message goes to the forum's room with the forum's counter; a workshop board
        passes its own `counter`, `room` and `ident` ({"workshop_id": …}).
        """
        from flask import json as flask_json  # the encoder Socket.IO uses for the same messages

        counter = event_id if counter is None else counter
        body = {**(ident or {"event_id": event_id}), "version": self._placeholder, **payload}
        message = {"method": "emit", "event": name, "data": [body], "binary": False, "namespace": NAMESPACE,
                   "room": room or event_room(event_id), "skip_sid": None, "callback": None,
                   "host_id": self.HOST_ID}
        digest = ""
        if coalesce:
            digest = hashlib.sha1(flask_json.dumps(payload, sort_keys=True).encode()).hexdigest()
        keys = [self._key(counter), f"barcamp:last:{coalesce or 'none'}:{counter}", "barcamp:flusher"]
        args = [self._origin, socketio.server.manager.channel, flask_json.dumps(message), digest,
                self._token if leased else "", json.dumps(self._placeholder)]
        return int(self._publish(keys=keys, args=args))

    def forget(self, kind: str, event_id: int) -> None:
        """The next coalesced `kind` message of the forum goes out even if its body is unchanged."""
        self._redis.delete(f"barcamp:last:{kind}:{event_id}", f"barcamp:last:{kind}:{stream_counter(kind, event_id)}")

    def mark(self, kind: str, event_id: int) -> None:
        """Mark a forum for the next coalesced message; never fails the committed write it follows.

        If Redis does not answer, the mark is kept here and pushed again at the next tick.
        """
        import redis

        try:
            self._redis.hincrby(f"barcamp:dirty:{kind}", str(event_id), 1)
        except redis.RedisError as error:
            log.warning("Redis: %s mark of %s kept for the next tick (%s)", kind, event_id, error)
            self._unsent_marks.add((kind, event_id))

    def lead(self) -> bool:
        """Take or renew the flusher lease; True while this worker holds it."""
        for kind, event_id in list(self._unsent_marks):
            self._unsent_marks.discard((kind, event_id))
            self.mark(kind, event_id)
        return bool(self._lead(keys=["barcamp:flusher"], args=[self._token, self.LEASE_MS]))

    def marked(self, kind: str) -> dict[int, bytes]:
        """The forums marked since their last flush, with their mark (to clear it if unchanged)."""
        return {int(k): v for k, v in self._redis.hgetall(f"barcamp:dirty:{kind}").items()}

    def clear(self, kind: str, event_id: int, mark: bytes) -> None:
        self._clear(keys=[f"barcamp:dirty:{kind}"], args=[str(event_id), mark])


#: phones served between two yields of a paced broadcast
PACED_CHUNK = 20


def emit_paced(name: str, message: dict, room: str) -> int:
    """Send one message to every client of a room of this process, yielding every PACED_CHUNK clients.

    A broadcast readies one writer per connection; thousands at once queue every vote handler
    (and its acknowledgement) behind them. Paced, the votes that arrive meanwhile interleave. The
    packet is encoded once, as python-socketio's own room emit does. Returns how many were sent.
    """
    from engineio import packet as eio_packet
    from socketio import packet as sio_packet

    server = socketio.server
    encoded = server.packet_class(sio_packet.EVENT, namespace=NAMESPACE, data=[name, message]).encode()
    packets = [eio_packet.Packet(eio_packet.MESSAGE, p) for p in (encoded if isinstance(encoded, list) else [encoded])]
    targets = list(server.manager.get_participants(NAMESPACE, room))
    for i, (_sid, eio_sid) in enumerate(targets, start=1):
        for eio_pkt in packets:
            server._send_eio_packet(eio_sid, eio_pkt)
        if i % PACED_CHUNK == 0:
            socketio.sleep(0)
    return len(targets)


def run_every(interval: float, stopped: Callable[[], bool], *flushes: tuple[Callable[[], Any], str]) -> None:
    """Call each flush every `interval` seconds until `stopped()`: the loop of every coalescing hub.

    A flush that fails is logged and the loop goes on: one forum's error never silences the others.
    """
    while not stopped():
        socketio.sleep(interval)
        if stopped():
            break
        for flush, what in flushes:
            try:
                flush()
            except Exception:
                log.exception("%s broadcast failed", what)


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
        #: forums whose quiz answer counts changed since the last coalesced `quiz` message
        self._quiz_dirty: set[int] = set()
        self._last_quiz: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._task = None
        self._stopped = False

    # -- messages -------------------------------------------------------------------------
    def emit(self, event_id: int, name: str, payload: dict) -> int:
        if self.shared:
            version = self.versions.publish(event_id, name, payload)
        else:
            version = self.versions.next(event_id)
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
        from app.events.models import Event

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
        if self.shared:
            from app.voting.services import compute_results

            return self._flush_shared("tally", compute_results, stream=True)
        with self._lock:
            dirty, self._dirty = self._dirty, set()
        sent = 0
        if not dirty:
            return 0
        from app.events.models import Event
        from app.voting.services import compute_results

        with self.app.app_context():
            try:
                for event_id in sorted(dirty):
                    event = db.session.get(Event, event_id)
                    if event is None:
                        continue
                    results = compute_results(event)
                    if self._last_ranking.get(event_id) == results:
                        continue
                    self._last_ranking[event_id] = results
                    self._send_stream("tally", event_id, results)
                    sent += 1
            finally:
                db.session.remove()
        return sent

    # -- quiz answer counts (coalesced like tallies) ----------------------------------------
    def mark_quiz(self, event_id: int) -> None:
        if self.shared:
            self.versions.mark("quiz", event_id)
        with self._lock:
            self._quiz_dirty.add(event_id)
            self._start_loop()

    def flush_quiz(self) -> int:
        """Send the answer counts of each forum whose counts changed since the last message."""
        if self.shared:
            from app.quiz.services import live_counts

            return self._flush_shared("quiz", live_counts, stream=True)
        with self._lock:
            dirty, self._quiz_dirty = self._quiz_dirty, set()
        if not dirty:
            return 0
        from app.events.models import Event
        from app.quiz.services import live_counts

        sent = 0
        with self.app.app_context():
            try:
                for event_id in sorted(dirty):
                    event = db.session.get(Event, event_id)
                    body = live_counts(event) if event is not None else None
                    if body is None or self._last_quiz.get(event_id) == body:
                        continue
                    self._last_quiz[event_id] = body
                    self._send_stream("quiz", event_id, body)
                    sent += 1
            finally:
                db.session.remove()
        return sent

    def _send_stream(self, kind: str, event_id: int, body: dict) -> None:
        """Send a snapshot to the forum's screens now, and to its phones when their interval allows."""
        version = self.versions.next(stream_counter(kind, event_id))
        message = {"event_id": event_id, "version": version, "stream": kind, **body}
        socketio.emit(kind, message, to=audience_room(event_id, SCREENS), namespace=NAMESPACE)
        with self._lock:
            self._phones_due[(kind, event_id)] = message
        self.flush_phone_streams()

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
                self.versions.publish(event_id, kind, body, leased=True, counter=stream_counter(kind, event_id),
                                      room=audience_room(event_id, PHONES))
                continue
            emit_paced(kind, message, audience_room(event_id, PHONES))
        return len(due)

    def _loop(self) -> None:
        def tallies() -> None:
            self.flush_tallies()
            self.flush_phone_streams()

        run_every(self.interval, lambda: self._stopped, (tallies, "tally"), (self.flush_quiz, "quiz"))

    def stop(self) -> None:
        self._stopped = True

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
    live.emit(proposal_payload["event_id"], "proposal", {"proposal": proposal_payload})
    live.mark_tally(proposal_payload["event_id"])


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


# -- the grid ---------------------------------------------------------------------------------------

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
        from app.events.models import Event
        from app.schedule.services import public_grid

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
            from app.schedule.services import public_grid

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


# -- workshop boards (coalesced like tallies) ---------------------------------------------------
def workshop_room(workshop_id: int) -> str:
    return f"workshop:{workshop_id}"


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
        from app.workshops.models import Workshop
        from app.workshops.services import board_state

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
        from app.workshops.models import Workshop
        from app.workshops.services import board_state

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
