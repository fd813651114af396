"""Socket guards: a per-connection token bucket, unknown events, and ending an organiser's sockets.

The bucket lives in the connection's WSGI environ (one dict per connection, kept by Engine.IO),
so checking it costs a dict lookup and a few float operations: O(1) per event, no lock, no I/O.
"""
from __future__ import annotations

import logging
from time import monotonic

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_socketio import disconnect

from app.extensions import socketio
from app.realtime import NAMESPACE

log = logging.getLogger(__name__)

_BUCKET = "barcamp.event_bucket"


class EventBucket:
    """Token bucket: `rate` events per second on average, bursts of `burst`."""

    __slots__ = ("burst", "cutoff", "rate", "refused", "stamp", "tokens")

    def __init__(self, rate: float, burst: int, cutoff: int):
        self.tokens = float(burst)
        self.stamp = monotonic()
        self.refused = 0
        self.rate, self.burst, self.cutoff = rate, burst, cutoff

    def take(self) -> bool:
        now = monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.refused += 1
        return False


def rate_limited_ack() -> dict:
    return {"ok": False, "error": {"code": "rate_limited",
                                   "message": _("Trop de messages : patientez un instant puis réessayez.")}}


def allow_event() -> bool:
    """Take one token for this connection's event; cut a connection that keeps flooding."""
    environ = request.environ
    bucket = environ.get(_BUCKET)
    if bucket is None:
        config = current_app.config
        bucket = environ[_BUCKET] = EventBucket(config["SOCKET_EVENT_RATE"], config["SOCKET_EVENT_BURST"],
                                                config["SOCKET_FLOOD_CUTOFF"])
    if bucket.take():
        return True
    if bucket.refused == bucket.cutoff:
        log.warning("socket %s cut: %s events refused for flooding", getattr(request, "sid", "?"), bucket.refused)
        key = _caller_key(session.get("live_identity") or {})
        if key:  # a fresh connection would bring a fresh bucket: bar the caller for a while
            _barred().update({key: monotonic() + current_app.config.get("SOCKET_FLOOD_PENALTY", 30)})
        disconnect()
    return False


def _barred() -> dict[str, float]:
    """Callers cut for flooding, until when (per process; a worker's flooder is cut by that worker)."""
    return current_app.extensions.setdefault("barcamp_socket_barred", {})


def _caller_key(stored: dict) -> str | None:
    kind = stored.get("kind")
    ident = {"organiser": stored.get("organiser_id"), "participant": stored.get("participant_id"),
             "projector": stored.get("event_id")}.get(kind)
    return f"{kind}:{ident}" if ident is not None else None


def is_barred(identity) -> bool:
    """Whether this identity was cut for flooding less than SOCKET_FLOOD_PENALTY seconds ago."""
    ident = {"organiser": identity.organiser.id if identity.organiser else None,
             "participant": identity.participant.id if identity.participant else None,
             "projector": identity.event_id}.get(identity.kind)
    barred = _barred()
    until = barred.get(f"{identity.kind}:{ident}")
    if until is None:
        return False
    if until < monotonic():
        barred.pop(f"{identity.kind}:{ident}", None)
        return False
    return True


def screen_event(args: tuple) -> dict | None:
    """The ack refusing a client event before its handler runs, or None to run it."""
    if not allow_event():
        return rate_limited_ack()
    if len(args) > 1:  # every client event carries one payload at most
        return {"ok": False, "error": {"code": "invalid_input", "message": _("Message mal formé.")}}
    return None


@socketio.on("*", namespace=NAMESPACE)
def on_unknown_event(event, *args):
    """Any event without a handler: refused in the ack, and counted in the bucket like the others."""
    if not allow_event():
        return rate_limited_ack()
    return {"ok": False, "error": {"code": "unknown_event", "message": _("Message inconnu.")}}


def organiser_room(organiser_id: int) -> str:
    return f"organiser-{organiser_id}"


def disconnect_organiser(organiser_id: int) -> int:
    """Close every /live connection of this organiser held by this process; return how many.

    Other workers (Redis scale-out) refuse the organiser's next event instead: its stored
    session id no longer matches (see app/accounts/identity.py).
    """
    server = socketio.server
    if server is None:
        return 0
    sids = list(server.manager.get_participants(NAMESPACE, organiser_room(organiser_id)))
    for sid, _eio_sid in sids:
        server.disconnect(sid, namespace=NAMESPACE)
    return len(sids)
