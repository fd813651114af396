"""Organiser login (page) and API tokens."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from barcamp.accounts import bp
from barcamp.accounts.forms import LoginForm
from barcamp.accounts.identity import issue_organiser_token
from barcamp.accounts.models import Organiser
from barcamp.accounts.schemas import TokenRequest, TokenResponse
from barcamp.accounts.services import authenticate
from barcamp.common.api import api_route
from barcamp.common.db import write_transaction
from barcamp.common.errors import Unauthorized
from barcamp.extensions import db, limiter
from barcamp.security.sockets import disconnect_organiser
from barcamp.security.devices import remember_browser
from barcamp.security.throttle import from_usual_browser, login_guard


@api_route(bp, "/auth/token", "POST", summary="Exchange organiser credentials for a bearer token",
           body=TokenRequest, response=TokenResponse, errors=(401, 429))
@limiter.limit("30 per minute", exempt_when=from_usual_browser)
@login_guard
def token(data: TokenRequest):
    with write_transaction():  # keeps an upgraded password hash
        organiser = authenticate(data.email, data.password)
        token = issue_organiser_token(organiser)
    remember_browser(data.email)
    return jsonify({"token": token})


@bp.route("/organiser/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"], exempt_when=from_usual_browser)
@login_guard
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            with write_transaction():  # keeps an upgraded password hash
                organiser = authenticate(form.email.data, form.password.data)
        except Unauthorized as error:
            form.password.errors.append(str(error.message))
        else:
            login_user(organiser, remember=True)
            remember_browser(form.email.data)
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
                target = url_for("events.dashboard_list")
            return redirect(target)
    return render_template("accounts/login.html", form=form)


@bp.route("/organiser/logout", methods=["POST"])
def logout():
    """End this organiser's sessions: cookies, tokens and live sockets issued before now."""
    if current_user.is_authenticated:
        organiser_id = current_user.id
        with write_transaction():
            db.session.get(Organiser, organiser_id).end_sessions()
        disconnect_organiser(organiser_id)
    logout_user()
    flash(_("Vous êtes déconnecté·e."))
    return redirect(url_for("participants.home"))
