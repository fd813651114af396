"""Throttles that count failures only: join-code guessing and password guessing.

Join codes. A whole venue joins from one Wi-Fi address, and some of its people mistype. Past
JOIN_CODE_FAILURE_LIMIT unknown codes from an address in a window (one more per 20 participants
the address created meanwhile: a venue's typos grow with its joins, a guesser has none), that
address is *slowed*, not locked out: each code it sends waits for a slot of JOIN_CODE_PACE (5 a
second), right code or wrong, so a guesser cannot try more than a handful of codes a second while
a phone with the right code still joins, a fraction of a second later. An unknown code sent while slowed is answered 429
`too_many_attempts`; a code that would wait more than JOIN_CODE_PACE_WAIT seconds for its slot
(many tries at once) is refused 429 without being looked up. Successful joins never count (they
stay under JOIN_RATE_LIMIT per address).

Passwords. Flask-Limiter checks the limit before the request and, with `deduct_when`, counts
only the responses that are failures: per address, and per account *and* address, so that
nobody can lock an organiser out from elsewhere. The organiser's usual browser (it holds a
signed cookie from a past successful login to that account) is never refused: the right
password from it always works.
"""
from __future__ import annotations

import functools
import time

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from limits import parse

from barcamp.common.errors import DomainError, NotFound
from barcamp.extensions import limiter
from barcamp.security.devices import is_usual_browser


class TooManyAttempts(DomainError):
    status = 429


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


def _tried_email() -> str | None:
    """The account being tried, from the form or the JSON body."""
    email = request.form.get("email")
    if email is None:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    return email if isinstance(email, str) else None


def _account_key() -> str:
    """The account being tried (normalised e-mail) from this address: nobody locks an organiser out from elsewhere."""
    return f"account:{(_tried_email() or '').strip().lower()}@{get_remote_address()}"


def from_usual_browser() -> bool:
    """Whether the account being tried has logged in from this browser before (app/security/devices.py)."""
    return is_usual_browser(_tried_email())


def _sleep(seconds: float) -> None:
    if current_app.config.get("SOCKETIO_ASYNC_MODE") == "gevent":
        import gevent

        gevent.sleep(seconds)
    else:
        time.sleep(seconds)


def _paced(address: str) -> bool:
    """Wait for the address's next code slot (JOIN_CODE_PACE); False if none comes within JOIN_CODE_PACE_WAIT."""
    pace = parse(current_app.config["JOIN_CODE_PACE"])
    deadline = time.monotonic() + float(current_app.config["JOIN_CODE_PACE_WAIT"])
    while not limiter.limiter.hit(pace, "join-code-pace", address):
        if time.monotonic() >= deadline:
            return False
        _sleep(0.05)
    return True


def _counted(window, name: str, address: str) -> int:
    """How many times `name` was counted for the address in the current window."""
    return window.amount - limiter.limiter.get_window_stats(window, name, address).remaining


def _free_failures_and_window():
    """JOIN_CODE_FAILURE_LIMIT, and an unbounded counter over its window (the counts are compared by hand)."""
    free = parse(_join_code_limit())
    return free, type(free)(1_000_000, free.multiples)


def _slowed(address: str) -> bool:
    """Past its free failures: JOIN_CODE_FAILURE_LIMIT, plus one per 20 participants it created (a venue)."""
    free, window = _free_failures_and_window()
    allowance = free.amount + _counted(window, "join-code-joins", address) // 20
    return _counted(window, "join-code-failures", address) >= allowance


def _count(name: str, address: str) -> None:
    limiter.limiter.hit(_free_failures_and_window()[1], name, address)


def _joined(response) -> bool:
    """A participant created: 201 from the API, or the join form's redirect to the forum."""
    return response.status_code == 201 or (request.method == "POST" and response.status_code == 302
                                           and request.endpoint == "participants.join")


def join_code_guard(view):
    """Decorate every view that resolves a join code: unknown codes counted per address, then paced."""

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if not limiter.enabled:
            return view(*args, **kwargs)
        address = get_remote_address()
        slowed = _slowed(address)
        if slowed and not _paced(address):
            raise TooManyAttempts("too_many_attempts", _l(
                "Trop de codes erronés depuis ce réseau : patientez quelques secondes puis réessayez."))
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except NotFound:  # the unknown code of a link or of the API
            _count_failure(address, slowed)
            raise
        if _failed_code(response):  # the code form shown again
            _count_failure(address, slowed)
        elif _joined(response):
            _count("join-code-joins", address)
        return response

    return guarded


def _count_failure(address: str, slowed: bool) -> None:
    _count("join-code-failures", address)
    if slowed:
        raise TooManyAttempts("too_many_attempts", _l(
            "Code inconnu, et trop de codes erronés depuis ce réseau : vérifiez le code, "
            "patientez quelques secondes puis réessayez."))


#: decorate every view that checks an organiser password (per address, and per account)
login_address_guard = limiter.shared_limit(_login_address_limit, scope="login-address", methods=["POST"],
                                           deduct_when=_failed_login, exempt_when=from_usual_browser)
login_account_guard = limiter.shared_limit(_login_account_limit, scope="login-account", methods=["POST"],
                                           key_func=_account_key, deduct_when=_failed_login,
                                           exempt_when=from_usual_browser)


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
    from barcamp.common.api import API_PREFIX

    return not request.path.startswith(API_PREFIX + "/")


def _api_read_limit() -> str:
    return current_app.config["API_READ_LIMIT"]


#: applied to every area's blueprint: API reads (GET) per caller, one budget across the whole API
api_read_guard = limiter.shared_limit(_api_read_limit, scope="api-read", key_func=_api_caller_key, methods=["GET"],
                                      exempt_when=_not_an_api_read)
