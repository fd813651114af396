"""Version counters: one per forum (and per stream, per workshop board), in memory or in Redis.

Every message to a forum's room carries `version`, a per-forum counter that grows by one per
message. A client that sees a gap (or reconnects) asks for the full state again. With several
workers the counters live in Redis, which also carries the messages (a Lua publish that takes the
version), the coalescing marks and the flusher lease.
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

from barcamp.extensions import socketio
from barcamp.realtime.rooms import NAMESPACE, event_room, stream_counter

log = logging.getLogger(__name__)


class MemoryVersions:
    """Per-forum message counters of a single process, monotonic across restarts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[int, int] = {}
        # Start from the clock (ms) so a restarted server never reuses versions clients have seen.
        self._origin = int(time.time() * 1000)
        self._topics: dict[int, int] = {}

    def current(self, event_id: int) -> int:
        with self._lock:
            return self._values.get(event_id, self._origin)

    def next(self, event_id: int) -> int:
        with self._lock:
            value = self._values.get(event_id, self._origin) + 1
            self._values[event_id] = value
            return value

    def mark_topics(self, event_id: int, version: int) -> None:
        """Record the forum version of a `proposal` message (the topics changed at that version)."""
        with self._lock:
            self._topics[event_id] = max(version, self._topics.get(event_id, 0))

    def topics_at(self, event_id: int) -> int | None:
        """The version of the forum's last `proposal` message heard by this process (None: unknown)."""
        return self._topics.get(event_id)


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

    _STORE_LATEST = """
    local current = redis.call('GET', KEYS[1])
    if current and tonumber(string.match(current, '^(%d+):')) >= tonumber(ARGV[1]) then return 0 end
    redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 'EX', 86400)
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
        self._store_latest = self._redis.register_script(self._STORE_LATEST)
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

    def mark_topics(self, event_id: int, version: int) -> None:
        """Several workers: not recorded (a resync always carries the topics; see MemoryVersions)."""

    def topics_at(self, event_id: int) -> int | None:
        return None

    def _latest_key(self, counter: str) -> str:
        return f"barcamp:latest:{counter}"

    def store_latest(self, counter: str, version: int, body: bytes) -> None:
        """Record a stream's last published snapshot: `<version>:<JSON body>` (never an older one)."""
        self._store_latest(keys=[self._latest_key(counter)], args=[version, body])

    def seed_latest(self, counter: str, body: bytes) -> tuple[int, bytes]:
        """Record `body` under the stream's current version unless a snapshot is recorded; return the recorded one."""
        version = self.current(counter)
        self._redis.set(self._latest_key(counter), b"%d:%s" % (version, body), nx=True, ex=86400)
        return self.latest(counter) or (version, body)

    def latest(self, counter: str) -> tuple[int, bytes] | None:
        """A stream's last published snapshot, (version, encoded body), or None."""
        value = self._redis.get(self._latest_key(counter))
        if value is None:
            return None
        version, _, body = value.partition(b":")
        return int(version), body

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
