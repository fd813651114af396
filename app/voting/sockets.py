"""The `vote` event: acknowledged only once the ballot is committed."""
from __future__ import annotations

from flask_babel import gettext as _

from barcamp.common.api import validate
from barcamp.common.errors import Forbidden
from barcamp.extensions import socketio
from barcamp.live.guard import socket_action, stored_identity
from barcamp.realtime import NAMESPACE
from barcamp.voting.actions import vote
from barcamp.voting.schemas import SocketVoteIn


@socketio.on("vote", namespace=NAMESPACE)
@socket_action
def on_vote(payload=None):
    """Vote with the ids stored on connect: no ORM load on the hottest path of a forum."""
    data = validate(SocketVoteIn, payload)
    caller = stored_identity()
    if caller["kind"] != "participant":
        raise Forbidden("participants_only", _("Seuls les participants votent."))
    value, remaining = vote(caller["event_id"], caller["participant_id"], data.proposal_id, data.value)
    return {"ok": True, "value": value, "remaining": remaining}
