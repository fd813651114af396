"""Similar topics (API and the propose form's suggestions), the organiser's Regroupement page, merges."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from pydantic import ValidationError

from barcamp import realtime
from barcamp.accounts.identity import Identity, api_auth, event_for
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError, InvalidInput, NotFound
from barcamp.events.services import get_event_for_organiser
from barcamp.extensions import db
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.proposals.services import get_proposal, proposal_out
from barcamp.proposals.views import publish
from barcamp.regroupement import bp
from barcamp.regroupement.forms import MergeForm
from barcamp.regroupement.models import Merge
from barcamp.regroupement.schemas import (
    GroupList,
    GroupsQuery,
    MergeList,
    MergeOut,
    SimilarList,
    SimilarQuery,
    TopicMergeIn,
    Trail,
)
from barcamp.regroupement.services import (
    MERGE_PHASES,
    get_merge,
    merge_topics,
    merges_of,
    similar_groups,
    similar_topics,
    trail,
    undo_merge,
)
from barcamp.regroupement.similarity import GROUP_THRESHOLD, SUGGEST_THRESHOLD


def _threshold(raw: str | None, default: float) -> float:
    """The threshold typed in a query string (the API's query model or the page's), checked."""
    if raw in (None, ""):
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise InvalidInput("invalid_threshold", _("Le seuil doit être un nombre entre 0,05 et 1.")) from None
    if not 0.05 <= value <= 1.0:
        raise InvalidInput("invalid_threshold", _("Le seuil doit être un nombre entre 0,05 et 1."))
    return value


def merge_out(merge: Merge) -> dict:
    result = db.session.get(Proposal, merge.result_id) if merge.result_id else None
    return MergeOut(
        id=merge.id, event_id=merge.event_id, result_id=merge.result_id, created_result=merge.created_result,
        title=merge.title, source_ids=[s.proposal_id for s in merge.sources], created_at=merge.created_at,
        undone_at=merge.undone_at, result=proposal_out(result) if result else None,
    ).model_dump(mode="json")


def _broadcast_merge(merge: Merge) -> None:
    """After commit: the result upserted, the absorbed topics dropped, the tally recomputed."""
    if merge.result_id:
        publish(db.session.get(Proposal, merge.result_id))
    for source in merge.sources:
        publish(db.session.get(Proposal, source.proposal_id))


def _broadcast_undo(event_id: int, restored: list[Proposal], deleted: int | None) -> None:
    if deleted is not None:
        realtime.proposal_changed({"id": deleted, "event_id": event_id, "status": "deleted"})
    for proposal in restored:
        publish(proposal)


def do_merge(event, data: TopicMergeIn) -> Merge:
    """One transaction, then the broadcasts: the page and the API call this."""
    with write_transaction():
        merge = merge_topics(event, data.proposal_ids, data.title, data.description, into=data.into)
    _broadcast_merge(merge)
    return merge


def do_undo(event, merge_id: int) -> Merge:
    with write_transaction():
        merge = get_merge(event, merge_id)
        restored, deleted = undo_merge(event, merge)
    _broadcast_undo(event.id, restored, deleted)
    return merge


# -- API ----------------------------------------------------------------------------------------
@api_route(bp, "/events/<int:event_id>/similar", "GET",
           summary="Up to 5 visible topics similar to ?text= (optional ?threshold=, default 0.4)",
           query=SimilarQuery, response=SimilarList, auth=("organiser", "participant"), errors=(404, 422))
@api_auth("organiser", "participant")
def api_similar(event_id: int, query: SimilarQuery, identity: Identity):
    event = event_for(identity, event_id)
    threshold = _threshold(query.threshold, SUGGEST_THRESHOLD)
    return jsonify(similar_topics(event, query.text[:300], limit=query.limit, threshold=threshold))


@api_route(bp, "/events/<int:event_id>/groups", "GET",
           summary="Groups of similar visible topics (optional ?threshold=, default 0.55)",
           query=GroupsQuery, response=GroupList, auth=("organiser",), errors=(404, 422))
@api_auth("organiser")
def api_groups(event_id: int, query: GroupsQuery, identity: Identity):
    event = event_for(identity, event_id)
    threshold = _threshold(query.threshold, GROUP_THRESHOLD)
    groups = [[{"proposal_id": m["proposal"].id, "title": m["proposal"].title, "cohesion": m["cohesion"]}
               for m in group] for group in similar_groups(event, threshold)]
    return jsonify({"threshold": threshold, "groups": groups})


@api_route(bp, "/events/<int:event_id>/proposals/merge", "POST",
           summary="Merge topics into one (existing `into`, or a new topic); votes carried over",
           body=TopicMergeIn, response=MergeOut, status=201, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_merge(event_id: int, data: TopicMergeIn, identity: Identity):
    event = event_for(identity, event_id)
    return jsonify(merge_out(do_merge(event, data))), 201


@api_route(bp, "/events/<int:event_id>/merges", "GET", summary="The forum's merges, latest first",
           response=MergeList, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_merges(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    return jsonify({"merges": [merge_out(m) for m in merges_of(event)]})


@api_route(bp, "/events/<int:event_id>/merges/<int:merge_id>/undo", "POST",
           summary="Undo a merge until the vote closes: the previous topics and ballots, exactly",
           response=MergeOut, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_undo(event_id: int, merge_id: int, identity: Identity):
    event = event_for(identity, event_id)
    return jsonify(merge_out(do_undo(event, merge_id)))


@api_route(bp, "/events/<int:event_id>/proposals/<int:proposal_id>/trail", "GET",
           summary="The original proposals a topic regroups", response=Trail,
           auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_trail(event_id: int, proposal_id: int, identity: Identity):
    event = event_for(identity, event_id)
    proposal = get_proposal(event, proposal_id)
    originals = trail(proposal) if proposal.status == ProposalStatus.VISIBLE else []
    return jsonify({"proposal_id": proposal.id, "merged_count": len(originals), "originals": originals})


# -- organiser page ---------------------------------------------------------------------------------
@bp.route("/organiser/events/<int:event_id>/regroupement")
@login_required
def page(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    try:
        threshold = _threshold(request.args.get("threshold"), GROUP_THRESHOLD)
    except DomainError as error:
        flash(str(error.message), "error")
        threshold = GROUP_THRESHOLD
    groups = similar_groups(event, threshold)
    forms = []
    for group in groups:
        form = MergeForm(formdata=None)
        form.proposal_ids.choices = [(m["proposal"].id, m["proposal"].title) for m in group]
        form.proposal_ids.data = [m["proposal"].id for m in group]
        form.into.choices = [("", _("Un nouveau sujet"))] + [(str(m["proposal"].id), m["proposal"].title)
                                                              for m in group]
        form.into.data = str(group[0]["proposal"].id)
        form.title.data = group[0]["proposal"].title
        form.description.data = group[0]["proposal"].description
        forms.append(form)
    return render_template(
        "regroupement/page.html", event=event, threshold=threshold, default_threshold=GROUP_THRESHOLD,
        groups=list(zip(groups, forms)), merges=merges_of(event), can_merge=event.phase in MERGE_PHASES,
        proposals={p.id: p for p in db.session.scalars(db.select(Proposal).where(Proposal.event_id == event.id))},
    )


@bp.route("/organiser/events/<int:event_id>/regroupement/merge", methods=["POST"])
@login_required
def page_merge(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    form = MergeForm()
    back = url_for("regroupement.page", event_id=event.id, threshold=request.form.get("threshold") or None)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(back)
    try:
        data = TopicMergeIn(into=int(form.into.data) if form.into.data else None, proposal_ids=form.proposal_ids.data,
                       title=form.title.data, description=form.description.data or "")
        merge = do_merge(event, data)
    except ValidationError:
        flash(_("Regroupement invalide : vérifiez les sujets et le titre."), "error")
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("%(n)s sujets regroupés dans « %(title)s ».", n=len(merge.sources) + (0 if merge.created_result else 1),
                title=merge.title))
    return redirect(back)


@bp.route("/organiser/events/<int:event_id>/regroupement/<int:merge_id>/undo", methods=["POST"])
@login_required
def page_undo(event_id: int, merge_id: int):
    event = get_event_for_organiser(event_id, current_user.id)  # CSRFProtect has checked the token
    try:
        merge = do_undo(event, merge_id)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Regroupement « %(title)s » annulé.", title=merge.title))
    return redirect(url_for("regroupement.page", event_id=event.id))


# -- participant page: what a merged topic regroups ------------------------------------------------------
@bp.route("/e/<int:event_id>/proposals/<int:proposal_id>")
def page_trail(event_id: int, proposal_id: int):
    from barcamp.proposals.views import _page_participant

    event, _participant = _page_participant(event_id)
    proposal = get_proposal(event, proposal_id)
    if proposal.status != ProposalStatus.VISIBLE:
        raise NotFound("proposal_not_found", _("Ce sujet a été retiré, masqué ou regroupé."))
    return render_template("regroupement/trail.html", event=event, proposal=proposal_out(proposal),
                           originals=trail(proposal))
