"""Organiser sessions: one session id per organiser, checked by the cookie loader and every token."""
from __future__ import annotations

import hmac


def session_id_matches(organiser, session_id) -> bool:
    """Whether a cookie or token carries the organiser's current session id (constant time)."""
    current = organiser.session_id if organiser is not None else ""
    return bool(current) and isinstance(session_id, str) and hmac.compare_digest(current, session_id)


def load_organiser(value: str):
    """Flask-Login user loader: "<id>:<session id>", refused once the organiser logged out."""
    from barcamp.accounts.models import Organiser
    from barcamp.extensions import db

    organiser_id, _sep, session_id = value.partition(":")
    if not organiser_id.isdigit():
        return None
    organiser = db.session.get(Organiser, int(organiser_id))
    return organiser if session_id_matches(organiser, session_id) else None
