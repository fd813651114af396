"""The library and the glossary over HTTP: JSON API, public pages, the organiser's page, the filter."""
from __future__ import annotations

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from barcamp.accounts.identity import Identity, api_auth, current_identity, event_for, session_participant_token
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError, Forbidden, InvalidInput, Unauthorized
from barcamp.events.services import get_event, get_event_for_organiser
from barcamp.participants.services import participant_from_token
from barcamp.proposals.services import get_proposal, visible_proposals
from barcamp.resources import bp
from barcamp.resources.forms import AttachForm, DeleteForm, ForumResourceForm, ForumTermForm
from barcamp.resources.glossary import mark_terms, matcher_data
from barcamp.resources.schemas import (AttachedOut, ForumResourceIn, ForumTermIn, GlossaryOut, GlossaryQuery,
                                   LibraryQuery, ResourceIdsIn, ResourceList, ResourceOut, SectionsOut, TermOut)
from barcamp.resources.services import (
    add_forum_resource, add_forum_term, attached_to_proposal, attached_to_workshop, delete_forum_resource,
    delete_forum_term, forum_resource_out, forum_resources, forum_terms, glossary_out, glossary_terms,
    search_resources, sections, set_attachments,
)


def locale() -> str:
    return str(get_locale() or "fr")


def _year(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    if not raw.isdigit() or len(raw) != 4:
        raise InvalidInput("invalid_year", _("Année invalide : %(year)s.", year=raw))
    return int(raw)


def _api_event_id(raw: str | None) -> int | None:
    """`event_id` of an API query: requires a token that may read that forum."""
    if not raw:
        return None
    identity = current_identity()
    if identity is None:
        raise Unauthorized("unauthorized", _("Jeton d'accès manquant ou invalide."))
    if not raw.isdigit():
        raise InvalidInput("invalid_event_id", _("Identifiant de forum invalide."))
    return event_for(identity, int(raw)).id


def _workshop_for(identity: Identity, workshop_id: int):
    from barcamp.workshops.services import get_workshop

    workshop = get_workshop(workshop_id)
    return workshop, event_for(identity, workshop.event_id)


# -- API ------------------------------------------------------------------------------------------
@api_route(bp, "/resources", "GET", response=ResourceList, query=LibraryQuery,
           summary="Search the library: ?q= words (accents and case ignored), &section=, &year=; "
                   "&event_id= with a token adds that forum's own resources", errors=(401, 403, 404, 422))
def api_resources(query: LibraryQuery):
    found = search_resources(query.q, query.section or None, _year(query.year), _api_event_id(query.event_id),
                             locale())
    return jsonify({"count": len(found), "resources": found})


@api_route(bp, "/resources/sections", "GET", response=SectionsOut, summary="The library's sections")
def api_sections():
    return jsonify({"sections": sections(locale())})


@api_route(bp, "/glossary", "GET", response=GlossaryOut, query=GlossaryQuery,
           summary="The glossary in the request's language; &event_id= with a token adds the forum's terms",
           errors=(401, 403, 404, 422))
def api_glossary(query: GlossaryQuery):
    return jsonify(glossary_out(_api_event_id(query.event_id), locale()))


@api_route(bp, "/workshops/<int:workshop_id>/resources", "GET", response=AttachedOut,
           summary="Resources attached to a workshop", auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_workshop_resources(workshop_id: int, identity: Identity):
    workshop, _event = _workshop_for(identity, workshop_id)
    return jsonify({"resources": attached_to_workshop(workshop.id, locale())})


@api_route(bp, "/workshops/<int:workshop_id>/resources", "PUT", body=ResourceIdsIn, response=AttachedOut,
           summary="Replace the resources attached to a workshop (ids in display order)",
           auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_set_workshop_resources(workshop_id: int, data: ResourceIdsIn, identity: Identity):
    workshop, event = _workshop_for(identity, workshop_id)
    with write_transaction():
        set_attachments(event, data.resource_ids, workshop_id=workshop.id)
    return jsonify({"resources": attached_to_workshop(workshop.id, locale())})


@api_route(bp, "/events/<int:event_id>/proposals/<int:proposal_id>/resources", "GET", response=AttachedOut,
           summary="Resources attached to a topic", auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_proposal_resources(event_id: int, proposal_id: int, identity: Identity):
    proposal = get_proposal(event_for(identity, event_id), proposal_id)
    return jsonify({"resources": attached_to_proposal(proposal.id, locale())})


@api_route(bp, "/events/<int:event_id>/proposals/<int:proposal_id>/resources", "PUT", body=ResourceIdsIn,
           response=AttachedOut, summary="Replace the resources attached to a topic (ids in display order)",
           auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_set_proposal_resources(event_id: int, proposal_id: int, data: ResourceIdsIn, identity: Identity):
    event = event_for(identity, event_id)
    proposal = get_proposal(event, proposal_id)
    with write_transaction():
        set_attachments(event, data.resource_ids, proposal_id=proposal.id)
    return jsonify({"resources": attached_to_proposal(proposal.id, locale())})


@api_route(bp, "/events/<int:event_id>/resources", "POST", body=ForumResourceIn, response=ResourceOut, status=201,
           summary="Add a resource of the forum's own", auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_add_resource(event_id: int, data: ForumResourceIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        resource = add_forum_resource(event, data)
    return jsonify(forum_resource_out(resource)), 201


@api_route(bp, "/events/<int:event_id>/resources/forum-<int:resource_id>", "DELETE",
           summary="Delete a forum resource (and its attachments), by the id its creation returned (forum-12)",
           status=204, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_delete_resource(event_id: int, resource_id: int, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        delete_forum_resource(event, resource_id)
    return "", 204


@api_route(bp, "/events/<int:event_id>/glossary", "POST", body=ForumTermIn, response=TermOut, status=201,
           summary="Add a glossary term of the forum's own", auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_add_term(event_id: int, data: ForumTermIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        term = add_forum_term(event, data)
    return jsonify({"slug": f"forum-{term.id}", "term": term.term, "definition": term.definition, "forum": True}), 201


@api_route(bp, "/events/<int:event_id>/glossary/forum-<int:term_id>", "DELETE",
           summary="Delete a forum glossary term, by the slug its creation returned (forum-7)",
           status=204, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_delete_term(event_id: int, term_id: int, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        delete_forum_term(event, term_id)
    return "", 204


# -- pages ----------------------------------------------------------------------------------------
def _page_event(event_id: int):
    """The forum of a participant page: its participant (session) or its organiser may read it."""
    event = get_event(event_id)
    if current_user.is_authenticated and event.organiser_id == current_user.id:
        return event, None
    participant = participant_from_token(session_participant_token(event.id))
    if participant is None:
        raise Forbidden("not_joined", _("Rejoignez d'abord ce forum avec son code."))
    return event, participant


def _back(event, participant) -> str | None:
    if event is None:
        return None
    if participant is None:  # the organiser
        return url_for("events.dashboard", event_id=event.id)
    return url_for("participants.forum", event_id=event.id)


def _library_page(event=None, back: str | None = None):
    try:
        year = _year(request.args.get("year"))
    except DomainError:
        year = None
    q = request.args.get("q", "").strip()[:200]
    section = request.args.get("section") or None
    found = search_resources(q, section, year, event.id if event else None, locale())
    return render_template("resources/library.html", event=event, back=back, results=found, q=q, section=section, year=year,
                           sections=sections(locale()), years=_years(), searched=bool(q or section or year))


def _years() -> list[int]:
    from barcamp.resources.content import load_library

    return load_library().years()


@bp.route("/ressources")
def library():
    """The library: search by words, section and year (a GET form, works without JavaScript)."""
    return _library_page()


@bp.route("/e/<int:event_id>/ressources")
def forum_library(event_id: int):
    """The library from a forum's phone page, with the forum's own resources first."""
    event, participant = _page_event(event_id)
    return _library_page(event, _back(event, participant))


@bp.route("/glossaire")
def glossary_page():
    return render_template("resources/glossary.html", event=None, glossary=glossary_out(None, locale()))


@bp.route("/e/<int:event_id>/glossaire")
def forum_glossary(event_id: int):
    event, participant = _page_event(event_id)
    return render_template("resources/glossary.html", event=event, back=_back(event, participant),
                           glossary=glossary_out(event.id, locale()))


# -- organiser ------------------------------------------------------------------------------------
def _targets(event) -> list[tuple[str, str]]:
    choices = [(f"p-{p.id}", _("Sujet : %(title)s", title=p.title)) for p in visible_proposals(event.id)]
    try:
        from barcamp.workshops.services import list_workshops
    except ImportError:  # pragma: no cover - the workshops area is optional
        return choices
    return choices + [(f"w-{w.id}", _("Atelier : %(title)s", title=w.title)) for w in list_workshops(event.id)]


def _resource_choices(event) -> list[tuple[str, str]]:
    own = [(r.key, r.title) for r in forum_resources(event.id)]
    library = [(r["id"], f"{r['id']} · {r['title']}") for r in search_resources(locale=locale())]
    return own + library


@bp.route("/organiser/events/<int:event_id>/ressources", methods=["GET", "POST"])
@login_required
def organiser_page(event_id: int):
    """Add the forum's own resources and terms; attach resources to topics and workshops."""
    event = get_event_for_organiser(event_id, current_user.id)
    resource_form = ForumResourceForm(prefix="res")
    term_form = ForumTermForm(prefix="term")
    attach_form = AttachForm(prefix="att")
    attach_form.target.choices = _targets(event)
    attach_form.resource_ids.choices = _resource_choices(event)
    delete_form = DeleteForm(prefix="del")
    action = request.form.get("action")
    here = url_for("resources.organiser_page", event_id=event.id)
    try:
        if action == "resource" and resource_form.validate_on_submit():
            data = ForumResourceIn(**{k: (getattr(resource_form, k).data or "") for k in
                                      ("title", "author", "source", "date", "url", "summary")})
            with write_transaction():
                add_forum_resource(event, data)
            flash(_("Ressource ajoutée au forum."), "success")
            return redirect(here)
        if action == "term" and term_form.validate_on_submit():
            with write_transaction():
                add_forum_term(event, ForumTermIn(term=term_form.term.data, definition=term_form.definition.data))
            flash(_("Terme ajouté au glossaire du forum."), "success")
            return redirect(here)
        if action == "attach" and attach_form.validate_on_submit():
            kind, _sep, raw_id = attach_form.target.data.partition("-")
            with write_transaction():
                if kind == "w":
                    set_attachments(event, attach_form.resource_ids.data or [], workshop_id=int(raw_id))
                else:
                    set_attachments(event, attach_form.resource_ids.data or [],
                                    proposal_id=get_proposal(event, int(raw_id)).id)
            flash(_("Ressources « Pour aller plus loin » enregistrées."), "success")
            return redirect(here)
        if action == "delete" and delete_form.validate_on_submit():
            with write_transaction():
                if delete_form.kind.data == "term":
                    delete_forum_term(event, int(delete_form.item_id.data))
                else:
                    delete_forum_resource(event, int(delete_form.item_id.data))
            flash(_("Supprimé."), "success")
            return redirect(here)
    except DomainError as error:
        flash(str(error.message), "error")
    attached = {}
    for value, label in attach_form.target.choices:
        kind, _sep, raw_id = value.partition("-")
        items = attached_to_workshop(int(raw_id), locale()) if kind == "w" else attached_to_proposal(int(raw_id), locale())
        if items:
            attached[label] = items
    return render_template("resources/organiser.html", event=event, resource_form=resource_form, term_form=term_form,
                           attach_form=attach_form, resources=forum_resources(event.id), terms=forum_terms(event.id),
                           attached=attached), \
        (400 if request.method == "POST" else 200)


# -- the glossary filter, for every template ------------------------------------------------------
def _page_glossary(event_id: int | None) -> tuple[list[dict], str]:
    """The terms and glossary URL of this page: the forum of its <event_id> URL argument, or the library's."""
    if event_id is None and request:
        event_id = (request.view_args or {}).get("event_id")
    cache = g.setdefault("_glossary_terms", {})
    key = (event_id, locale())
    if key not in cache:
        cache[key] = glossary_terms(event_id, locale())
    url = url_for("resources.forum_glossary", event_id=event_id) if event_id else url_for("resources.glossary_page")
    return cache[key], url


@bp.app_template_filter("glossary")
def glossary_filter(text, event_id: int | None = None) -> Markup:
    """Escape user text, then explain the glossary terms in it (see app/resources/glossary.py)."""
    return mark_terms(text, *_page_glossary(event_id))


@bp.app_template_global("glossary_data")
def glossary_data(event_id: int | None = None) -> dict:
    """The same terms for static/js/resources.js, which marks text that arrives live (_glossary_data.html)."""
    return matcher_data(*_page_glossary(event_id))


@bp.app_template_global("resources_for_display")
def resources_for_display(workshop_id: int | None = None, proposal_id: int | None = None) -> list[dict]:
    """Attached resources for the _further_reading.html partial."""
    if workshop_id is not None:
        return attached_to_workshop(workshop_id, locale())
    return attached_to_proposal(proposal_id, locale()) if proposal_id is not None else []


