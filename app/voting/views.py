"""Ballots and results over HTTP (API and the no-JavaScript vote form)."""
from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from barcamp.accounts.identity import Identity, api_auth, event_for, session_participant_token
from barcamp.common.api import api_route
from barcamp.common.errors import DomainError, Forbidden
from barcamp.events.services import get_event
from barcamp.participants.services import participant_from_token
from barcamp.voting import bp
from barcamp.voting.schemas import MyVotes, Results, VoteIn, VoteOut
from barcamp.voting.actions import vote
from barcamp.voting.services import compute_results, my_votes


@api_route(bp, "/events/<int:event_id>/votes/<int:proposal_id>", "PUT",
           summary="Set one's ballot on a topic to an absolute value (idempotent)", body=VoteIn, response=VoteOut,
           auth=("participant",), errors=(404, 409))
@api_auth("participant")
def api_vote(event_id: int, proposal_id: int, data: VoteIn, identity: Identity):
    event = event_for(identity, event_id)
    value, remaining = vote(event.id, identity.participant.id, proposal_id, data.value)
    return jsonify({"value": value, "remaining": remaining})


@api_route(bp, "/events/<int:event_id>/votes/mine", "GET", summary="One's own ballots and remaining dots",
           response=MyVotes, auth=("participant",), errors=(404,))
@api_auth("participant")
def api_my_votes(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    votes, remaining = my_votes(event, identity.participant)
    return jsonify({"votes": {str(k): v for k, v in votes.items()}, "remaining": remaining})


@api_route(bp, "/events/<int:event_id>/results", "GET", summary="Live or final ranking", response=Results,
           auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_results(event_id: int, identity: Identity):
    return jsonify(compute_results(event_for(identity, event_id)))


@bp.route("/e/<int:event_id>/votes/<int:proposal_id>", methods=["POST"])
def page_vote(event_id: int, proposal_id: int):
    """The vote buttons without JavaScript: same service, then back to the forum page."""
    event = get_event(event_id)
    participant = participant_from_token(session_participant_token(event.id))
    if participant is None:
        raise Forbidden("not_joined", _("Rejoignez d'abord ce forum avec son code."))
    try:
        value = int(request.form.get("value", ""))
        vote(event.id, participant.id, proposal_id, value)
    except ValueError:
        flash(_("Valeur de vote invalide."), "error")
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(url_for("participants.forum", event_id=event.id) + f"#proposal-{proposal_id}")
