"""The grid over HTTP: the JSON API, the organiser's grid page, the phone's programme, the projector, ICS."""
from __future__ import annotations

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from barcamp import realtime
from barcamp.accounts.identity import (
    Identity,
    api_auth,
    event_for,
    projector_auth_token,
    session_participant_token,
)
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import Conflict, DomainError, Forbidden, NotFound
from barcamp.events.presenters import projector_url
from barcamp.events.services import (
    find_event_by_projector_token,
    get_event,
    get_event_for_organiser,
)
from barcamp.participants.services import participant_from_token
from barcamp.proposals.services import visible_proposals
from barcamp.schedule import autoschedule, bp, editing, signups
from barcamp.schedule import services as grid
from barcamp.schedule.calendar import build_ics
from barcamp.schedule.formats import format_choices, load_formats
from barcamp.schedule.forms import ActionForm, AddSessionForm, PlaceForm, RoomForm, SlotForm
from barcamp.schedule.schemas import (
    AutoOut,
    GridOut,
    PublishIn,
    RoomIn,
    RoomList,
    RoomOut,
    SessionOut,
    SessionPlace,
    SignupOut,
    SlotIn,
    SlotList,
    SlotOut,
)


def _grid_for(event, identity: Identity) -> dict:
    """The organiser sees the grid being built; others see it once published, plus their sign-ups."""
    body = grid.grid_out(event) if identity.kind == "organiser" else grid.public_grid(event)
    if identity.kind == "participant" and body["published"]:
        body["me"] = signups.my_signups(event, identity.participant)
    return body


# -- API ----------------------------------------------------------------------------------------
@api_route(bp, "/events/<int:event_id>/rooms", "GET", summary="The forum's rooms", response=RoomList,
           auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_rooms(event_id: int, identity: Identity):
    return jsonify({"rooms": [grid.room_out(r) for r in grid.list_rooms(event_for(identity, event_id))]})


@api_route(bp, "/events/<int:event_id>/rooms", "POST", summary="Add a room (name, capacity)", body=RoomIn,
           response=RoomOut, status=201, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_create_room(event_id: int, data: RoomIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        room = editing.create_room(event, data.name, data.capacity)
        body = grid.room_out(room)
    realtime.schedule_changed(event.id)
    return jsonify(body), 201


@api_route(bp, "/events/<int:event_id>/slots", "GET", summary="The forum's time slots", response=SlotList,
           auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_slots(event_id: int, identity: Identity):
    return jsonify({"slots": [grid.slot_out(s) for s in grid.list_slots(event_for(identity, event_id))]})


@api_route(bp, "/events/<int:event_id>/slots", "POST",
           summary="Add a time slot (naive times are Europe/Paris); 409 slot_overlap", body=SlotIn,
           response=SlotOut, status=201, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_create_slot(event_id: int, data: SlotIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        slot = editing.create_slot(event, data.starts_at, data.ends_at)
        body = grid.slot_out(slot)
    realtime.schedule_changed(event.id)
    return jsonify(body), 201


@api_route(bp, "/events/<int:event_id>/rooms/<int:room_id>", "DELETE",
           summary="Delete a room (its sessions go back to the bench); 409 room_in_use while people are signed up "
                   "to one of them", auth=("organiser",), errors=(404, 409), status=204)
@api_auth("organiser")
def api_delete_room(event_id: int, room_id: int, identity: Identity):
    return _deleted(event_for(identity, event_id), editing.delete_room, room_id)


@api_route(bp, "/events/<int:event_id>/slots/<int:slot_id>", "DELETE",
           summary="Delete a time slot (its sessions go back to the bench); 409 slot_in_use while people are "
                   "signed up to one of them", auth=("organiser",), errors=(404, 409), status=204)
@api_auth("organiser")
def api_delete_slot(event_id: int, slot_id: int, identity: Identity):
    return _deleted(event_for(identity, event_id), editing.delete_slot, slot_id)


def _deleted(event, delete, row_id: int):
    with write_transaction():
        delete(event, row_id)
    realtime.schedule_changed(event.id)
    return "", 204


@api_route(bp, "/events/<int:event_id>/schedule", "GET",
           summary="The grid (organiser: always; others: once published, participants with their sign-ups)",
           response=GridOut, auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_schedule(event_id: int, identity: Identity):
    return jsonify(_grid_for(event_for(identity, event_id), identity))


@api_route(bp, "/events/<int:event_id>/schedule/auto", "POST",
           summary="Auto-schedule the top-ranked topics (locked sessions stay); grid and objective figures",
           response=AutoOut, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_auto(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        figures = autoschedule.auto_schedule(event)
    realtime.schedule_changed(event.id)
    return jsonify({**grid.grid_out(event), **figures})


@api_route(bp, "/events/<int:event_id>/schedule/<int:session_id>", "PUT",
           summary="Move a session to a room and slot (swaps with an unlocked occupant), lock it, set its format",
           body=SessionPlace, response=SessionOut, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_place(event_id: int, session_id: int, data: SessionPlace, identity: Identity):
    event = event_for(identity, event_id)
    extra = {}
    if "format" in data.model_fields_set:
        extra["format_slug"] = data.format
    if "facilitator_id" in data.model_fields_set:
        extra["facilitator_id"] = data.facilitator_id
    with write_transaction():
        session = editing.update_session(event, session_id, data.room_id, data.slot_id, locked=data.locked, **extra)
        body = grid.session_out(session, grid.seat_counts(event))
    realtime.schedule_changed(event.id)
    return jsonify(body)


@api_route(bp, "/events/<int:event_id>/schedule/published", "PUT",
           summary="Publish the grid to every phone and the projector (or take it back)", body=PublishIn,
           response=GridOut, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_publish(event_id: int, data: PublishIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        editing.set_published(event, data.published)
    realtime.schedule_changed(event.id)
    return jsonify(grid.grid_out(event))


def _signup_event(session_id: int, identity: Identity):
    from barcamp.extensions import db
    from barcamp.schedule.models import GridSession

    session = db.session.get(GridSession, session_id)
    if session is None or session.event_id != identity.event_id:
        raise NotFound("session_not_found", _("Cette session n'existe pas dans ce forum."))
    return event_for(identity, session.event_id)


@api_route(bp, "/sessions/<int:session_id>/signup", "PUT",
           summary="Sign up to a session: a seat, or the waiting list when full; 409 slot_taken",
           response=SignupOut, auth=("participant",), errors=(404, 409))
@api_auth("participant")
def api_signup(session_id: int, identity: Identity):
    event = _signup_event(session_id, identity)
    with write_transaction():
        body = signups.sign_up(event, identity.participant, session_id)
    realtime.signups_changed(event.id)
    return jsonify(body)


@api_route(bp, "/sessions/<int:session_id>/signup", "DELETE",
           summary="Leave a session; the first on its waiting list gets the seat", response=SignupOut,
           auth=("participant",), errors=(404,))
@api_auth("participant")
def api_leave(session_id: int, identity: Identity):
    event = _signup_event(session_id, identity)
    with write_transaction():
        signups.leave(event, identity.participant, session_id)
    realtime.signups_changed(event.id)
    return jsonify({"status": "cancelled"})


def _ics_response(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@api_route(bp, "/events/<int:event_id>/agenda.ics", "GET",
           summary="The grid as an iCalendar file (text/calendar): published for participants and the "
                   "projector, always for the organiser (bearer token, or the logged-in organiser's session)",
           auth=("organiser", "participant", "projector"), session_auth=True, errors=(404, 409))
@api_auth("organiser", "participant", "projector", session_auth=True)
def api_agenda(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    if identity.kind != "organiser" and not grid.is_published(event):
        raise Conflict("grid_not_published", _("Le programme n'est pas encore publié."))
    return _ics_response(build_ics(event, grid.list_sessions(event), host=request.host), f"forum-{event.id}.ics")


@api_route(bp, "/events/<int:event_id>/me/agenda.ics", "GET",
           summary="The participant's own programme as an iCalendar file (bearer token or the phone's cookie)",
           auth=("participant",), session_auth=True, errors=(404,))
@api_auth("participant", session_auth=True)
def api_my_agenda(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    mine = {m["session_id"]: m["status"] for m in signups.my_signups(event, identity.participant)}
    sessions = [s for s in grid.list_sessions(event) if s.id in mine]
    return _ics_response(build_ics(event, sessions, host=request.host, statuses=mine,
                                   name=_("Mon programme — %(title)s", title=event.title)), f"mon-programme-{event.id}.ics")


# -- organiser page -----------------------------------------------------------------------------------
def _organiser_context(event) -> dict:
    body = grid.grid_out(event)
    placed = {(s["slot_id"], s["room_id"]): s for s in body["sessions"] if s["room_id"]}
    scheduled = {s["proposal_id"] for s in body["sessions"]}
    from barcamp.accounts.identity import organiser_page_token

    return {
        "event": event, "grid": body, "cells": placed,
        "bench": [s for s in body["sessions"] if not s["room_id"]],
        "candidates": [p for p in visible_proposals(event.id) if p.id not in scheduled],
        "formats": format_choices(), "room_form": RoomForm(prefix="room"), "slot_form": SlotForm(prefix="slot"),
        "action_form": ActionForm(), "live_token": organiser_page_token(current_user),
        "projector_url": projector_url(event),
    }


@bp.route("/organiser/events/<int:event_id>/grille")
@login_required
def organiser_page(event_id: int):
    """Rooms, slots, the grid: auto-schedule, move (drag and drop or selects), lock, publish."""
    event = get_event_for_organiser(event_id, current_user.id)
    return render_template("schedule/organiser.html", **_organiser_context(event))


def _back(event):
    return redirect(url_for("schedule.organiser_page", event_id=event.id))


def _run(event, work, success: str | None = None):
    """Run a page action in a write transaction, flash its outcome, broadcast, go back to the grid."""
    try:
        with write_transaction():
            outcome = work()
    except DomainError as error:
        flash(str(error.message), "error")
        return _back(event)
    realtime.schedule_changed(event.id)
    if success:
        flash(success if outcome is None else success.format(**outcome))
    return _back(event)


@bp.route("/organiser/events/<int:event_id>/grille/rooms", methods=["POST"])
@login_required
def page_add_room(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    form = RoomForm(prefix="room")
    if not form.validate_on_submit():
        flash(_("Salle invalide : un nom et un nombre de places (1 à 10 000)."), "error")
        return _back(event)
    return _run(event, lambda: editing.create_room(event, form.name.data, form.capacity.data) and None,
                _("Salle ajoutée."))


@bp.route("/organiser/events/<int:event_id>/grille/slots", methods=["POST"])
@login_required
def page_add_slot(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    form = SlotForm(prefix="slot")
    if not form.validate_on_submit():
        flash(_("Créneau invalide : indiquez un début et une fin."), "error")
        return _back(event)
    return _run(event, lambda: editing.create_slot(event, form.starts_at.data, form.ends_at.data) and None,
                _("Créneau ajouté."))


@bp.route("/organiser/events/<int:event_id>/grille/rooms/<int:room_id>/delete", methods=["POST"])
@login_required
def page_delete_room(event_id: int, room_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    if not ActionForm().validate_on_submit():
        return _back(event)
    return _run(event, lambda: editing.delete_room(event, room_id), _("Salle supprimée."))


@bp.route("/organiser/events/<int:event_id>/grille/slots/<int:slot_id>/delete", methods=["POST"])
@login_required
def page_delete_slot(event_id: int, slot_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    if not ActionForm().validate_on_submit():
        return _back(event)
    return _run(event, lambda: editing.delete_slot(event, slot_id), _("Créneau supprimé."))


@bp.route("/organiser/events/<int:event_id>/grille/auto", methods=["POST"])
@login_required
def page_auto(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    if not ActionForm().validate_on_submit():
        return _back(event)

    def work():
        figures = autoschedule.auto_schedule(event)
        return {"ours": figures["scheduler"]["satisfied_voters"], "base": figures["baseline"]["satisfied_voters"],
                "voters": figures["scheduler"]["voters"]}

    return _run(event, work, _("Grille proposée : {ours} votant(s) sur {voters} peuvent suivre tous leurs sujets "
                               "prioritaires (remplissage simple dans l'ordre du classement : {base})."))


@bp.route("/organiser/events/<int:event_id>/grille/publish", methods=["POST"])
@login_required
def page_publish(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _back(event)
    publish = form.action.data == "publish"
    return _run(event, lambda: editing.set_published(event, publish) and None,
                _("Grille publiée sur les téléphones et l'écran.") if publish else _("Grille retirée."))


@bp.route("/organiser/events/<int:event_id>/grille/sessions", methods=["POST"])
@login_required
def page_add_session(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    form = AddSessionForm()
    if not form.validate_on_submit():
        flash(_("Choisissez un sujet."), "error")
        return _back(event)
    return _run(event, lambda: editing.add_session(event, form.proposal_id.data) and None, _("Sujet ajouté à la grille."))


@bp.route("/organiser/events/<int:event_id>/grille/sessions/<int:session_id>", methods=["POST"])
@login_required
def page_place(event_id: int, session_id: int):
    """The per-session form: room and slot selects, lock, format — the keyboard twin of drag and drop."""
    event = get_event_for_organiser(event_id, current_user.id)
    form = PlaceForm()
    if not form.validate_on_submit():
        flash(_("Salle ou créneau invalide."), "error")
        return _back(event)
    return _run(event, lambda: editing.update_session(event, session_id, form.room_id.data, form.slot_id.data,
                                                   locked=form.locked.data, format_slug=form.format.data or None)
                and None, _("Session mise à jour."))


# -- phone: the programme and sign-ups (works without JavaScript) ------------------------------------------
def _phone_participant(event):
    participant = participant_from_token(session_participant_token(event.id))
    if participant is None:
        raise Forbidden("not_joined", _("Rejoignez d'abord ce forum avec son code."))
    return participant


@bp.route("/e/<int:event_id>/programme")
def phone_page(event_id: int):
    """The published grid by slot, sign-up buttons and "mon programme"."""
    event = get_event(event_id)
    participant = participant_from_token(session_participant_token(event.id))
    if participant is None:
        return redirect(url_for("participants.join", code=event.join_code))
    body = grid.public_grid(event)
    mine = {m["session_id"]: m for m in signups.my_signups(event, participant)} if body["published"] else {}
    return render_template("schedule/phone.html", event=event, grid=body, mine=mine, formats=load_formats(),
                           action_form=ActionForm(), live_token=session_participant_token(event.id))


@bp.route("/e/<int:event_id>/programme/<int:session_id>", methods=["POST"])
def phone_signup(event_id: int, session_id: int):
    event = get_event(event_id)
    participant = _phone_participant(event)
    form = ActionForm()
    target = url_for("schedule.phone_page", event_id=event.id)
    if not form.validate_on_submit() or form.action.data not in ("join", "leave"):
        flash(_("Action inconnue."), "error")
        return redirect(target)
    try:
        with write_transaction():
            if form.action.data == "join":
                outcome = signups.sign_up(event, participant, session_id)
            else:
                signups.leave(event, participant, session_id)
                outcome = {"status": "cancelled"}
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(target)
    realtime.signups_changed(event.id)
    messages = {"confirmed": _("Inscription confirmée."), "cancelled": _("Désinscription enregistrée.")}
    flash(messages.get(outcome["status"]) or _("Session complète : vous êtes n° %(n)s sur la liste d'attente.",
                                               n=outcome.get("position")))
    return redirect(target + f"#session-{session_id}")


# -- projector ------------------------------------------------------------------------------------------
@bp.route("/projector/<token>/grille")
def projector_page(token: str):
    event = find_event_by_projector_token(token)
    return render_template("schedule/projector.html", event=event, grid=grid.public_grid(event),
                           live_token=projector_auth_token(event))
