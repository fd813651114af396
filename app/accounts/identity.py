"""Who is calling: organiser, participant or projector, from a bearer token or the session cookie."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import current_app, g, request, session
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from barcamp.accounts.models import Organiser
from barcamp.common.errors import Forbidden, Unauthorized
from barcamp.events.models import Event
from barcamp.events.services import find_event_by_projector_token, get_event, get_event_for_organiser
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.participants.services import TOKEN_PREFIX, participant_from_token
from barcamp.security.sessions import session_id_matches

#: organiser API tokens live a week
ORGANISER_TOKEN_MAX_AGE = 7 * 24 * 3600
ORGANISER_TOKEN_PREFIX = "o_"
PROJECTOR_TOKEN_PREFIX = "v_"


@dataclass(frozen=True)
class Identity:
    kind: str  # "organiser" | "participant" | "projector"
    organiser: Organiser | None = None
    participant: Participant | None = None
    event_id: int | None = None  # participant's or projector's forum

    def may_read(self, event: Event) -> bool:
        if self.kind == "organiser":
            return event.organiser_id == self.organiser.id
        return self.event_id == event.id


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="organiser-token")


def issue_organiser_token(organiser: Organiser) -> str:
    # "sid": the organiser's session id; logout replaces it, which revokes the token
    return ORGANISER_TOKEN_PREFIX + _serializer().dumps({"oid": organiser.id, "sid": organiser.session_id})


#: a page reuses its session's organiser token while it has at least this long left (then a new one)
PAGE_TOKEN_MIN_LIFE = 24 * 3600
_PAGE_TOKEN_KEY = "organiser_live_token"


def organiser_page_token(organiser: Organiser) -> str:
    """The organiser token a page embeds for its live connection: one per browser session.

    Minting one per page view filled every visited page (and any copy of it) with another
    week-long token. The session's token is reused while it is valid for this organiser and
    session for at least PAGE_TOKEN_MIN_LIFE; logout ends the session id, and so the token.
    Pages embedding it are sent with `Cache-Control: no-store` (app/security/headers.py).
    """
    stored = session.get(_PAGE_TOKEN_KEY)
    if isinstance(stored, str) and stored.startswith(ORGANISER_TOKEN_PREFIX):
        try:
            payload = _serializer().loads(stored[len(ORGANISER_TOKEN_PREFIX):],
                                          max_age=ORGANISER_TOKEN_MAX_AGE - PAGE_TOKEN_MIN_LIFE)
        except (BadSignature, SignatureExpired):
            payload = {}
        if payload.get("oid") == organiser.id and session_id_matches(organiser, payload.get("sid")):
            return stored
    token = issue_organiser_token(organiser)
    session[_PAGE_TOKEN_KEY] = token
    return token


def projector_auth_token(event: Event) -> str:
    return PROJECTOR_TOKEN_PREFIX + event.projector_token


def identity_from_token(token: str | None) -> Identity | None:
    """Resolve any of the three token kinds; None when it is unknown or expired."""
    if not token:
        return None
    if token.startswith(ORGANISER_TOKEN_PREFIX):
        try:
            payload = _serializer().loads(token[len(ORGANISER_TOKEN_PREFIX):], max_age=ORGANISER_TOKEN_MAX_AGE)
        except (BadSignature, SignatureExpired):
            return None
        organiser = db.session.get(Organiser, payload.get("oid"))
        if not session_id_matches(organiser, payload.get("sid")):
            return None
        return Identity("organiser", organiser=organiser)
    if token.startswith(TOKEN_PREFIX):
        participant = participant_from_token(token)
        return Identity("participant", participant=participant, event_id=participant.event_id) if participant else None
    if token.startswith(PROJECTOR_TOKEN_PREFIX):
        try:
            event = find_event_by_projector_token(token[len(PROJECTOR_TOKEN_PREFIX):])
        except Exception:  # noqa: BLE001 - an unknown token is simply no identity
            return None
        return Identity("projector", event_id=event.id)
    return None


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def remember_participant(participant: Participant, token: str) -> None:
    """Keep the participant's token in the session cookie, so the same phone resumes them."""
    tokens = dict(session.get("participants", {}))
    tokens[str(participant.event_id)] = token
    session["participants"] = tokens
    session.permanent = True


def session_participant_token(event_id: int) -> str | None:
    return session.get("participants", {}).get(str(event_id))


def current_identity() -> Identity | None:
    """The caller of an API request, from its bearer token only.

    Cookies never authenticate the API, so its endpoints need no CSRF token and a foreign page
    cannot make a logged-in organiser's browser call them.
    """
    if "identity" in g:
        return g.identity
    identity = identity_from_token(_bearer_token())
    g.identity = identity
    return identity


def session_identity(kinds: tuple[str, ...]) -> Identity | None:
    """The caller from the browser's session cookie: a logged-in organiser, or the phone of the URL's forum.

    Only for downloads a browser opens as a link (a GET that changes nothing, so no CSRF risk);
    every other API call authenticates with a bearer token (see current_identity).
    """
    from flask_login import current_user

    if "organiser" in kinds and current_user.is_authenticated:
        return Identity("organiser", organiser=current_user._get_current_object())
    event_id = (request.view_args or {}).get("event_id")
    if "participant" in kinds and event_id is not None:
        participant = participant_from_token(session_participant_token(event_id))
        if participant is not None:
            return Identity("participant", participant=participant, event_id=participant.event_id)
    return None


def authenticate(kinds: tuple[str, ...], *, session_auth: bool = False) -> Identity:
    """Resolve the API caller and check its kind: 401 without a valid token, 403 with another kind.

    `api_route` calls it before it reads the body, so an anonymous caller learns nothing about
    what the body should be.
    """
    identity = current_identity()
    if identity is None and session_auth:
        identity = session_identity(kinds)
        g.identity = identity
    if identity is None:
        raise Unauthorized("unauthorized", _("Jeton d'accès manquant ou invalide."))
    if identity.kind not in kinds:
        raise Forbidden("forbidden", _("Cette action n'est pas permise avec ce jeton."))
    return identity


def api_auth(*kinds: str, session_auth: bool = False):
    """Require one of the identity kinds for an API endpoint; passes `identity`.

    `api_route(auth=…)` must document the same kinds (it checks them first, and refuses at start-up
    a view whose kinds differ); `session_auth` also accepts the browser's session (see session_identity).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            kwargs["identity"] = authenticate(kinds, session_auth=session_auth)
            return view(*args, **kwargs)

        wrapper.api_auth = (tuple(kinds), session_auth)
        return wrapper

    return decorator


def event_for(identity: Identity, event_id: int) -> Event:
    """The forum, if this identity may see it (an organiser only their own)."""
    if identity.kind == "organiser":
        return get_event_for_organiser(event_id, identity.organiser.id)
    event = get_event(event_id)
    if identity.event_id != event.id:
        raise Forbidden("not_in_event", _("Votre jeton ne donne pas accès à ce forum."))
    return event
