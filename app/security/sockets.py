"""Socket guards: one budget per caller (not per connection), a cap on its connections, costed events.

A participant's phone needs one connection; a flooder opening many connections with one token
gets no more than a phone. Every connection of a caller (a participant, an organiser, a
projector) draws from one token bucket held by this process: `SOCKET_EVENT_RATE` tokens a
second, bursts of `SOCKET_EVENT_BURST`. An event costs what it costs the server: a vote 1 token,
a `join` or `sync` (a forum's whole state) SOCKET_EVENT_COSTS tokens, opening a connection
SOCKET_CONNECT_COST. A refused event is answered `rate_limited`; a caller refused
SOCKET_FLOOD_CUTOFF times is disconnected everywhere in this process and barred for
SOCKET_FLOOD_PENALTY seconds. A caller holds at most SOCKET_MAX_CONNECTIONS connections: a new one
closes its oldest (a phone back from a Wi-Fi blip gets in at once, its dead connection goes).

Checking costs a dict lookup and a few float operations: O(1) per event, no lock, no I/O. With
several workers each keeps its own budgets (a caller's connections may be spread over them).
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from time import monotonic

from flask import current_app, request, session
from flask_babel import gettext as _

from barcamp.extensions import socketio
from barcamp.realtime import NAMESPACE

log = logging.getLogger(__name__)


class EventBucket:
    """Token bucket: `rate` tokens per second on average, bursts of `burst`."""

    __slots__ = ("burst", "cutoff", "rate", "refused", "stamp", "tokens")

    def __init__(self, rate: float, burst: int, cutoff: int):
        self.tokens = float(burst)
        self.stamp = monotonic()
        self.refused = 0
        self.rate, self.burst, self.cutoff = rate, burst, cutoff

    def take(self, cost: float = 1.0) -> bool:
        now = monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        self.refused += 1
        return False


class Caller:
    """What this process holds for one caller: its budget and its open connections (oldest first)."""

    __slots__ = ("barred_until", "bucket", "sids")

    def __init__(self, bucket: EventBucket) -> None:
        self.bucket = bucket
        self.sids: OrderedDict[str, None] = OrderedDict()
        self.barred_until = 0.0


def _callers() -> dict[str, Caller]:
    return current_app.extensions.setdefault("barcamp_socket_callers", {})


def caller_key(stored: dict) -> str | None:
    """`participant:12`, `organiser:3`, `projector:7` from the ids stored on connect."""
    kind = stored.get("kind")
    ident = {"organiser": stored.get("organiser_id"), "participant": stored.get("participant_id"),
             "projector": stored.get("event_id")}.get(kind)
    return f"{kind}:{ident}" if ident is not None else None


def _caller(key: str) -> Caller:
    callers = _callers()
    caller = callers.get(key)
    if caller is None:
        config = current_app.config
        # an organiser's or a projector's token opens many screens (dashboard, projector, boards),
        # each reloading at a phase change: their budget is SOCKET_SCREEN_BUDGET_FACTOR times larger
        factor = 1 if key.startswith("participant:") else config["SOCKET_SCREEN_BUDGET_FACTOR"]
        caller = callers[key] = Caller(EventBucket(config["SOCKET_EVENT_RATE"] * factor,
                                                   config["SOCKET_EVENT_BURST"] * factor,
                                                   config["SOCKET_FLOOD_CUTOFF"]))
    return caller


def rate_limited_ack() -> dict:
    return {"ok": False, "error": {"code": "rate_limited",
                                   "message": _("Trop de messages : patientez un instant puis réessayez.")}}


def event_cost(name: str) -> float:
    return float(current_app.config["SOCKET_EVENT_COSTS"].get(name, 1))


def admit_connection(stored: dict) -> str | None:
    """Register this connection for its caller; the refusal message, or None when admitted.

    Refused while the caller is barred or out of budget (opening a connection costs
    SOCKET_CONNECT_COST). Past SOCKET_MAX_CONNECTIONS, the caller's oldest connection is closed.
    """
    key = caller_key(stored)
    if key is None:
        return None
    caller = _caller(key)
    if caller.barred_until > monotonic():
        return _("Trop de messages : reconnectez-vous dans un instant.")
    if not caller.bucket.take(float(current_app.config["SOCKET_CONNECT_COST"])):
        return _("Trop de connexions : patientez un instant puis réessayez.")
    limit = current_app.config["SOCKET_MAX_CONNECTIONS"].get(stored.get("kind"), 3)
    oldest = list(caller.sids)[: max(0, len(caller.sids) - limit + 1)]
    caller.sids[request.sid] = None
    for sid in oldest:  # the phone's previous connection (a Wi-Fi blip leaves it open until its ping times out)
        caller.sids.pop(sid, None)
        socketio.server.disconnect(sid, namespace=NAMESPACE)
    return None


def forget_connection() -> None:
    """The connection closed: it no longer counts for its caller."""
    key = caller_key(session.get("live_identity") or {})
    caller = _callers().get(key) if key else None
    if caller is not None:
        caller.sids.pop(request.sid, None)


def allow_event(name: str) -> bool:
    """Take this event's cost from the caller's budget; cut a caller that keeps flooding."""
    key = caller_key(session.get("live_identity") or {})
    if key is None:  # not authenticated: the handler refuses it anyway
        return True
    caller = _caller(key)
    bucket = caller.bucket
    if bucket.take(event_cost(name)):
        return True
    if bucket.refused >= bucket.cutoff:
        log.warning("socket caller %s cut: %s events refused for flooding", key, bucket.refused)
        bucket.refused, bucket.tokens = 0, float(bucket.burst)  # a fresh start once the penalty is served
        caller.barred_until = monotonic() + current_app.config.get("SOCKET_FLOOD_PENALTY", 30)
        for sid in list(caller.sids):
            socketio.server.disconnect(sid, namespace=NAMESPACE)
        caller.sids.clear()
    return False


def disconnect_caller(stored: dict) -> int:
    """Close every /live connection of this caller held by this process; return how many."""
    key = caller_key(stored)
    caller = _callers().get(key) if key else None
    if caller is None or socketio.server is None:
        return 0
    sids = list(caller.sids)
    caller.sids.clear()
    for sid in sids:
        socketio.server.disconnect(sid, namespace=NAMESPACE)
    return len(sids)


def refuse_slowly() -> dict:
    """The `rate_limited` ack, after SOCKET_REFUSAL_DELAY seconds.

    Pausing before the refusal hands the loop to everyone else: a refused event costs the server
    a sleeping greenlet, not a busy loop. (The reader itself is bounded in app/live/frames.py.)
    """
    socketio.sleep(current_app.config["SOCKET_REFUSAL_DELAY"])
    return rate_limited_ack()


def screen_event(name: str, args: tuple) -> dict | None:
    """The ack refusing a client event before its handler runs, or None to run it."""
    if not allow_event(name):
        return refuse_slowly()
    if len(args) > 1:  # every client event carries one payload at most
        return {"ok": False, "error": {"code": "invalid_input", "message": _("Message mal formé.")}}
    return None


@socketio.on("*", namespace=NAMESPACE)
def on_unknown_event(event, *args):
    """Any event without a handler: refused in the ack, and counted in the budget like the others."""
    if not allow_event("*"):
        return refuse_slowly()
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
