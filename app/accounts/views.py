"""Organiser login (page) and API tokens."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from app.accounts import bp
from app.accounts.forms import LoginForm
from app.accounts.identity import issue_organiser_token
from app.accounts.schemas import TokenRequest, TokenResponse
from app.accounts.services import authenticate
from app.common.api import api_route
from app.common.errors import Unauthorized
from app.extensions import limiter


@api_route(bp, "/auth/token", "POST", summary="Exchange organiser credentials for a bearer token",
           body=TokenRequest, response=TokenResponse, errors=(401,))
@limiter.limit("30 per minute")
def token(data: TokenRequest):
    organiser = authenticate(data.email, data.password)
    return jsonify({"token": issue_organiser_token(organiser)})


@bp.route("/organiser/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            organiser = authenticate(form.email.data, form.password.data)
        except Unauthorized as error:
            form.password.errors.append(str(error.message))
        else:
            login_user(organiser, remember=True)
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
                target = url_for("events.dashboard_list")
            return redirect(target)
    return render_template("accounts/login.html", form=form)


@bp.route("/organiser/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("Vous êtes déconnecté·e."))
    return redirect(url_for("participants.home"))
