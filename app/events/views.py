"""Forum creation, the organiser's dashboard, phase changes, QR codes and the projector."""
from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from pydantic import ValidationError

from barcamp import realtime
from barcamp.accounts.identity import Identity, api_auth, event_for, organiser_page_token, projector_auth_token
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError
from barcamp.events import bp
from barcamp.events.enums import MAJORITY_GRADES, TRANSITIONS, Phase
from barcamp.events.forms import EventForm, HideForm
from barcamp.events.presenters import event_created_out, event_out, join_url, projector_url
from barcamp.events.qrcode import qr_image
from barcamp.events.schemas import EventCreate, EventCreated, EventOut, PhaseChange, VotingRules
from barcamp.events.services import (
    change_voting_rules,
    create_event,
    events_of_organiser,
    find_event_by_projector_token,
    get_event_for_organiser,
    transition_phase,
)
from barcamp.ops.network import is_loopback_url
from barcamp.participants.services import count_participants
from barcamp.proposals.services import hidden_proposals, visible_proposals
from barcamp.voting.services import compute_results


def change_phase(event, target: Phase) -> None:
    """Move the forum to another phase, commit, and tell every open screen."""
    with write_transaction():
        transition_phase(event, target)
    realtime.phase_changed(event.id, event.phase.value, [p.value for p in TRANSITIONS[event.phase]])


# -- API ----------------------------------------------------------------------------------
@api_route(bp, "/events", "POST", summary="Create a forum", body=EventCreate, response=EventCreated,
           status=201, auth=("organiser",))
@api_auth("organiser")
def api_create_event(data: EventCreate, identity: Identity):
    with write_transaction():
        event = create_event(identity.organiser.id, data)
    return jsonify(event_created_out(event)), 201


@api_route(bp, "/events/<int:event_id>", "GET", summary="Read a forum", response=EventOut,
           auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_get_event(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    body = event_created_out(event) if identity.kind == "organiser" else event_out(event)
    return jsonify(body)


@api_route(bp, "/events/<int:event_id>/phase", "PUT", summary="Move the forum to another phase",
           body=PhaseChange, response=EventOut, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_set_phase(event_id: int, data: PhaseChange, identity: Identity):
    event = event_for(identity, event_id)
    change_phase(event, data.phase)
    return jsonify(event_out(event))


# -- organiser pages -------------------------------------------------------------------------
@bp.route("/organiser/")
@login_required
def dashboard_list():
    return render_template("events/list.html", events=events_of_organiser(current_user.id))


@bp.route("/organiser/events/new", methods=["GET", "POST"])
@login_required
def new_event():
    form = EventForm()
    if form.validate_on_submit():
        try:
            data = EventCreate(
                title=form.title.data,
                starts_at=form.starts_at.data,
                place=form.place.data or "",
                description=form.description.data or "",
                themes=form.theme_list(),
                voting={"mode": form.voting_mode.data, "dots": form.dots.data,
                        "max_per_proposal": form.max_per_proposal.data},
            )
        except ValidationError:
            form.max_per_proposal.errors.append(
                _("Le maximum par sujet ne peut pas dépasser le nombre de gommettes.")
            )
        else:
            with write_transaction():
                event = create_event(current_user.id, data)
            flash(_("Forum créé. Code d'accès : %(code)s", code=event.join_code))
            return redirect(url_for("events.dashboard", event_id=event.id))
    return render_template("events/new.html", form=form)


@bp.route("/organiser/events/<int:event_id>")
@login_required
def dashboard(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    link = join_url(event)
    return render_template(
        "events/dashboard.html",
        event=event,
        state=event_out(event),
        join_url=link,
        join_url_unreachable=is_loopback_url(link),  # phones would open their own 127.0.0.1
        projector_url=projector_url(event),
        participants=count_participants(event.id),
        proposals=visible_proposals(event.id),
        hidden=hidden_proposals(event.id),
        results=compute_results(event),
        hide_form=HideForm(),
        grades=[str(g) for g in MAJORITY_GRADES],
        next_phases=list(TRANSITIONS[event.phase]),
        live_token=organiser_page_token(current_user),
    )


@bp.route("/organiser/events/<int:event_id>/phase", methods=["POST"])
@login_required
def set_phase(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    try:
        change_phase(event, Phase(request.form.get("phase", "")))
    except ValueError:
        flash(_("Phase inconnue."), "error")
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(url_for("events.dashboard", event_id=event.id))


@bp.route("/organiser/events/<int:event_id>/qr.<fmt>")
@login_required
def qr_code(event_id: int, fmt: str):
    if fmt not in ("svg", "png"):
        abort(404)
    event = get_event_for_organiser(event_id, current_user.id)
    return _qr_response(join_url(event), fmt, request.args.get("download") == "1", event.join_code)


def _qr_response(url: str, fmt: str, download: bool, code: str) -> Response:
    mimetype = "image/svg+xml" if fmt == "svg" else "image/png"
    response = Response(qr_image(url, fmt), mimetype=mimetype)
    response.headers["Cache-Control"] = "private, max-age=3600"
    if download:
        response.headers["Content-Disposition"] = f'attachment; filename="barcamp-{code}.{fmt}"'
    return response


# -- projector (secret URL, no login) -----------------------------------------------------------
@bp.route("/projector/<token>")
def projector(token: str):
    event = find_event_by_projector_token(token)
    if event.phase == Phase.ICEBREAKER:
        from barcamp.quiz.presenters import projector_context

        return render_template("quiz/projector.html", event=event, join_url=join_url(event),
                               live_token=projector_auth_token(event), **projector_context(event))
    return render_template(
        "events/projector.html",
        event=event,
        join_url=join_url(event),
        live_token=projector_auth_token(event),
        proposals=visible_proposals(event.id),
        results=compute_results(event),
        grades=[str(g) for g in MAJORITY_GRADES],
    )


@api_route(bp, "/events/<int:event_id>/voting", "PUT",
           summary="Change the voting mode and budgets (409 rules_frozen once the vote has opened)",
           body=VotingRules, response=EventOut, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_set_voting_rules(event_id: int, data: VotingRules, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        change_voting_rules(event, data)
    return jsonify(event_out(event))


@bp.route("/organiser/events/<int:event_id>/voting", methods=["POST"])
@login_required
def set_voting_rules(event_id: int):
    """The dashboard's rules form: refused with a form message once the vote has opened."""
    event = get_event_for_organiser(event_id, current_user.id)
    try:
        rules = VotingRules(mode=request.form.get("voting_mode", ""), dots=request.form.get("dots", ""),
                            max_per_proposal=request.form.get("max_per_proposal", ""))
    except ValidationError:
        flash(_("Règles invalides : le maximum par sujet ne peut pas dépasser le nombre de gommettes."), "error")
    else:
        try:
            with write_transaction():
                change_voting_rules(event, rules)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Règles du vote enregistrées."))
    return redirect(url_for("events.dashboard", event_id=event.id))


@bp.route("/projector/<token>/qr.<fmt>")
def projector_qr(token: str, fmt: str):
    if fmt not in ("svg", "png"):
        abort(404)
    event = find_event_by_projector_token(token)
    return _qr_response(join_url(event), fmt, False, event.join_code)
