"""The restitution editor (organiser), the public read-only page, and the exports (API, pages, public)."""
from __future__ import annotations

from flask import (
    Response,
    current_app,
    flash,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from barcamp.accounts.identity import Identity, api_auth, event_for
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError
from barcamp.events.models import Event
from barcamp.events.services import get_event_for_organiser
from barcamp.restitution import bp
from barcamp.restitution.document import Restitution
from barcamp.restitution.export_html import document_context
from barcamp.restitution.exports import FORMATS, get_format
from barcamp.restitution.forms import ActionForm, IntroForm, MoveForm
from barcamp.restitution.models import RestitutionSettings
from barcamp.restitution.schemas import ExportQuery, RestitutionSettingsIn, RestitutionSettingsOut
from barcamp.restitution.services import (
    assemble,
    assemble_for,
    find_published,
    get_settings,
    move_chapter,
    ordered_workshop_ids,
    publish,
    unpublish,
    update_settings,
)
from barcamp.restitution.text import content_disposition


# -- shared helpers ---------------------------------------------------------------------------------
def public_url(settings: RestitutionSettings | None) -> str | None:
    """The public page's absolute URL, when published."""
    if settings is None or settings.published_at is None or not settings.public_token:
        return None
    base = current_app.config.get("PUBLIC_URL")
    if base or not has_request_context():
        with current_app.test_request_context(base_url=base or "http://127.0.0.1:5000"):
            return url_for("restitution.public_page", token=settings.public_token, _external=True)
    return url_for("restitution.public_page", token=settings.public_token, _external=True)


def settings_out(event: Event, settings: RestitutionSettings | None) -> dict:
    return RestitutionSettingsOut(
        event_id=event.id,
        context=settings.context if settings else "",
        dates=settings.dates if settings else "",
        place=settings.place if settings else "",
        thanks=settings.thanks if settings else "",
        include_names=bool(settings and settings.include_names),
        chapter_order=ordered_workshop_ids(event.id, settings),
        published=bool(settings and settings.published_at),
        published_at=settings.published_at if settings else None,
        public_url=public_url(settings),
    ).model_dump(mode="json")


def export_response(doc: Restitution, format_key: str | None, *, public: bool = False) -> Response:
    """The document in one format, as a download named after the forum."""
    fmt = get_format(format_key)
    response = Response(fmt.render(doc), mimetype=fmt.mimetype.split(";")[0])
    response.headers["Content-Type"] = fmt.mimetype
    response.headers["Content-Disposition"] = content_disposition(doc.title, fmt.extension)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=60" if public else "private, no-store"
    return response


# -- API ----------------------------------------------------------------------------------------------
@api_route(bp, "/events/<int:event_id>/export", "GET",
           summary="Download the restitution (?format=md|html|pdf|docx|csv|json); 400 on an unknown format",
           query=ExportQuery, auth=("organiser",), errors=(400, 404))
@api_auth("organiser")
def api_export(event_id: int, query: ExportQuery, identity: Identity):
    event = event_for(identity, event_id)
    get_format(query.format)  # refuse a bad format before assembling anything
    return export_response(assemble_for(event), query.format)


@api_route(bp, "/events/<int:event_id>/restitution", "GET", summary="The restitution's settings and publication",
           response=RestitutionSettingsOut, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_get_settings(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    return jsonify(settings_out(event, get_settings(event.id)))


@api_route(bp, "/events/<int:event_id>/restitution", "PUT",
           summary="Edit the introduction, the pseudonyms option and the chapter order",
           body=RestitutionSettingsIn, response=RestitutionSettingsOut, auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_put_settings(event_id: int, data: RestitutionSettingsIn, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        settings = update_settings(event, context=data.context, dates=data.dates, place=data.place,
                                   thanks=data.thanks, include_names=data.include_names,
                                   chapter_order=data.chapter_order)
    return jsonify(settings_out(event, settings))


@api_route(bp, "/events/<int:event_id>/restitution/publication", "POST",
           summary="Publish the restitution at a public read-only URL", response=RestitutionSettingsOut,
           auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_publish(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        settings = publish(event)
    return jsonify(settings_out(event, settings))


@api_route(bp, "/events/<int:event_id>/restitution/publication", "DELETE",
           summary="Unpublish the restitution (its public URL answers 404)", response=RestitutionSettingsOut,
           auth=("organiser",), errors=(404,))
@api_auth("organiser")
def api_unpublish(event_id: int, identity: Identity):
    event = event_for(identity, event_id)
    with write_transaction():
        settings = unpublish(event)
    return jsonify(settings_out(event, settings))


# -- organiser pages ----------------------------------------------------------------------------------
@bp.route("/organiser/events/<int:event_id>/restitution", methods=["GET", "POST"])
@login_required
def editor(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    settings = get_settings(event.id)
    form = IntroForm(obj=settings)
    if form.validate_on_submit():
        with write_transaction():
            update_settings(event, context=form.context.data or "", dates=form.dates.data or "",
                            place=form.place.data or "", thanks=form.thanks.data or "",
                            include_names=bool(form.include_names.data))
        flash(_("Restitution enregistrée."))
        return redirect(url_for("restitution.editor", event_id=event.id))
    doc = assemble_for(event)
    return render_template(
        "restitution/editor.html", event=event, form=form, settings=settings, public_url=public_url(settings),
        action_form=ActionForm(), move_form=MoveForm(), formats=list(FORMATS), **document_context(doc),
    )


@bp.route("/organiser/events/<int:event_id>/restitution/move", methods=["POST"])
@login_required
def move(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            with write_transaction():
                move_chapter(event, int(form.workshop_id.data or 0), -1 if form.direction.data == "up" else 1)
        except (ValueError, DomainError):
            flash(_("Ce chapitre ne peut pas être déplacé."), "error")
    return redirect(url_for("restitution.editor", event_id=event.id) + "#chapters")


@bp.route("/organiser/events/<int:event_id>/restitution/publish", methods=["POST"])
@login_required
def publish_page(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    if ActionForm().validate_on_submit():
        with write_transaction():
            publish(event)
        flash(_("Restitution publiée."))
    return redirect(url_for("restitution.editor", event_id=event.id))


@bp.route("/organiser/events/<int:event_id>/restitution/unpublish", methods=["POST"])
@login_required
def unpublish_page(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    if ActionForm().validate_on_submit():
        with write_transaction():
            unpublish(event)
        flash(_("Restitution dépubliée : son lien public ne répond plus."))
    return redirect(url_for("restitution.editor", event_id=event.id))


@bp.route("/organiser/events/<int:event_id>/restitution/export")
@login_required
def export_page(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    get_format(request.args.get("format"))
    return export_response(assemble_for(event), request.args.get("format"))


# -- public, read-only ---------------------------------------------------------------------------------
@bp.route("/r/<token>")
def public_page(token: str):
    event, settings = find_published(token)
    doc = assemble(event.id, include_names=settings.include_names)
    return render_template("restitution/public.html", token=token, formats=list(FORMATS), **document_context(doc))


@bp.route("/r/<token>/export")
def public_export(token: str):
    event, settings = find_published(token)
    get_format(request.args.get("format"))
    return export_response(assemble(event.id, include_names=settings.include_names), request.args.get("format"),
                           public=True)
