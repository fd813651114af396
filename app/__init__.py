"""barcamp: run a public-innovation BarCamp forum."""
from __future__ import annotations

import logging

from flask import Flask, has_request_context, jsonify, request
from flask.ctx import RequestContext

from barcamp import paths, realtime
from barcamp.common.jsonbounds import BoundedJSONProvider
from barcamp.config import Config, load_config
from barcamp.extensions import babel, csrf, db, limiter, login, migrate, socketio
from barcamp.realtime import wire

#: French is the source language; English comes from app/translations (docs/i18n.md)
SUPPORTED_LOCALES = ("fr", "en")


def select_locale() -> str:
    """The visitor's choice (the header's switch stores it in a cookie), else the browser's, else French."""
    if not has_request_context():  # CLI commands, background tasks
        return "fr"
    from barcamp.resources.i18n import cookie_locale

    chosen = cookie_locale()
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or "fr"


class BarcampFlask(Flask):
    """Flask, with request contexts that cost little for Socket.IO events.

    Flask-SocketIO runs every event in a request context built from the connection's handshake
    environ: a URL adapter bound anew and the cookie session opened, then replaced by the
    connection's own session. At hundreds of events a second that was a quarter of the server's
    time. The adapter depends only on the environ, so it is kept there; and once the connection
    has its session (`saved_session`), the context starts with it instead of opening the cookie.
    """

    #: request bodies are parsed with their nesting bounded (a deep one is 400, not a RecursionError)
    json_provider_class = BoundedJSONProvider

    def create_url_adapter(self, request):
        if request is None:
            return super().create_url_adapter(request)
        adapter = request.environ.get("barcamp.url_adapter")
        if adapter is None:
            adapter = super().create_url_adapter(request)
            request.environ["barcamp.url_adapter"] = adapter
        return adapter

    def request_context(self, environ):
        return RequestContext(self, environ, session=environ.get("saved_session"))


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, sockets."""
    app = BarcampFlask(__name__, template_folder=str(paths.TEMPLATES), static_folder=str(paths.STATIC),
                       instance_relative_config=True)
    load_config(app, config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    db.init_app(app)
    from barcamp import models  # noqa: F401 - every table known to Alembic and to the mapper

    migrate.init_app(app, db, directory=str(paths.MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    login.init_app(app)
    login.login_view = "accounts.login"
    login.login_message = None
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    from barcamp import security

    security.init_app(app)  # CSP and security headers, cookie flags, MAX_CONTENT_LENGTH
    # Blueprints (and so the @socketio.on handlers) before socketio.init_app: Flask-SocketIO replays
    # handlers declared before its first init_app on every app's server; ones declared after it
    # reach only the first server, and a second app (tests, tools) would refuse every connection.
    _register_blueprints(app)
    origins = app.config["ALLOWED_ORIGINS"] or None  # None: same origin only, never "*"
    # Flask-SocketIO keeps the client manager of a previous init_app when this one has no message
    # queue: an app without Redis built after one with Redis (tools, tests) would still use Redis.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config.get("REDIS_URL"),
        # Redis channels are server-wide, not per database: forums on other databases of the same
        # Redis (another install, a test worker) must not hear ours
        channel=realtime.queue_channel(app.config.get("REDIS_URL")),
        cors_allowed_origins=origins,
        max_http_buffer_size=app.config["MAX_SOCKET_MESSAGE_BYTES"],
        ping_interval=app.config["PING_INTERVAL"],
        ping_timeout=app.config["PING_TIMEOUT"],
        json=wire,  # orjson, and pre-encoded snapshots spliced as they are
    )
    realtime.init_app(app)
    from barcamp.live import frames

    frames.install(app.config["SOCKETIO_ASYNC_MODE"])  # cheap outgoing messages: the tallies' fan-out

    with app.app_context():
        from barcamp.common.db import configure_engine

        configure_engine(db.engine, app.config["SQLITE_SYNCHRONOUS"])

    @login.user_loader
    def _load_organiser(user_id: str):
        from barcamp.security.sessions import load_organiser

        return load_organiser(user_id)  # "<id>:<session id>": refused after logout

    from barcamp.common.errors import register_error_handlers

    register_error_handlers(app)
    from barcamp.quiz.content import load_quizzes

    load_quizzes()  # a malformed quiz file stops start-up with its file, field and problem
    from barcamp.schedule.formats import load_formats

    load_formats()  # likewise for the workshop formats of content/formats/
    from barcamp.resources.content import load_library

    load_library()  # same for the glossary and the resource library (file, entry, field)
    _register_template_helpers(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from barcamp.accounts import bp as accounts_bp
    from barcamp.accounts import views as _accounts_views  # noqa: F401
    from barcamp.accounts.identity import authenticate
    from barcamp.common.api import API_PREFIX, openapi_document
    from barcamp.events import bp as events_bp
    from barcamp.events import views as _events_views  # noqa: F401
    from barcamp.live import sockets as _live_sockets  # noqa: F401 - registers the /live handlers
    from barcamp.security import sockets as _security_sockets  # noqa: F401 - unknown /live events
    from barcamp.moderation import bp as moderation_bp
    from barcamp.moderation import views as _moderation_views  # noqa: F401
    from barcamp.ops import bp as ops_bp
    from barcamp.ops import views as _ops_views  # noqa: F401
    from barcamp.participants import bp as participants_bp
    from barcamp.participants import views as _participants_views  # noqa: F401
    from barcamp.proposals import bp as proposals_bp
    from barcamp.proposals import views as _proposals_views  # noqa: F401
    from barcamp.privacy import bp as privacy_bp
    from barcamp.privacy import views as _privacy_views  # noqa: F401
    from barcamp.quiz import bp as quiz_bp
    from barcamp.regroupement import bp as regroupement_bp
    from barcamp.regroupement import views as _regroupement_views  # noqa: F401
    from barcamp.quiz import sockets as _quiz_sockets  # noqa: F401
    from barcamp.quiz import views as _quiz_views  # noqa: F401
    from barcamp.schedule import bp as schedule_bp
    from barcamp.schedule import views as _schedule_views  # noqa: F401
    from barcamp.voting import bp as voting_bp
    from barcamp.voting import sockets as _voting_sockets  # noqa: F401
    from barcamp.voting import views as _voting_views  # noqa: F401
    from barcamp.workshops import bp as workshops_bp
    from barcamp.workshops import sockets as _workshops_sockets  # noqa: F401
    from barcamp.workshops import views as _workshops_views  # noqa: F401

    for bp in (accounts_bp, events_bp, participants_bp, proposals_bp, voting_bp, quiz_bp, ops_bp, workshops_bp):
        app.register_blueprint(bp)
    for bp in (privacy_bp, moderation_bp):
        app.register_blueprint(bp)
    app.register_blueprint(regroupement_bp)
    app.register_blueprint(schedule_bp)
    from barcamp.resources import bp as resources_bp
    from barcamp.resources import i18n as _resources_i18n  # noqa: F401 - the language switch
    from barcamp.resources import views as _resources_views  # noqa: F401

    app.register_blueprint(resources_bp)
    from barcamp.restitution import bp as restitution_bp
    from barcamp.restitution import views as _restitution_views  # noqa: F401

    app.register_blueprint(restitution_bp)
    from barcamp.accessibility import bp as accessibility_bp
    from barcamp.accessibility import views as _accessibility_views  # noqa: F401 - /accessibilite

    app.register_blueprint(accessibility_bp)

    from barcamp.security.throttle import api_read_guard

    for blueprint in app.blueprints.values():  # API reads are limited per caller (docs/security.md)
        api_read_guard(blueprint)

    # api_route checks the caller before it reads a body; the rule lives with the identities
    app.extensions["barcamp_authenticate"] = authenticate

    @app.get(API_PREFIX + "/openapi.json")
    def openapi():
        from importlib.metadata import PackageNotFoundError, version

        try:
            ver = version("barcamp")
        except PackageNotFoundError:
            ver = "dev"
        return jsonify(openapi_document(ver))

    # The JSON API authenticates with bearer tokens, not cookies: no CSRF token to send.
    for name in ("accounts", "events", "participants", "proposals", "voting", "quiz", "workshops"):
        for endpoint, view in list(app.view_functions.items()):
            if endpoint.startswith(f"{name}.api_"):
                csrf.exempt(f"{view.__module__}.{view.__name__}")
    for name in ("privacy", "moderation", "regroupement", "resources", "schedule", "restitution"):  # their API too
        for endpoint, view in list(app.view_functions.items()):
            if endpoint.startswith(f"{name}.api_"):
                csrf.exempt(f"{view.__module__}.{view.__name__}")
    csrf.exempt(openapi)


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    @app.context_processor
    def _globals():
        return {"current_locale": str(get_locale() or "fr")}
