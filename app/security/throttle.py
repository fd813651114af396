"""Throttles that count failures only: join-code guessing and password guessing.

Flask-Limiter checks the limit before the request and, with `deduct_when`, counts only the
responses that are failures. A successful join therefore never uses up the failure budget: a
whole venue behind one Wi-Fi address can keep joining while a guesser is stopped with 429.
"""
from __future__ import annotations

from flask import current_app, request

from app.extensions import limiter


def _join_code_limit() -> str:
    return current_app.config["JOIN_CODE_FAILURE_LIMIT"]


def _login_address_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"]


def _login_account_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT_PER_ACCOUNT"]


def _failed_code(response) -> bool:
    """An unknown code: 404 (link, API) or the code form shown again (200 on POST)."""
    return response.status_code == 404 or (request.method == "POST" and response.status_code == 200
                                           and request.endpoint == "participants.home")


def _failed_login(response) -> bool:
    """Wrong credentials: 401 from the API, the login form shown again (200 on POST)."""
    if request.method != "POST":
        return False
    return response.status_code == 401 or (response.status_code == 200 and request.endpoint == "accounts.login")


def _account_key() -> str:
    """The account being tried (normalised e-mail), from the form or the JSON body."""
    email = request.form.get("email")
    if email is None:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    return "account:" + (email.strip().lower() if isinstance(email, str) else "")


#: decorate every view that resolves a join code (all share one failure budget per address)
join_code_guard = limiter.shared_limit(_join_code_limit, scope="join-code", deduct_when=_failed_code)
#: decorate every view that checks an organiser password (per address, and per account)
login_address_guard = limiter.shared_limit(_login_address_limit, scope="login-address", methods=["POST"],
                                           deduct_when=_failed_login)
login_account_guard = limiter.shared_limit(_login_account_limit, scope="login-account", methods=["POST"],
                                           key_func=_account_key, deduct_when=_failed_login)


def login_guard(view):
    """Both login throttles: failed attempts per address and per account."""
    return login_address_guard(login_account_guard(view))


def _api_caller_key() -> str:
    """Who reads the API: its bearer token, else the organiser or phone of its session, else its address.

    Per caller, not per address: a whole venue shares one Wi-Fi address.
    """
    import hashlib

    from flask import session

    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer ") and len(header) > 7:
        return "token:" + hashlib.sha256(header[7:].encode()).hexdigest()[:20]
    user_id = session.get("_user_id")
    if user_id:
        return f"organiser:{user_id}"
    phones = session.get("participants")
    if isinstance(phones, dict) and phones:
        return "phone:" + hashlib.sha256(repr(sorted(phones.items())).encode()).hexdigest()[:20]
    return "address:" + (request.remote_addr or "unknown")


def _not_an_api_read() -> bool:
    from app.common.api import API_PREFIX

    return not request.path.startswith(API_PREFIX + "/")


def _api_read_limit() -> str:
    return current_app.config["API_READ_LIMIT"]


#: applied to every area's blueprint: API reads (GET) per caller, one budget across the whole API
api_read_guard = limiter.shared_limit(_api_read_limit, scope="api-read", key_func=_api_caller_key, methods=["GET"],
                                      exempt_when=_not_an_api_read)
