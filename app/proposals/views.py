"""Topics: the API, the participant's forms and the organiser's moderation."""
from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from pydantic import ValidationError

from barcamp import realtime
from barcamp.accounts.identity import Identity, api_auth, current_identity, event_for, session_participant_token
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError, Forbidden, NotFound
from barcamp.events.forms import HideForm
from barcamp.events.services import get_event, get_event_for_organiser
from barcamp.extensions import db, limiter
from barcamp.participants.services import participant_from_token
from barcamp.proposals import bp
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.forms import ProposalForm
from barcamp.proposals.models import Proposal
from barcamp.proposals.rules import may_edit
from barcamp.proposals.schemas import (
    ProposalCreate,
    ProposalList,
    ProposalListQuery,
    ProposalOut,
    ProposalPatch,
    ProposalRemoveIn,
)
from barcamp.proposals.services import (
    create_proposal,
    edit_proposal,
    get_proposal,
    proposal_out,
    proposals_out,
    set_hidden,
    support_proposal,
    visible_proposals,
    withdraw_proposal,
    withdraw_support,
)


def _proposal_limit() -> str:
    return current_app.config["PROPOSAL_RATE_LIMIT"]


def _proposer_key() -> str:
    """Rate-limit proposals per participant, not per address: a venue shares one Wi-Fi address."""
    header = request.headers.get("Authorization", "")
    if header:
        return header[-16:]
    event_id = (request.view_args or {}).get("event_id")
    return session_participant_token(event_id)[-16:] if event_id and session_participant_token(event_id) else (
        request.remote_addr or "unknown")


def publish(proposal: Proposal) -> dict:
    """Broadcast a committed change of a topic and return its JSON shape."""
    payload = proposal_out(proposal)
    if proposal.status != ProposalStatus.VISIBLE:
        # clients only need to drop it: a hidden topic's text is never broadcast again
        realtime.proposal_changed({"id": proposal.id, "event_id": proposal.event_id, "status": proposal.status.value})
    else:
        realtime.proposal_changed(payload)
    return payload


# -- API ----------------------------------------------------------------------------------------
@api_route(bp, "/events/<int:event_id>/proposals", "GET", summary="List the forum's visible topics",
           query=ProposalListQuery, response=ProposalList, auth=("organiser", "participant", "projector"),
           errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_list(event_id: int, query: ProposalListQuery, identity: Identity):
    event = event_for(identity, event_id)
    if identity.kind == "organiser" and query.include_hidden:
        proposals = db.session.scalars(db.select(Proposal).where(Proposal.event_id == event.id).order_by(Proposal.id))
    else:
        proposals = visible_proposals(event.id)
    return jsonify({"proposals": proposals_out(list(proposals))})


@api_route(bp, "/events/<int:event_id>/proposals", "POST", summary="Propose a topic", body=ProposalCreate,
           response=ProposalOut, status=201, auth=("participant", "organiser"), errors=(404, 409, 429))
@limiter.limit(_proposal_limit, key_func=_proposer_key)
@api_auth("participant", "organiser")
def api_create(event_id: int, data: ProposalCreate, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        proposal = create_proposal(event, identity.participant, data)
    return jsonify(publish(proposal)), 201


@api_route(bp, "/events/<int:event_id>/proposals/<int:proposal_id>", "PATCH",
           summary="Edit a topic (author) or hide it with a reason (organiser)", body=ProposalPatch,
           response=ProposalOut, auth=("participant", "organiser"), errors=(404, 409))
@api_auth("participant", "organiser")
def api_patch(event_id: int, proposal_id: int, data: ProposalPatch, identity: Identity):
    event = event_for(identity, event_id)
    organiser = identity.kind == "organiser"
    if data.hidden is not None and not organiser:
        raise Forbidden("organiser_only", _("Seul l'organisateur peut masquer un sujet."))
    with write_transaction():
        proposal = get_proposal(event, proposal_id)
        edit_proposal(event, proposal, data, by_organiser=organiser, participant=identity.participant)
        if data.hidden is not None:
            set_hidden(proposal, data.hidden, data.reason)
    return jsonify(publish(proposal))


@api_route(bp, "/events/<int:event_id>/proposals/<int:proposal_id>", "DELETE",
           summary="Withdraw one's own topic (author) or hide it (organiser, reason in the body: 422 "
                   "reason_required without one)",
           body=ProposalRemoveIn, body_required=False, auth=("participant", "organiser"), errors=(404, 409),
           status=204)
@api_auth("participant", "organiser")
def api_delete(event_id: int, proposal_id: int, data: ProposalRemoveIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        proposal = get_proposal(event, proposal_id)
        if identity.kind == "organiser":
            set_hidden(proposal, True, data.reason)
        else:
            withdraw_proposal(event, proposal, identity.participant)
    publish(proposal)
    return "", 204


@api_route(bp, "/events/<int:event_id>/proposals/<int:proposal_id>/support", "PUT",
           summary="Support a topic (\"je soutiens celui-ci\"): become its co-proposer, idempotent",
           response=ProposalOut, auth=("participant",), errors=(404, 409))
@api_auth("participant")
def api_support(event_id: int, proposal_id: int, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        proposal = get_proposal(event, proposal_id)
        added = support_proposal(event, proposal, identity.participant)
    return jsonify(publish(proposal) if added else proposal_out(proposal))


@api_route(bp, "/events/<int:event_id>/proposals/<int:proposal_id>/support", "DELETE",
           summary="Stop supporting a topic (a co-proposer a merge added stays)",
           auth=("participant",), errors=(404, 409), status=204)
@api_auth("participant")
def api_unsupport(event_id: int, proposal_id: int, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        proposal = get_proposal(event, proposal_id)
        withdraw_support(event, proposal, identity.participant)
    publish(proposal)
    return "", 204


# -- participant pages ----------------------------------------------------------------------------
def _page_participant(event_id: int):
    event = get_event(event_id)
    participant = participant_from_token(session_participant_token(event.id))
    if participant is None:
        raise Forbidden("not_joined", _("Rejoignez d'abord ce forum avec son code."))
    return event, participant


@bp.route("/e/<int:event_id>/proposals", methods=["POST"])
@limiter.limit(_proposal_limit, key_func=_proposer_key)
def page_create(event_id: int):
    event, participant = _page_participant(event_id)
    form = ProposalForm(event)
    if form.validate_on_submit():
        try:
            with write_transaction():
                proposal = create_proposal(event, participant, ProposalCreate(**form.to_data()))
        except (DomainError, ValidationError) as error:
            flash(str(getattr(error, "message", _("Sujet invalide."))), "error")
        else:
            publish(proposal)
            flash(_("Sujet proposé, merci !"))
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for("participants.forum", event_id=event.id))


@bp.route("/e/<int:event_id>/proposals/<int:proposal_id>/support", methods=["POST"])
def page_support(event_id: int, proposal_id: int):
    """"Je soutiens celui-ci" under the propose form: co-propose that topic instead of posting a duplicate."""
    event, participant = _page_participant(event_id)
    try:
        with write_transaction():
            proposal = get_proposal(event, proposal_id)
            added = support_proposal(event, proposal, participant)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        if added:
            publish(proposal)
        flash(_("Vous soutenez « %(title)s » : vous en êtes co-proposant·e.", title=proposal.title))
    return redirect(url_for("participants.forum", event_id=event.id) + f"#proposal-{proposal_id}")


@bp.route("/e/<int:event_id>/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
def page_edit(event_id: int, proposal_id: int):
    """Edit one's own visible topic; anyone else's, or a hidden/withdrawn one, is 404 like a missing one."""
    event, participant = _page_participant(event_id)
    proposal = get_proposal(event, proposal_id)
    if not may_edit(participant, proposal):
        # one answer for "not yours" and "not there": sequential ids must not reveal which topics exist
        raise NotFound("proposal_not_found", _("Ce sujet n'existe pas dans ce forum."))
    form = ProposalForm(event, obj=None if request.method == "POST" else proposal)
    if request.method == "GET":
        form.tags.data = ", ".join(proposal.tags or [])
        form.theme_id.data = str(proposal.theme_id or "")
    if form.validate_on_submit():
        try:
            with write_transaction():
                edit_proposal(event, proposal, ProposalPatch(**form.to_data()), participant=participant)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            publish(proposal)
            flash(_("Sujet modifié."))
            return redirect(url_for("participants.forum", event_id=event.id))
    return render_template("proposals/edit.html", event=event, proposal=proposal, form=form)


@bp.route("/e/<int:event_id>/proposals/<int:proposal_id>/withdraw", methods=["POST"])
def page_withdraw(event_id: int, proposal_id: int):
    event, participant = _page_participant(event_id)
    try:
        with write_transaction():
            proposal = withdraw_proposal(event, get_proposal(event, proposal_id), participant)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        publish(proposal)
        flash(_("Sujet retiré."))
    return redirect(url_for("participants.forum", event_id=event.id))


# -- organiser moderation ----------------------------------------------------------------------------
@bp.route("/organiser/events/<int:event_id>/proposals/<int:proposal_id>/hide", methods=["POST"])
@login_required
def page_hide(event_id: int, proposal_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    form = HideForm()
    hidden = request.form.get("hidden", "1") == "1"
    if hidden and not form.validate_on_submit():
        flash(_("Indiquez la raison pour laquelle ce sujet est masqué."), "error")
    else:
        try:
            with write_transaction():
                proposal = set_hidden(get_proposal(event, proposal_id), hidden, form.reason.data or "")
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            publish(proposal)
            flash(_("Sujet masqué.") if hidden else _("Sujet rétabli."))
    return redirect(url_for("events.dashboard", event_id=event.id))
