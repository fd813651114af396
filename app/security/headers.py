"""Content-Security-Policy, security headers, cookie flags and the request size limit."""
from __future__ import annotations

import os
import re

from flask import Flask, g, request, template_rendered

#: nothing inline: every script and style is a file under static/ (templates hold none)
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self' {ws}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: request bodies larger than this are refused with 413 (forms and JSON are a few KB)
DEFAULT_MAX_CONTENT_LENGTH = 4 * 1024 * 1024
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$")
#: two years, as the HSTS preload list asks; sent only when the public URL is https
HSTS = "max-age=63072000; includeSubDomains"


def configure_cookies(app: Flask) -> None:
    """Secure cookies when the public URL is https (or BARCAMP_SECURE_COOKIES says so)."""
    public_url = app.config.get("PUBLIC_URL") or ""
    secure = app.config.get("SECURE_COOKIES")
    if secure is None and os.environ.get("BARCAMP_SECURE_COOKIES"):
        secure = os.environ["BARCAMP_SECURE_COOKIES"].lower() in ("1", "true", "yes", "on")
    if secure is None:
        secure = public_url.startswith("https://")
    app.config["SECURE_COOKIES"] = bool(secure)
    app.config["SESSION_COOKIE_SECURE"] = bool(secure)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"


def _note_embedded_token(_app, template, context, **_extra) -> None:
    """A page given a `live_token` (organiser, participant or projector) puts it in its HTML."""
    if context.get("live_token"):
        g.embeds_token = True


def init_headers(app: Flask) -> None:
    configure_cookies(app)
    template_rendered.connect(_note_embedded_token, app)
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default: no limit
        app.config["MAX_CONTENT_LENGTH"] = int(os.environ.get("BARCAMP_MAX_CONTENT_LENGTH")
                                               or DEFAULT_MAX_CONTENT_LENGTH)

    @app.after_request
    def _security_headers(response):
        # the page's own host as a WebSocket origin ('self' covers ws: only in CSP level 3 browsers)
        host = request.host if _HOST.match(request.host) else ""
        ws = (("wss://" if request.scheme == "https" else "ws://") + host) if host else ""
        response.headers.setdefault("Content-Security-Policy", CSP.format(ws=ws))
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config["SECURE_COOKIES"]:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if g.get("embeds_token"):
            # a bearer token in the HTML: no copy in a browser's or a proxy's cache, nor in history restores
            response.headers["Cache-Control"] = "no-store"
        return response
