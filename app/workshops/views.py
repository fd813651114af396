"""Workshops over HTTP: the JSON API, the organiser's page, the phone board, the projector board."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from barcamp.accounts.identity import (Identity, api_auth, event_for, organiser_page_token, projector_auth_token,
                                   session_participant_token)
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError, Forbidden
from barcamp.events.enums import Phase
from barcamp.events.presenters import _external
from barcamp.events.services import find_event_by_projector_token, get_event, get_event_for_organiser
from barcamp.participants.services import display_name, participant_from_token
from barcamp.voting.services import compute_results
from barcamp.workshops import actions, bp, services
from barcamp.workshops.enums import CardSection
from barcamp.workshops.forms import (CardForm, CsrfOnlyForm, DeleteWorkshopForm, FacilitatorForm, FromRankingForm,
                                 RenameWorkshopForm, WorkshopForm)
from barcamp.workshops.schemas import (BoardOut, CardCreate, CardOut, CardPatch, ClaimIn, DotIn,
                                   DotOut, FacilitatorIn, FacilitatorOut, MergeIn, WorkshopCreate, WorkshopList,
                                   WorkshopOut, WorkshopPatch, WorkshopsFromRanking)
from barcamp.workshops.services import Caller


def caller_of(identity: Identity) -> Caller:
    return Caller(identity.kind, organiser_id=identity.organiser.id if identity.organiser else None,
                  participant_id=identity.participant.id if identity.participant else None,
                  event_id=identity.event_id)


def workshop_for(identity: Identity, workshop_id: int):
    """The workshop and the caller, if this identity may see the workshop's forum."""
    workshop = services.get_workshop(workshop_id)
    caller = caller_of(identity)
    if identity.kind == "organiser" and services.is_facilitator(workshop, "organiser", caller.organiser_id):
        return workshop, caller
    if identity.kind == "organiser":
        event_for(identity, workshop.event_id)  # raises not_your_event
    elif identity.event_id != workshop.event_id:
        raise Forbidden("not_in_event", _("Votre jeton ne donne pas accès à ce forum."))
    return workshop, caller


def owned_by(identity: Identity, workshop_id: int):
    """The workshop, if the calling organiser owns its forum (else 403 not_your_event)."""
    workshop = services.get_workshop(workshop_id)
    event_for(identity, workshop.event_id)
    return workshop


def facilitator_url(workshop, token: str) -> str:
    return _external("workshops.facilitate", event_id=workshop.event_id, workshop_id=workshop.id, token=token)


# -- API ------------------------------------------------------------------------------------------
@api_route(bp, "/events/<int:event_id>/workshops", "GET", summary="The forum's workshops",
           response=WorkshopList, auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_list(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    return jsonify({"workshops": services.workshops_out(services.list_workshops(event.id))})


@api_route(bp, "/events/<int:event_id>/workshops", "POST",
           summary="Create a workshop, optionally gathering some of the forum's topics",
           body=WorkshopCreate, response=WorkshopOut, status=201, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_create(event_id: int, data: WorkshopCreate, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        workshop = services.create_workshop(event, data.title, data.description, data.proposal_ids,
                                            data.dots_budget, data.max_per_card)
        out = services.workshops_out([workshop])[0]
    return jsonify(out), 201


@api_route(bp, "/events/<int:event_id>/workshops/from-ranking", "POST",
           summary="One workshop per topic for the top N of the ranking (topics that have one are skipped)",
           body=WorkshopsFromRanking, response=WorkshopList, status=201, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_from_ranking(event_id: int, data: WorkshopsFromRanking, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        out = services.workshops_out(services.workshops_from_ranking(event, data.top))
    return jsonify({"workshops": out}), 201


@api_route(bp, "/workshops/<int:workshop_id>", "GET",
           summary="The board: the workshop, its cards by section with dots, and the caller's rights and dots",
           response=BoardOut, auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_board(workshop_id: int, identity: Identity):
    workshop, caller = workshop_for(identity, workshop_id)
    return jsonify(actions.board_for(workshop, caller))


@api_route(bp, "/workshops/<int:workshop_id>", "PATCH",
           summary="Rename a workshop (title, optionally description); open boards show it at once",
           body=WorkshopPatch, response=WorkshopOut, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_rename(workshop_id: int, data: WorkshopPatch, identity: Identity):
    workshop = owned_by(identity, workshop_id)
    return jsonify(actions.rename_workshop(workshop.id, data.title, data.description))


@api_route(bp, "/workshops/<int:workshop_id>", "DELETE",
           summary="Delete a workshop (soft: gone from lists, boards and the restitution; its rows are kept)",
           status=204, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_delete(workshop_id: int, identity: Identity):
    workshop = owned_by(identity, workshop_id)
    actions.delete_workshop(workshop.id)
    return "", 204


@api_route(bp, "/workshops/<int:workshop_id>/facilitator", "PUT",
           summary="Name an organiser as facilitator, or issue a facilitator link (its URL is shown once)",
           body=FacilitatorIn, response=FacilitatorOut, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_facilitator(workshop_id: int, data: FacilitatorIn, identity: Identity):
    workshop = owned_by(identity, workshop_id)
    with write_transaction():
        token = services.set_facilitator(workshop, data.organiser_id, data.link)
        out = {"facilitator": services.facilitator_out(workshop),
               "url": facilitator_url(workshop, token) if token else None}
    actions_changed(workshop.id)
    return jsonify(out)


@api_route(bp, "/workshops/<int:workshop_id>/facilitator/claim", "POST",
           summary="A participant holding the facilitator link becomes the workshop's facilitator",
           body=ClaimIn, response=FacilitatorOut, auth=("participant",), errors=(404,))
@api_auth("participant")
def api_claim(workshop_id: int, data: ClaimIn, identity: Identity):
    workshop, _caller = workshop_for(identity, workshop_id)
    with write_transaction():
        services.claim_facilitator(workshop, identity.participant, data.token)
        out = {"facilitator": services.facilitator_out(workshop), "url": None}
    actions_changed(workshop.id)
    return jsonify(out)


@api_route(bp, "/workshops/<int:workshop_id>/members", "POST", summary="Join the workshop (idempotent)",
           response=BoardOut, auth=("participant",), errors=(404,))
@api_auth("participant")
def api_join(workshop_id: int, identity: Identity):
    workshop, caller = workshop_for(identity, workshop_id)
    actions.join(workshop.id, caller.participant_id)
    return jsonify(actions.board_for(services.get_workshop(workshop_id), caller))


@api_route(bp, "/workshops/<int:workshop_id>/cards", "POST", summary="Add a card to a section of the board",
           body=CardCreate, response=CardOut, status=201, auth=("organiser", "participant"), errors=(404, 409))
@api_auth("organiser", "participant")
def api_add_card(workshop_id: int, data: CardCreate, identity: Identity):
    workshop, caller = workshop_for(identity, workshop_id)
    card = actions.add_card(workshop.id, caller, data.section, data.text, data.gain, data.indicator,
                            data.client_key)
    return jsonify(card), 201


@api_route(bp, "/workshops/<int:workshop_id>/cards/<int:card_id>", "PATCH",
           summary="Change a card based on its `version`; a stale version gets 409 card_conflict with the "
                   "current card in error.current",
           body=CardPatch, response=CardOut, auth=("organiser", "participant"), errors=(404, 409))
@api_auth("organiser", "participant")
def api_edit_card(workshop_id: int, card_id: int, data: CardPatch, identity: Identity):
    workshop, caller = workshop_for(identity, workshop_id)
    changes = {k: getattr(data, k) for k in data.model_fields_set if k != "version"}
    return jsonify(actions.edit_card(workshop.id, caller, card_id, data.version, changes))


@api_route(bp, "/workshops/<int:workshop_id>/cards/<int:card_id>", "DELETE",
           summary="Remove a card (soft delete: hidden from the board and the restitution); ?version= optional",
           auth=("organiser", "participant"), errors=(404, 409))
@api_auth("organiser", "participant")
def api_remove_card(workshop_id: int, card_id: int, identity: Identity):
    workshop, caller = workshop_for(identity, workshop_id)
    return jsonify(actions.remove_card(workshop.id, caller, card_id, request.args.get("version", type=int)))


@api_route(bp, "/workshops/<int:workshop_id>/cards/merge", "POST",
           summary="Merge cards into a target (facilitator): their text is appended, each keeps a trail",
           body=MergeIn, response=CardOut, auth=("organiser", "participant"), errors=(404, 409))
@api_auth("organiser", "participant")
def api_merge(workshop_id: int, data: MergeIn, identity: Identity):
    workshop, caller = workshop_for(identity, workshop_id)
    return jsonify(actions.merge_cards(workshop.id, caller, data.target_id, data.source_ids, data.target_version))


@api_route(bp, "/workshops/<int:workshop_id>/dots/<int:card_id>", "PUT",
           summary="Set one's dots on a proposal card to an absolute value (idempotent, budgeted)",
           body=DotIn, response=DotOut, auth=("participant",), errors=(404, 409))
@api_auth("participant")
def api_dots(workshop_id: int, card_id: int, data: DotIn, identity: Identity):
    workshop, caller = workshop_for(identity, workshop_id)
    return jsonify(actions.set_dots(workshop.id, caller.participant_id, card_id, data.value))


def actions_changed(workshop_id: int) -> None:
    from barcamp import realtime

    realtime.board_changed(workshop_id)




# -- organiser pages ----------------------------------------------------------------------------------
@bp.route("/organiser/events/<int:event_id>/workshops", methods=["GET", "POST"])
@login_required
def manage(event_id: int):
    """Create workshops (from the ranking, grouped, or directly) and assign their facilitators."""
    event = get_event_for_organiser(event_id, current_user.id)
    results = compute_results(event)
    form = WorkshopForm()
    form.proposal_ids.choices = [SelectChoice(e["proposal_id"], e["title"]) for e in results["ranking"]]
    ranking_form = FromRankingForm()
    if form.submit.data and form.validate_on_submit():
        try:
            with write_transaction():
                services.create_workshop(event, form.title.data, form.description.data or "",
                                         form.proposal_ids.data or [], form.dots_budget.data, form.max_per_card.data)
            flash(_("Atelier créé."))
            return redirect(url_for("workshops.manage", event_id=event.id))
        except DomainError as error:
            flash(str(error.message), "error")
    workshops = services.list_workshops(event.id)
    return render_template(
        "workshops/manage.html", event=event, form=form, ranking_form=ranking_form,
        workshops=services.workshops_out(workshops), facilitator_form=FacilitatorForm(),
        rename_form=RenameWorkshopForm(),
        ranking=results["ranking"], workshops_open=event.phase == Phase.WORKSHOPS,
    )


@bp.route("/organiser/events/<int:event_id>/workshops/from-ranking", methods=["POST"])
@login_required
def manage_from_ranking(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    form = FromRankingForm()
    if form.validate_on_submit():
        with write_transaction():
            created = services.workshops_from_ranking(event, form.top.data)
        flash(_("%(n)s atelier(s) créé(s).", n=len(created)))
    else:
        flash(_("Indiquez un nombre de sujets entre 1 et 50."), "error")
    return redirect(url_for("workshops.manage", event_id=event.id))


def _owned_workshop(event_id: int, workshop_id: int):
    """The organiser's forum and one of its workshops (403 for another forum's workshop)."""
    event = get_event_for_organiser(event_id, current_user.id)
    workshop = services.get_workshop(workshop_id)
    if workshop.event_id != event.id:
        raise Forbidden("not_your_event", _("Cet atelier n'est pas dans ce forum."))
    return event, workshop


@bp.route("/organiser/events/<int:event_id>/workshops/<int:workshop_id>/facilitator", methods=["POST"])
@login_required
def manage_facilitator(event_id: int, workshop_id: int):
    event, workshop = _owned_workshop(event_id, workshop_id)
    form = FacilitatorForm()
    if form.validate_on_submit():
        with write_transaction():
            token = services.set_facilitator(workshop, current_user.id if form.choice.data == "me" else None,
                                             form.choice.data == "link")
        actions_changed(workshop.id)
        if token:
            flash(_("Lien d'animation (affiché une seule fois, à transmettre à l'animateur) : %(url)s",
                    url=facilitator_url(workshop, token)))
        else:
            flash(_("Animateur enregistré."))
    return redirect(url_for("workshops.manage", event_id=event.id))


@bp.route("/organiser/events/<int:event_id>/workshops/<int:workshop_id>/rename", methods=["POST"])
@login_required
def manage_rename(event_id: int, workshop_id: int):
    event, workshop = _owned_workshop(event_id, workshop_id)
    form = RenameWorkshopForm()
    if form.validate_on_submit():
        actions.rename_workshop(workshop.id, form.title.data)
        flash(_("Atelier renommé."))
    else:
        flash(_("Donnez un titre de 120 caractères au plus."), "error")
    return redirect(url_for("workshops.manage", event_id=event.id))


@bp.route("/organiser/events/<int:event_id>/workshops/<int:workshop_id>/delete", methods=["POST"])
@login_required
def manage_delete(event_id: int, workshop_id: int):
    event, workshop = _owned_workshop(event_id, workshop_id)
    if DeleteWorkshopForm().validate_on_submit():
        actions.delete_workshop(workshop.id)
        flash(_("Atelier « %(title)s » supprimé.", title=workshop.title))
    else:
        flash(_("Cochez la case de confirmation pour supprimer l'atelier."), "error")
    return redirect(url_for("workshops.manage", event_id=event.id))


@bp.route("/organiser/events/<int:event_id>/workshops/<int:workshop_id>")
@login_required
def organiser_board(event_id: int, workshop_id: int):
    """The organiser runs the board (facilitator rights) from a laptop."""
    event, workshop = _owned_workshop(event_id, workshop_id)
    caller = Caller("organiser", organiser_id=current_user.id)
    return _board_page(event, workshop, caller, organiser_page_token(current_user),
                       back=url_for("workshops.manage", event_id=event.id))


# -- participant pages --------------------------------------------------------------------------------
def _participant_or_join(event):
    participant = participant_from_token(session_participant_token(event.id))
    return participant


@bp.route("/e/<int:event_id>/workshops")
def phone_list(event_id: int):
    """The forum's workshops on a phone: join one."""
    event = get_event(event_id)
    participant = _participant_or_join(event)
    if participant is None:
        return redirect(url_for("participants.join", code=event.join_code))
    workshops = services.workshops_out(services.list_workshops(event.id))
    mine = services.member_of(participant.id)
    return render_template("workshops/list.html", event=event, workshops=workshops, mine=mine,
                           participant_name=display_name(participant))


@bp.route("/e/<int:event_id>/workshops/<int:workshop_id>/join", methods=["POST"])
def phone_join(event_id: int, workshop_id: int):
    event = get_event(event_id)
    participant = _participant_or_join(event)
    if participant is None:
        return redirect(url_for("participants.join", code=event.join_code))
    workshop = services.get_workshop(workshop_id)
    if workshop.event_id != event.id:
        raise Forbidden("not_in_event", _("Cet atelier n'est pas dans ce forum."))
    actions.join(workshop.id, participant.id)
    return redirect(url_for("workshops.phone_board", event_id=event.id, workshop_id=workshop.id))


@bp.route("/e/<int:event_id>/workshops/<int:workshop_id>")
def phone_board(event_id: int, workshop_id: int):
    event = get_event(event_id)
    participant = _participant_or_join(event)
    if participant is None:
        return redirect(url_for("participants.join", code=event.join_code))
    workshop = services.get_workshop(workshop_id)
    if workshop.event_id != event.id:
        raise Forbidden("not_in_event", _("Cet atelier n'est pas dans ce forum."))
    caller = Caller("participant", participant_id=participant.id, event_id=event.id)
    return _board_page(event, workshop, caller, session_participant_token(event.id),
                       back=url_for("workshops.phone_list", event_id=event.id))


@bp.route("/e/<int:event_id>/workshops/<int:workshop_id>/cards", methods=["POST"])
def phone_add_card(event_id: int, workshop_id: int):
    """Add a card without JavaScript: same action, then back to the board."""
    event = get_event(event_id)
    participant = _participant_or_join(event)
    if participant is None:
        raise Forbidden("not_joined", _("Rejoignez d'abord ce forum avec son code."))
    form = CardForm()
    target = url_for("workshops.phone_board", event_id=event.id, workshop_id=workshop_id)
    if not form.validate_on_submit():
        flash(_("Carte invalide : écrivez un texte de 2000 caractères au plus."), "error")
        return redirect(target)
    caller = Caller("participant", participant_id=participant.id, event_id=event.id)
    try:
        workshop = services.get_workshop(workshop_id)
        if workshop.event_id != event.id:
            raise Forbidden("not_in_event", _("Cet atelier n'est pas dans ce forum."))
        actions.add_card(workshop.id, caller, CardSection(form.section.data), form.text.data,
                         form.gain.data or None, client_key=form.client_key.data or None)
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(target + f"#section-{form.section.data}")


@bp.route("/e/<int:event_id>/workshops/<int:workshop_id>/cards/<int:card_id>/report", methods=["POST"])
def phone_report_card(event_id: int, workshop_id: int, card_id: int):
    """Report a card without JavaScript (the board's script asks for a confirmation first)."""
    event = get_event(event_id)
    participant = _participant_or_join(event)
    if participant is None:
        raise Forbidden("not_joined", _("Rejoignez d'abord ce forum avec son code."))
    target = url_for("workshops.phone_board", event_id=event.id, workshop_id=workshop_id)
    if not CsrfOnlyForm().validate_on_submit():
        flash(_("Le formulaire a expiré : rechargez la page et réessayez."), "error")
        return redirect(target)
    try:
        workshop = services.get_workshop(workshop_id)
        if workshop.event_id != event.id:
            raise Forbidden("not_in_event", _("Cet atelier n'est pas dans ce forum."))
        caller = Caller("participant", participant_id=participant.id, event_id=event.id)
        actions.report_card(workshop.id, caller, card_id, request.form.get("reason", ""))
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Merci, l'équipe d'organisation a été prévenue."))
    return redirect(target)


@bp.route("/e/<int:event_id>/workshops/<int:workshop_id>/facilitate/<token>")
def facilitate(event_id: int, workshop_id: int, token: str):
    """The facilitator link: the participant who opens it on their phone runs the board."""
    event = get_event(event_id)
    participant = _participant_or_join(event)
    if participant is None:
        flash(_("Rejoignez d'abord le forum, puis rouvrez le lien d'animation."))
        return redirect(url_for("participants.join", code=event.join_code))
    workshop = services.get_workshop(workshop_id)
    if workshop.event_id != event.id:
        raise Forbidden("not_in_event", _("Cet atelier n'est pas dans ce forum."))
    with write_transaction():
        services.claim_facilitator(workshop, participant, token)
    actions_changed(workshop.id)
    flash(_("Vous animez cet atelier : vous pouvez modifier, fusionner, ordonner et numéroter les cartes."))
    return redirect(url_for("workshops.phone_board", event_id=event.id, workshop_id=workshop.id))


def _board_page(event, workshop, caller: Caller, token: str | None, back: str):
    board = actions.board_for(workshop, caller)
    return render_template(
        "workshops/board.html", event=event, workshop=workshop, board=board, live_token=token, back=back,
        sections=list(CardSection), card_form=CardForm(), workshops_open=event.phase == Phase.WORKSHOPS,
    )


# -- projector ----------------------------------------------------------------------------------------
@bp.route("/projector/<token>/workshops/<int:workshop_id>")
def projector(token: str, workshop_id: int):
    """A workshop's board on a big screen, readable from afar (same secret as the forum's projector)."""
    event = find_event_by_projector_token(token)
    workshop = services.get_workshop(workshop_id)
    if workshop.event_id != event.id:
        raise Forbidden("not_in_event", _("Cet atelier n'est pas dans ce forum."))
    board = actions.board_for(workshop, Caller("projector", event_id=event.id))
    return render_template("workshops/projector.html", event=event, workshop=workshop, board=board,
                           live_token=projector_auth_token(event))
