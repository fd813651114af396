"""Socket handler plumbing: who is connected, and errors turned into acks."""
from __future__ import annotations

import functools
import logging
import time

from flask import request, session
from flask_babel import gettext as _

from barcamp.accounts.identity import Identity, identity_from_token
from barcamp.common.errors import DomainError, Unauthorized
from barcamp.extensions import db
from barcamp.security.sessions import session_id_matches
from barcamp.security.sockets import screen_event
from barcamp.ops import metrics

log = logging.getLogger(__name__)


def store_identity(identity: Identity) -> None:
    """Remember, for this connection only, who authenticated on connect."""
    session["live_identity"] = {
        "kind": identity.kind,
        "organiser_id": identity.organiser.id if identity.organiser else None,
        "participant_id": identity.participant.id if identity.participant else None,
        "event_id": identity.event_id,
        "session_id": identity.organiser.session_id if identity.organiser else None,
    }


def stored_identity() -> dict:
    """The ids (kind, organiser_id, participant_id, event_id) stored for this connection on connect."""
    stored = session.get("live_identity")
    if not stored:
        raise Unauthorized("unauthorized", _("Connexion non authentifiée."))
    return stored


def socket_identity() -> Identity:
    """Rebuild the connection's identity from the ids stored on connect."""
    from barcamp.accounts.models import Organiser
    from barcamp.participants.models import Participant

    stored = stored_identity()
    if stored["kind"] == "organiser":
        organiser = db.session.get(Organiser, stored["organiser_id"])
        if not session_id_matches(organiser, stored.get("session_id")):  # logged out since connect
            raise Unauthorized("session_ended", _("Session terminée : reconnectez-vous."))
        return Identity("organiser", organiser=organiser)
    if stored["kind"] == "participant":
        participant = db.session.get(Participant, stored["participant_id"])
        if participant is None:  # erased since connect (on another worker: this one still held the socket)
            raise Unauthorized("participant_erased", _("Ce participant a été effacé."))
        return Identity("participant", participant=participant, event_id=stored["event_id"])
    return Identity("projector", event_id=stored["event_id"])


def authenticate(auth) -> Identity | None:
    token = auth.get("token") if isinstance(auth, dict) else None
    return identity_from_token(token if isinstance(token, str) else None)


#: events that check the participant themselves, without one more query on the hottest paths: the
#: batched writes map each participant to its forum (lock_forums_of), and a phone's join or resync
#: reads its row with its ballots (app/live/services.participant_state)
SELF_CHECKED = frozenset({"vote", "quiz_answer", "join", "sync"})


def _require_live_participant() -> None:
    """Refuse the event of a participant erased since connect (their socket may be on another worker)."""
    from barcamp.participants.models import Participant

    stored = session.get("live_identity") or {}
    if stored.get("kind") == "participant" and db.session.get(Participant, stored["participant_id"]) is None:
        raise Unauthorized("participant_erased", _("Ce participant a été effacé."))


def socket_action(handler):
    """Run a client event: answer {"ok": False, "error"} on refusal, never a stack trace."""

    event_name = handler.__name__.removeprefix("on_")

    @functools.wraps(handler)
    def wrapper(*args):
        refused = screen_event(event_name, args)  # the caller's costed budget, one payload at most: O(1)
        if refused is not None:
            return refused
        started = time.perf_counter()
        try:
            if event_name not in SELF_CHECKED:
                _require_live_participant()
            result = handler(*args)
            metrics.observe_socket_event(event_name, "ok", started)
            return result
        except DomainError as error:
            db.session.rollback()
            metrics.observe_socket_event(event_name, "refused", started)
            return {"ok": False, **error.to_dict()}
        except Exception:
            db.session.rollback()
            metrics.observe_socket_event(event_name, "error", started)
            log.exception("socket event %s failed (sid %s)", handler.__name__, getattr(request, "sid", "?"))
            return {"ok": False, "error": {"code": "internal_error",
                                           "message": _("Une erreur interne est survenue. Réessayez.")}}

    return wrapper
