"""The full state a screen needs, sent on join and on resync: shared bytes once, the caller's part apart.

What every phone of a forum sees (the forum, its topics, the tally, the quiz and the published
grid) is built with one bulk query per relation and encoded once per forum version: the same
bytes go to every phone of that audience and language (`wire.Raw`). What is one phone's own (its
votes, its budget, its quiz answers) is small, built per call, and spliced in.

The tally is the one last sent to the forum's screens, with its stream version (see
`LiveHub.latest_tally`), encoded once per tally. A cached part is valid while the forum's message
version and its quiz stream's version are those it was built at, and for SNAPSHOT_MAX_AGE seconds at most (a change that sends no message, such as
an edit of the forum's description, reaches new snapshots within that time).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import get_locale

from app.accounts.identity import Identity
from app.events.models import Event
from app.events.presenters import event_out
from app.proposals.services import proposals_out, visible_proposals
from app.realtime import PHONES, SCREENS, current_stream_versions, current_version, hub
from app.realtime.wire import Raw, encode
from app.voting.services import my_votes


@dataclass(frozen=True)
class SharedPart:
    """A forum's snapshot for one audience, encoded: `body` without braces, `quiz` an object or None."""

    key: tuple
    built_at: float
    body: bytes
    quiz: bytes | None


class SnapshotCache:
    """The latest shared part of each forum, audience and language (one entry each)."""

    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self._parts: dict[tuple, SharedPart] = {}
        self._lock = threading.Lock()
        self.builds = 0  # how many times a part was built (tests and /metrics read it)

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
    from app.quiz.services import live_state_for  # the quiz area sits above live
    from app.schedule.services import public_grid  # the schedule area sits above live

    shared = {
        "event": event_out(event),
        "proposals": proposals_out(visible_proposals(event.id)),
    }
    schedule = public_grid(event)
    if schedule["published"]:
        shared["schedule"] = schedule
    quiz = live_state_for(event, None)
    return SharedPart(key=key, built_at=time.monotonic(), body=encode(shared)[1:-1],
                      quiz=encode(quiz) if quiz is not None else None)


def event_state(event: Event, identity: Identity) -> Raw:
    """Snapshot of a forum for one screen, stamped with the version it is current at.

    The versions are read *before* the database (and the cache is keyed by them), so any change
    committed after the read carries a higher version and reaches the client as a message after
    this snapshot.
    """
    version = current_version(event.id)
    streams = current_stream_versions(event.id)
    # the tally as last sent, with its own stream version: the next tally message follows it
    streams["tally"], tally = hub().latest_tally(event)
    participant = identity.participant if identity.kind == "participant" else None
    audience = PHONES if participant is not None else SCREENS
    slot = (event.id, audience, str(get_locale()))
    key = (version, streams["quiz"])
    cache = snapshot_cache()
    part = cache.get(slot, key)
    if part is None:
        part = _build_shared(event, key)
        cache.put(slot, part)

    me: dict = {"kind": identity.kind}
    quiz = part.quiz
    if participant is not None:
        votes, remaining = my_votes(event, participant)
        me.update(participant_id=participant.id, votes={str(k): v for k, v in votes.items()}, remaining=remaining)
        if quiz is not None:
            from app.quiz.services import participant_view

            quiz = quiz[:-1] + b',"me":' + encode(participant_view(event, participant)) + b"}"
    head = encode({"version": version, "streams": streams, "me": me})[:-1]
    tail = b',"quiz":' + quiz if quiz is not None else b""
    return Raw(head + b',"tally":' + tally + b"," + part.body + tail + b"}")
