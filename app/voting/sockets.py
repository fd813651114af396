"""The `vote` event: acknowledged only once the ballot is committed."""
from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.identity import event_for
from app.common.api import validate
from app.common.errors import Forbidden
from app.extensions import socketio
from app.live.guard import socket_action, socket_identity
from app.realtime import NAMESPACE
from app.voting.actions import vote
from app.voting.schemas import SocketVoteIn


@socketio.on("vote", namespace=NAMESPACE)
@socket_action
def on_vote(payload=None):
    data = validate(SocketVoteIn, payload)
    identity = socket_identity()
    if identity.kind != "participant" or identity.participant is None:
        raise Forbidden("participants_only", _("Seuls les participants votent."))
    event = event_for(identity, identity.event_id)
    value, remaining = vote(event, identity.participant, data.proposal_id, data.value)
    return {"ok": True, "value": value, "remaining": remaining}
