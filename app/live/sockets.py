"""Connect, join a forum's room, resync."""
from __future__ import annotations

from typing import Annotated

from flask import session
from flask_babel import gettext as _
from flask_socketio import join_room
from pydantic import BaseModel, StringConstraints

from app.accounts.identity import event_for
from app.common.api import validate
from app.extensions import db, socketio
from app.common.errors import Forbidden
from app.live.guard import authenticate, socket_action, socket_identity, store_identity, stored_identity
from app.live.services import participant_state, screen_state
from app.realtime import NAMESPACE, PHONES, SCREENS, audience_room, event_room
from app.security.sockets import admit_connection, forget_connection, organiser_room


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


def _state(payload) -> tuple[int, str, object]:
    """The forum's id, the caller's audience and its snapshot; a phone's costs no ORM load on a warm cache."""
    data = validate(JoinIn, payload)
    stored = stored_identity()
    if stored["kind"] == "participant":
        if stored["event_id"] != data.event_id:
            raise Forbidden("not_in_event", _("Votre jeton ne donne pas accès à ce forum."))
        return data.event_id, PHONES, participant_state(data.event_id, stored["participant_id"], data.known_version())
    identity = socket_identity()
    event = event_for(identity, data.event_id)
    return event.id, SCREENS, screen_state(event, identity.kind, data.known_version())


@socketio.on("join", namespace=NAMESPACE)
@socket_action
def on_join(payload=None):
    """Enter the forum's room (the server decides which) and get the full state."""
    event_id, audience, state = _state(payload)
    join_room(event_room(event_id))
    join_room(audience_room(event_id, audience))
    return {"ok": True, "state": state}


@socketio.on("sync", namespace=NAMESPACE)
@socket_action
def on_sync(payload=None):
    """Full state again, after a version gap."""
    return {"ok": True, "state": _state(payload)[2]}
