"""Joining by code, QR or link, and the participant's forum page."""
from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, url_for

from barcamp.accounts.identity import remember_participant, session_participant_token
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import NotFound
from barcamp.events.enums import MAJORITY_GRADES, Phase
from barcamp.events.presenters import event_out
from barcamp.events.services import find_event_by_code, get_event
from barcamp.extensions import limiter
from barcamp.security.throttle import join_code_guard
from barcamp.participants import bp
from barcamp.participants.enums import Profile
from barcamp.participants.forms import CodeForm, JoinForm
from barcamp.participants.schemas import JoinRequest, JoinResponse
from barcamp.participants.services import display_name, join_event, participant_from_token
from barcamp.proposals.forms import ProposalForm
from barcamp.proposals.services import proposals_out, visible_proposals
from barcamp.voting.services import compute_results, my_votes


def _join_limit() -> str:
    return current_app.config["JOIN_RATE_LIMIT"]


@api_route(bp, "/join", "POST", summary="Join a forum with its code (no account)", body=JoinRequest,
           response=JoinResponse, status=201, errors=(404, 429))
@limiter.limit(_join_limit)
@join_code_guard
def api_join(data: JoinRequest):
    event = find_event_by_code(data.code)
    with write_transaction():
        participant, token = join_event(event, data.name, data.profile)
    return jsonify({"token": token, "participant_id": participant.id, "event_id": event.id}), 201


@bp.route("/", methods=["GET", "POST"])
@join_code_guard
def home():
    """Type a code to join a forum."""
    form = CodeForm()
    if form.validate_on_submit():
        try:
            event = find_event_by_code(form.code.data)
        except NotFound as error:
            form.code.errors.append(str(error.message))
        else:
            return redirect(url_for("participants.join", code=event.join_code))
    return render_template("participants/home.html", form=form)


@bp.route("/j/<code>", methods=["GET", "POST"])
@limiter.limit(_join_limit, methods=["POST"])
@join_code_guard
def join(code: str):
    """The join URL of the QR code: resume on this phone, or pick a name and a profile."""
    event = find_event_by_code(code)
    if participant_from_token(session_participant_token(event.id)) is not None:
        return redirect(url_for("participants.forum", event_id=event.id))
    form = JoinForm()
    if form.validate_on_submit():
        profile = Profile(form.profile.data) if form.profile.data else None
        with write_transaction():
            participant, token = join_event(event, form.name.data or "", profile)
        remember_participant(participant, token)
        return redirect(url_for("participants.forum", event_id=event.id))
    return render_template("participants/join.html", event=event, form=form)


def current_participant(event_id: int):
    """The participant this phone joined the forum as, or None."""
    return participant_from_token(session_participant_token(event_id))


@bp.route("/e/<int:event_id>")
def forum(event_id: int):
    """The participant's live page: propose topics, vote, see the ranking."""
    event = get_event(event_id)
    participant = current_participant(event.id)
    if participant is None:
        return redirect(url_for("participants.join", code=event.join_code))
    if event.phase == Phase.ICEBREAKER:
        from barcamp.quiz.presenters import phone_context

        requested = request.args.get("q", type=int)
        return render_template("quiz/phone.html", event=event, participant=participant,
                               live_token=session_participant_token(event.id),
                               **phone_context(event, participant, requested))
    votes, remaining = my_votes(event, participant)
    proposals = proposals_out(visible_proposals(event.id))
    results = compute_results(event) if event.phase in (Phase.VOTING, Phase.CLOSED, Phase.WORKSHOPS) else None
    return render_template(
        "participants/forum.html",
        event=event,
        state=event_out(event),
        participant=participant,
        participant_name=display_name(participant),
        live_token=session_participant_token(event.id),
        proposals=proposals,
        own_proposals=[p for p in proposals if p["author_id"] == participant.id],
        votes=votes,
        remaining=remaining,
        results=results,
        scores={entry["proposal_id"]: entry for entry in results["ranking"]} if results else {},
        grades=[str(g) for g in MAJORITY_GRADES],
        proposal_form=ProposalForm(event),
    )
