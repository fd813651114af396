"""Workshop boards on /live: join a workshop's room, add and edit cards, put dots; acks after commit."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_socketio import join_room, leave_room

from barcamp.common.api import validate
from barcamp.common.errors import Forbidden
from barcamp.extensions import socketio
from barcamp.live.guard import socket_action, stored_identity
from barcamp.realtime import NAMESPACE, workshop_room
from barcamp.workshops import actions, services
from barcamp.workshops.schemas import (SocketCardCreate, SocketCardPatch, SocketCardRef, SocketCardReport, SocketDotIn,
                                   SocketMergeIn, SocketWorkshopRef)
from barcamp.workshops.services import Caller


def _caller() -> Caller:
    stored = stored_identity()
    return Caller(stored["kind"], organiser_id=stored["organiser_id"], participant_id=stored["participant_id"],
                  event_id=stored["event_id"])


def _readable(workshop_id: int):
    """The workshop and the caller, if the connection's identity may see it."""
    caller = _caller()
    workshop = services.get_workshop(workshop_id)
    if not services.may_read(workshop, caller.kind, caller.organiser_id, caller.event_id):
        raise Forbidden("not_in_event", _("Votre jeton ne donne pas accès à ce forum."))
    return workshop, caller


@socketio.on("workshop_join", namespace=NAMESPACE)
@socket_action
def on_workshop_join(payload=None):
    """Enter the workshop's room and get the full board with its version (also after a reconnect)."""
    data = validate(SocketWorkshopRef, payload)
    workshop, caller = _readable(data.workshop_id)
    join_room(workshop_room(workshop.id))
    return {"ok": True, "board": actions.board_for(workshop, caller)}


@socketio.on("workshop_leave", namespace=NAMESPACE)
@socket_action
def on_workshop_leave(payload=None):
    data = validate(SocketWorkshopRef, payload)
    leave_room(workshop_room(data.workshop_id))
    return {"ok": True}


@socketio.on("card_add", namespace=NAMESPACE)
@socket_action
def on_card_add(payload=None):
    data = validate(SocketCardCreate, payload)
    workshop, caller = _readable(data.workshop_id)
    card = actions.add_card(workshop.id, caller, data.section, data.text, data.gain, data.indicator,
                            data.client_key)
    return {"ok": True, "card": card}


@socketio.on("card_edit", namespace=NAMESPACE)
@socket_action
def on_card_edit(payload=None):
    """A stale version is refused with {"ok": false, "error": {"code": "card_conflict", "current": card}}."""
    data = validate(SocketCardPatch, payload)
    workshop, caller = _readable(data.workshop_id)
    changes = {k: getattr(data, k) for k in data.model_fields_set if k not in ("version", "workshop_id", "card_id")}
    return {"ok": True, "card": actions.edit_card(workshop.id, caller, data.card_id, data.version, changes)}


@socketio.on("card_remove", namespace=NAMESPACE)
@socket_action
def on_card_remove(payload=None):
    data = validate(SocketCardRef, payload)
    workshop, caller = _readable(data.workshop_id)
    return {"ok": True, **actions.remove_card(workshop.id, caller, data.card_id)}


@socketio.on("card_merge", namespace=NAMESPACE)
@socket_action
def on_card_merge(payload=None):
    data = validate(SocketMergeIn, payload)
    workshop, caller = _readable(data.workshop_id)
    card = actions.merge_cards(workshop.id, caller, data.target_id, data.source_ids, data.target_version)
    return {"ok": True, "card": card}


@socketio.on("card_report", namespace=NAMESPACE)
@socket_action
def on_card_report(payload=None):
    """A participant reports a card: acknowledged after commit with its status (hidden past the threshold)."""
    data = validate(SocketCardReport, payload)
    workshop, caller = _readable(data.workshop_id)
    return {"ok": True, **actions.report_card(workshop.id, caller, data.card_id, data.reason)}


@socketio.on("workshop_dot", namespace=NAMESPACE)
@socket_action
def on_workshop_dot(payload=None):
    data = validate(SocketDotIn, payload)
    caller = _caller()
    if caller.kind != "participant":
        raise Forbidden("participants_only", _("Seuls les participants posent des gommettes."))
    return {"ok": True, **actions.set_dots(data.workshop_id, caller.participant_id, data.card_id, data.value)}
