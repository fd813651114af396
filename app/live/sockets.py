"""Connect, join a forum's room, resync."""
from __future__ import annotations

from typing import Annotated

from flask import session
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room
from pydantic import BaseModel, StringConstraints

from barcamp.accounts.identity import event_for
from barcamp.common.api import validate
from barcamp.extensions import db, socketio
from barcamp.common.errors import Forbidden
from barcamp.live.guard import authenticate, socket_action, socket_identity, store_identity, stored_identity
from barcamp.live.services import participant_state, screen_state
from barcamp.realtime import NAMESPACE, PHONES, SCREENS, audience_room, event_room
from barcamp.security.sockets import admit_connection, forget_connection, organiser_room


class JoinIn(BaseModel):
    event_id: int
    #: the forum version the client is current at, when it resyncs (it then keeps its topics if current);
    #: a string of digits: versions start from the clock in milliseconds, past what integer fields take
    version: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,18}$")] | None = None

    def known_version(self) -> int | None:
        return int(self.version) if self.version is not None else None


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth=None):
    """Accept only a known token sent in the `auth` payload (never in the query string)."""
    try:
        identity = authenticate(auth)
    finally:
        db.session.remove()
    if identity is None:
        raise ConnectionRefusedError(_("Jeton d'accès manquant ou invalide."))
    store_identity(identity)
    refused = admit_connection(session["live_identity"])  # barred, out of budget; closes a 4th connection
    if refused is not None:
        raise ConnectionRefusedError(refused)
    if identity.kind == "organiser":  # so that logout can close this organiser's sockets
        join_room(organiser_room(identity.organiser.id))


@socketio.on("disconnect", namespace=NAMESPACE)
def on_disconnect(*_reason):
    forget_connection()


def _authorized(payload):
    """The forum's id, the caller's audience, and how to read its snapshot (authorised, not yet read).

    A phone's snapshot costs no ORM load on a warm cache.
    """
    data = validate(JoinIn, payload)
    stored = stored_identity()
    if stored["kind"] == "participant":
        if stored["event_id"] != data.event_id:
            raise Forbidden("not_in_event", _("Votre jeton ne donne pas accès à ce forum."))
        return data.event_id, PHONES, lambda: participant_state(
            data.event_id, stored["participant_id"], data.known_version())
    identity = socket_identity()
    event = event_for(identity, data.event_id)
    return event.id, SCREENS, lambda: screen_state(event, identity.kind, data.known_version())


@socketio.on("join", namespace=NAMESPACE)
@socket_action
def on_join(payload=None):
    """Enter the forum's room (the server decides which) and get the full state.

    The rooms are entered *before* the snapshot's version is read: a message published in between
    then reaches this client (which replays what is newer than its snapshot) instead of going to a
    room it was not in yet, where it would be lost with no gap to show for it.
    """
    event_id, audience, snapshot = _authorized(payload)
    rooms = (event_room(event_id), audience_room(event_id, audience))
    for room in rooms:
        join_room(room)
    try:
        return {"ok": True, "state": snapshot()}
    except Exception:  # erased meanwhile, or the database failed: no messages without a snapshot
        for room in rooms:
            leave_room(room)
        raise


@socketio.on("sync", namespace=NAMESPACE)
@socket_action
def on_sync(payload=None):
    """Full state again, after a version gap."""
    return {"ok": True, "state": _authorized(payload)[2]()}
