"""Privacy settings, the ballot box download, a participant's erasure, an organiser's export and deletion."""
from __future__ import annotations

import csv
import io
import json

from flask import Response, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from barcamp.accounts.identity import Identity, api_auth, event_for, session_participant_token
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError
from barcamp.events.models import Event
from barcamp.events.services import get_event, get_event_for_organiser
from barcamp.participants.services import participant_from_token
from barcamp.privacy import bp
from barcamp.privacy.forms import AccountDeleteForm, ForgetForm, PolicyForm
from barcamp.privacy.schemas import AccountDelete, AccountExport, BallotBox, ForgetOut, PolicyIn, PolicyOut
from barcamp.privacy.policy import ensure_policy, policy_of, policy_out, update_policy
from barcamp.privacy.services import account_export, ballots_document, delete_account, forget_participant

CSV_FIELDS = ("voter", "proposal_id", "title", "value")


def _csv_cell(value) -> str:
    """Neutralise spreadsheet formulas in user text (=, +, -, @ at the start of a cell)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def ballots_csv(document: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for row in document["ballots"]:
        writer.writerow([_csv_cell(row[f]) if f == "title" else row[f] for f in CSV_FIELDS])
    return out.getvalue()


def _ballots_response(event: Event, fmt: str) -> Response:
    with write_transaction():  # the forum's pseudonym key, created once: ids stay stable between downloads
        ensure_policy(event.id)
    document = ballots_document(event)
    if fmt == "csv":
        return Response(ballots_csv(document), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="bulletins-{event.id}.csv"'})
    response = Response(json.dumps(document, ensure_ascii=False, indent=1), mimetype="application/json")
    if fmt == "download":
        response.headers["Content-Disposition"] = f'attachment; filename="bulletins-{event.id}.json"'
    return response


# -- API ----------------------------------------------------------------------------------------
@api_route(bp, "/events/<int:event_id>/privacy", "GET", summary="The forum's privacy and moderation settings",
           response=PolicyOut, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_get_policy(event_id: int, identity: Identity):
    return jsonify(policy_out(event_for(identity, event_id)))


@api_route(bp, "/events/<int:event_id>/privacy", "PUT",
           summary="Change the privacy settings (secret ballot frozen once voting opened: 409)",
           body=PolicyIn, response=PolicyOut, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_set_policy(event_id: int, data: PolicyIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        policy = update_policy(event, **data.model_dump(exclude_none=True))
    return jsonify(policy_out(event, policy))


@api_route(bp, "/events/<int:event_id>/ballots", "GET",
           summary="Download the ballots, pseudonymous (JSON; ?format=csv for CSV) to recount offline",
           response=BallotBox, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_ballots(event_id: int, identity: Identity):
    return _ballots_response(event_for(identity, event_id), "csv" if request.args.get("format") == "csv" else "json")


@api_route(bp, "/events/<int:event_id>/me", "DELETE",
           summary="Erase oneself and one's contributions from the forum (topics, votes, quiz answers)",
           response=ForgetOut, auth=("participant",), errors=(404,))
@api_auth("participant")
def api_forget_me(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    participant_id = identity.participant.id
    with write_transaction():
        done = forget_participant(event, identity.participant)
    _publish_forgotten(event, done, participant_id)
    return jsonify(done)


@api_route(bp, "/organiser/export", "GET",
           summary="Export the organiser's account and forums as JSON (?participants=1 adds pseudonymous ids)",
           response=AccountExport, auth=("organiser",))
@api_auth("organiser")
def api_export_account(identity: Identity):
    return jsonify(account_export(identity.organiser, with_participants=request.args.get("participants") == "1"))


@api_route(bp, "/organiser", "DELETE", summary="Delete the organiser's account and all its forums",
           body=AccountDelete, auth=("organiser",), errors=(401,), status=204)
@api_auth("organiser")
def api_delete_account(data: AccountDelete, identity: Identity):
    with write_transaction():
        delete_account(identity.organiser, data.password)
    return "", 204


def with_french_date(policy: dict) -> dict:
    """Add `erase_on`, the erasure date as a French reader writes it (21/11/2027)."""
    year, month, day = policy["erase_after"][:10].split("-")
    return {**policy, "erase_on": f"{day}/{month}/{year}"}


def _publish_forgotten(event: Event, done: dict, participant_id: int) -> None:
    """Close the erased participant's live connections; tell every screen their topics are gone, recount,
    send the grid's seats and the boards without their cards and dots."""
    from barcamp import realtime
    from barcamp.security.sockets import disconnect_caller

    # this process's sockets close now; on other workers the next event is refused (participant_erased)
    disconnect_caller({"kind": "participant", "participant_id": participant_id})

    for topic_id in done["topics"]:
        realtime.proposal_changed({"id": topic_id, "event_id": event.id, "status": "withdrawn"})
    realtime.tally_changed(event.id)
    realtime.signups_changed(event.id)  # freed seats and promotions (nothing is sent if the grid is unchanged)
    for workshop_id in done["workshops"]:
        realtime.board_changed(workshop_id)


# -- participant pages -----------------------------------------------------------------------------
@bp.route("/e/<int:event_id>/donnees", methods=["GET", "POST"])
def participant_privacy(event_id: int):
    """The information notice in full and the button that erases this phone's participation."""
    event = get_event(event_id)
    participant = participant_from_token(session_participant_token(event.id))
    form = ForgetForm()
    if participant is not None and form.validate_on_submit():
        participant_id = participant.id
        with write_transaction():
            done = forget_participant(event, participant)
        _publish_forgotten(event, done, participant_id)
        tokens = dict(session.get("participants", {}))
        tokens.pop(str(event.id), None)
        session["participants"] = tokens
        flash(_("Votre participation et vos contributions ont été effacées."))
        return redirect(url_for("participants.home"))
    return render_template("privacy/participant.html", event=event, participant=participant, form=form,
                           policy=with_french_date(policy_out(event)))


# -- organiser pages ------------------------------------------------------------------------------------
@bp.route("/organiser/events/<int:event_id>/privacy", methods=["POST"])
@login_required
def page_set_policy(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    form = PolicyForm()
    if form.validate_on_submit():
        try:
            with write_transaction():
                update_policy(event, organisation=form.organisation.data or "",
                              secret_ballot=bool(form.secret_ballot.data),
                              retention_months=form.retention_months.data,
                              report_threshold=form.report_threshold.data)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Réglages de confidentialité enregistrés."))
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for("events.dashboard", event_id=event.id) + "#privacy-title")


@bp.route("/organiser/events/<int:event_id>/ballots.<fmt>")
@login_required
def page_ballots(event_id: int, fmt: str):
    event = get_event_for_organiser(event_id, current_user.id)
    return _ballots_response(event, "csv" if fmt == "csv" else "download")


@bp.route("/organiser/account", methods=["GET", "POST"])
@login_required
def account():
    form = AccountDeleteForm()
    if form.validate_on_submit():
        try:
            with write_transaction():
                delete_account(current_user._get_current_object(), form.password.data)
        except DomainError as error:
            form.password.errors.append(str(error.message))
        else:
            logout_user()
            flash(_("Votre compte et vos forums ont été supprimés."))
            return redirect(url_for("participants.home"))
    return render_template("privacy/account.html", form=form)


@bp.route("/organiser/account/export.json")
@login_required
def account_export_page():
    body = account_export(current_user, with_participants=request.args.get("participants") == "1")
    return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="barcamp-export.json"'})


@bp.app_context_processor
def _privacy_helpers():
    """`privacy_panel(event)` for the dashboard's privacy card and `privacy_notice(event)` for the join page."""

    def privacy_panel(event):
        policy = policy_of(event.id)
        form = PolicyForm(formdata=None, organisation=policy.organisation, secret_ballot=policy.secret_ballot,
                          retention_months=policy.retention_months, report_threshold=policy.report_threshold)
        from barcamp.events.enums import VotingMode

        return {"form": form, "policy": with_french_date(policy_out(event, policy)),
                "modes": [(m.value, m.label) for m in VotingMode]}

    def privacy_notice(event):
        return with_french_date(policy_out(event))

    return {"privacy_panel": privacy_panel, "privacy_notice": privacy_notice}
