"""Reports over the API and the phone, the organiser's review on the dashboard."""
from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from barcamp.accounts.identity import Identity, api_auth, event_for, session_participant_token
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError, Forbidden
from barcamp.events.services import get_event, get_event_for_organiser
from barcamp.moderation import bp
from barcamp.moderation.schemas import CardReportOut, ReportIn, ReportList, ReportOut, ReviewIn
from barcamp.moderation.services import (
    report_card,
    report_proposal,
    reported_cards,
    reported_topics,
    review,
    review_card,
)
from barcamp.participants.services import participant_from_token
from barcamp.privacy.policy import policy_of


def _publish(proposal) -> None:
    from barcamp.proposals.views import publish  # the proposals' broadcast: hidden topics leave every screen

    publish(proposal)


@api_route(bp, "/events/<int:event_id>/proposals/<int:proposal_id>/reports", "POST",
           summary="Report a topic (once per participant); hidden pending review past the forum's threshold",
           body=ReportIn, response=ReportOut, status=201, auth=("participant",), errors=(404, 409))
@api_auth("participant")
def api_report(event_id: int, proposal_id: int, data: ReportIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        proposal, hidden_now = report_proposal(event, identity.participant, proposal_id, data.reason)
    if hidden_now:
        _publish(proposal)
    return jsonify({"proposal_id": proposal.id, "status": proposal.status.value}), 201


@api_route(bp, "/events/<int:event_id>/reports", "GET", summary="Reported topics awaiting review",
           response=ReportList, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_reports(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    return jsonify({"threshold": policy_of(event.id).report_threshold, "topics": reported_topics(event.id),
                    "cards": reported_cards(event.id)})


@api_route(bp, "/events/<int:event_id>/reports/<int:proposal_id>", "PUT",
           summary="Review a reported topic: restore it or confirm it stays hidden", body=ReviewIn,
           response=ReportOut, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_review(event_id: int, proposal_id: int, data: ReviewIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        proposal = review(event, proposal_id, data.decision)
    _publish(proposal)
    return jsonify({"proposal_id": proposal.id, "status": proposal.status.value})


def _card_changed(card) -> None:
    from barcamp import realtime  # the board goes out with the workshops' coalesced message

    realtime.board_changed(card.workshop_id)


@api_route(bp, "/events/<int:event_id>/cards/<int:card_id>/reports", "POST",
           summary="Report a workshop card (once per participant); hidden pending review past the threshold",
           body=ReportIn, response=CardReportOut, status=201, auth=("participant",), errors=(404, 409))
@api_auth("participant")
def api_report_card(event_id: int, card_id: int, data: ReportIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        card, hidden_now = report_card(event, identity.participant, card_id, data.reason)
        body = {"card_id": card.id, "status": card.status}
    if hidden_now:
        _card_changed(card)
    return jsonify(body), 201


@api_route(bp, "/events/<int:event_id>/reports/cards/<int:card_id>", "PUT",
           summary="Review a reported card: restore it on the board or confirm it stays hidden", body=ReviewIn,
           response=CardReportOut, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_review_card(event_id: int, card_id: int, data: ReviewIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        card = review_card(event, card_id, data.decision)
        body = {"card_id": card.id, "status": card.status}
    _card_changed(card)
    return jsonify(body)


@bp.route("/organiser/events/<int:event_id>/reports/cards/<int:card_id>", methods=["POST"])
@login_required
def page_review_card(event_id: int, card_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    try:
        with write_transaction():
            card = review_card(event, card_id, request.form.get("decision", ""))
            status = card.status
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        _card_changed(card)
        if status in ("deleted", "merged"):
            flash(_("Signalements classés : la carte n'est plus au tableau (supprimée par son auteur ou fusionnée)."))
        else:
            flash(_("Carte rétablie.") if status == "visible" else _("Masquage confirmé."))
    return redirect(url_for("events.dashboard", event_id=event.id) + "#reports-title")


@bp.route("/e/<int:event_id>/proposals/<int:proposal_id>/report", methods=["POST"])
def page_report(event_id: int, proposal_id: int):
    event = get_event(event_id)
    participant = participant_from_token(session_participant_token(event.id))
    if participant is None:
        raise Forbidden("not_joined", _("Rejoignez d'abord ce forum avec son code."))
    try:
        with write_transaction():
            proposal, hidden_now = report_proposal(event, participant, proposal_id, request.form.get("reason", ""))
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        if hidden_now:
            _publish(proposal)
        flash(_("Merci, l'équipe d'organisation a été prévenue."))
    return redirect(url_for("participants.forum", event_id=event.id))


@bp.route("/organiser/events/<int:event_id>/reports/<int:proposal_id>", methods=["POST"])
@login_required
def page_review(event_id: int, proposal_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    try:
        with write_transaction():
            proposal = review(event, proposal_id, request.form.get("decision", ""))
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        _publish(proposal)
        flash(_("Sujet rétabli.") if proposal.status.value == "visible" else _("Masquage confirmé."))
    return redirect(url_for("events.dashboard", event_id=event.id) + "#reports-title")


@bp.app_context_processor
def _moderation_helpers():
    return {"reported_topics": reported_topics, "reported_cards": reported_cards}
