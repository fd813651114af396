"""The organiser's usual browser: a signed cookie left by a successful login (OWASP's "device cookies").

Failed passwords slow down further tries for an account from an address, and an address that
tries many accounts. Someone in the same room (the same Wi-Fi address) could then keep the
organiser out by typing wrong passwords for their e-mail. A browser that has logged in to an
account before holds this cookie (signed with the secret key, for 180 days, naming the accounts
by a hash of their e-mail): its tries for those accounts are never refused by the failure
throttles. Only the right password ever leaves the cookie, so a guesser never gets one.
"""
from __future__ import annotations

import hashlib

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "barcamp_device"
MAX_AGE = 180 * 24 * 3600
#: accounts one browser remembers (the newest kept)
MAX_ACCOUNTS = 8


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="barcamp-device")


def _account(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def _accounts() -> list[str]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        accounts = _serializer().loads(raw, max_age=MAX_AGE)
    except BadSignature:  # forged, altered or expired
        return []
    return [a for a in accounts if isinstance(a, str)] if isinstance(accounts, list) else []


def is_usual_browser(email: str | None) -> bool:
    """Whether this request comes from a browser that logged in to this account before."""
    return isinstance(email, str) and _account(email) in _accounts()


def remember_browser(email: str) -> None:
    """After a successful login: this browser is now a usual browser of that account."""
    accounts = [a for a in _accounts() if a != _account(email)] + [_account(email)]
    value = _serializer().dumps(accounts[-MAX_ACCOUNTS:])

    @after_this_request
    def _set(response):
        response.set_cookie(COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
        return response
