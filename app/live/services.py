"""The full state a screen needs, sent on join and on resync: shared bytes once, the caller's part apart.

What every phone of a forum sees (the forum, its topics, the quiz and the published grid) is built
with one bulk query per relation and encoded once per forum version: the same bytes go to every
phone of that audience and language (`wire.Raw`). The tally is the one last sent to that audience,
with its stream version (`LiveHub.latest_tally`), encoded once per tally. What is one phone's own
(its votes, its budget, its quiz answers) is small, read per call (one statement on a warm cache),
and spliced in.

A cached part is valid while the forum's message version and its quiz stream's version are those
it was built at, and for SNAPSHOT_MAX_AGE seconds at most (a change that sends no message, such as
an edit of the forum's description, reaches new snapshots within that time).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from types import SimpleNamespace

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from barcamp.common.errors import Unauthorized
from barcamp.events.models import Event
from barcamp.events.presenters import event_out
from barcamp.events.services import get_event
from barcamp.proposals.services import proposals_out, visible_proposals
from barcamp.realtime import PHONES, SCREENS, current_stream_versions, current_version, hub
from barcamp.realtime.wire import Raw, encode
from barcamp.voting.ballots import remaining
from barcamp.voting.services import my_ballots


@dataclass(frozen=True)
class SharedPart:
    """A forum's snapshot for one audience, encoded: `body` without braces, `quiz` an object or None."""

    key: tuple
    built_at: float
    body: bytes
    #: the visible topics, a JSON array (left out for a client already current: see _topics_known)
    proposals: bytes
    quiz: bytes | None
    #: the voting rules a phone's remaining budget is computed with (voting_mode, dots_budget)
    rules: SimpleNamespace


class SnapshotCache:
    """The latest shared part of each forum, audience and language (one entry each)."""

    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self._parts: dict[tuple, SharedPart] = {}
        self._lock = threading.Lock()
        self.builds = 0  # how many times a part was built

    def get(self, slot: tuple, key: tuple) -> SharedPart | None:
        part = self._parts.get(slot)
        if part is None or part.key != key or time.monotonic() - part.built_at > self.max_age:
            return None
        return part

    def put(self, slot: tuple, part: SharedPart) -> None:
        with self._lock:
            self._parts[slot] = part
            self.builds += 1

    def clear(self) -> None:
        with self._lock:
            self._parts.clear()


def snapshot_cache() -> SnapshotCache:
    cache = current_app.extensions.get("barcamp_snapshots")
    if cache is None:
        cache = current_app.extensions["barcamp_snapshots"] = SnapshotCache(
            float(current_app.config.get("SNAPSHOT_MAX_AGE", 1.0)))
    return cache


def _build_shared(event: Event, key: tuple) -> SharedPart:
    """Build and encode what every screen of this audience sees (bulk queries, once)."""
    from barcamp.quiz.services import live_state_for  # the quiz area sits above live
    from barcamp.schedule.services import public_grid  # the schedule area sits above live

    shared = {"event": event_out(event)}
    schedule = public_grid(event)
    if schedule["published"]:
        shared["schedule"] = schedule
    quiz = live_state_for(event, None)
    return SharedPart(key=key, built_at=time.monotonic(), body=encode(shared)[1:-1],
                      proposals=encode(proposals_out(visible_proposals(event.id))),
                      quiz=encode(quiz) if quiz is not None else None,
                      rules=SimpleNamespace(voting_mode=event.voting_mode, dots_budget=event.dots_budget))


def _topics_known(event_id: int, version: int, known: int | None) -> bool:
    """Whether a client current at forum version `known` already holds the forum's topics.

    Live clients apply every message in order and resync on a gap, so one at `known` has applied
    every `proposal` message up to it: if the last one (`topics_at`, recorded before it is sent) is
    not newer, its topics are the server's. Unknown (another process's versions, a restart, several
    workers): the topics are sent.
    """
    if known is None:
        return False
    topics_at = hub().versions.topics_at(event_id)
    return topics_at is not None and topics_at <= known <= version


def _snapshot(event_id: int, audience: str, event: Event | None) -> tuple[int, bytes, SharedPart, bytes]:
    """The forum version, the head's versions, the shared part and the tally (the Event loaded on a miss only).

    The versions are read *before* the database (and the cache is keyed by them), so any change
    committed after the read carries a higher version and reaches the client as a message after
    this snapshot.
    """
    version = current_version(event_id)
    streams = current_stream_versions(event_id)
    streams["tally"], tally = hub().latest_tally(event_id, audience, lambda: event or get_event(event_id))
    slot = (event_id, audience, str(get_locale()))
    key = (version, streams["quiz"])
    cache = snapshot_cache()
    part = cache.get(slot, key)
    if part is None:
        part = _build_shared(event or get_event(event_id), key)
        cache.put(slot, part)
    return version, encode({"version": version, "streams": streams})[1:-1], part, tally


def _assemble(head: bytes, me: dict, part: SharedPart, tally: bytes, quiz: bytes | None, topics_known: bool) -> Raw:
    out = b"{" + head + b',"me":' + encode(me) + b',"tally":' + tally + b"," + part.body
    # a client current at its version keeps its topics (a reconnecting phone: a few hundred bytes, not 100 KB)
    out += b',"proposals_kept":true' if topics_known else b',"proposals":' + part.proposals
    if quiz is not None:
        out += b',"quiz":' + quiz
    return Raw(out + b"}")


class _Admission:
    """Several workers: at most SNAPSHOT_CONCURRENCY snapshots read at once per process, the others wait.

    In a join storm thousands of greenlets read a snapshot, each with a few Redis and database round
    trips. Let all of them in at once and each holds its Redis or database connection while waiting
    for the CPU that the others use: the pools run dry and the last ones fail after the pools'
    timeout (1,840 of 5,000 joins on 3 workers). Queued here, they wait without holding anything
    and are answered in turn; the client keeps the messages that arrive meanwhile.

    One process (memory versions, and SQLite, which never yields) reads a snapshot without a pause,
    so nothing queues there; a queue would only keep every waiting greenlet's stack (about 60 KB a
    phone in a storm).
    """

    def __init__(self) -> None:
        self._semaphore: threading.BoundedSemaphore | None = None
        self._lock = threading.Lock()

    def __enter__(self):
        if not hub().shared:
            return self
        if self._semaphore is None:
            with self._lock:
                if self._semaphore is None:
                    self._semaphore = threading.BoundedSemaphore(int(current_app.config.get("SNAPSHOT_CONCURRENCY", 8)))
        self._semaphore.acquire()
        return self

    def __exit__(self, *_exc) -> None:
        if hub().shared:
            self._semaphore.release()


_admission = _Admission()


def participant_state(event_id: int, participant_id: int, known: int | None = None) -> Raw:
    """Snapshot of a forum for one phone: on a warm cache, one statement (its ballots) and no ORM load.

    `known`: the forum version the phone is current at (it resyncs), if any.
    """
    with _admission:
        return _participant_state(event_id, participant_id, known)


def _participant_state(event_id: int, participant_id: int, known: int | None) -> Raw:
    version, head, part, tally = _snapshot(event_id, PHONES, None)
    votes = my_ballots(participant_id)
    if votes is None:  # erased since it connected
        raise Unauthorized("participant_erased", _("Ce participant a été effacé."))
    me = {"kind": "participant", "participant_id": participant_id, "votes": {str(k): v for k, v in votes.items()},
          "remaining": remaining(part.rules, votes)}
    quiz = part.quiz
    if quiz is not None:
        from barcamp.quiz.services import participant_view  # the quiz area sits above live

        mine = participant_view(get_event(event_id), SimpleNamespace(id=participant_id))
        quiz = quiz[:-1] + b',"me":' + encode(mine) + b"}"
    return _assemble(head, me, part, tally, quiz, _topics_known(event_id, version, known))


def screen_state(event: Event, kind: str, known: int | None = None) -> Raw:
    """Snapshot of a forum for a big screen (projector, organiser)."""
    with _admission:
        return _screen_state(event, kind, known)


def _screen_state(event: Event, kind: str, known: int | None) -> Raw:
    version, head, part, tally = _snapshot(event.id, SCREENS, event)
    return _assemble(head, {"kind": kind}, part, tally, part.quiz, _topics_known(event.id, version, known))
