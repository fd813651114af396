"""Joining a forum without an account, and finding a participant again from their token."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import func, select

from barcamp.common.text import clean_line
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.enums import ParticipantKind, Profile
from barcamp.participants.models import Participant

#: participant tokens start with this, so a bearer token says which kind it is
TOKEN_PREFIX = "p_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def join_event(event: Event, name: str = "", profile: Profile | None = None) -> tuple[Participant, str]:
    """Create a participant of the forum; return it with its secret token (shown once).

    The name is cleaned here, whatever the entry point (page, API, tests' builders): one line,
    no bidi control nor zero-width character (app/common/text.py).
    """
    token = TOKEN_PREFIX + secrets.token_urlsafe(24)
    participant = Participant(
        event_id=event.id, token_hash=hash_token(token), display_name=clean_line(name)[:60], profile=profile
    )
    db.session.add(participant)
    db.session.flush()
    return participant, token


def participant_from_token(token: str | None) -> Participant | None:
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    return db.session.scalar(select(Participant).where(Participant.token_hash == hash_token(token)))


def people_only():
    """SQL condition of a participant row that is a person (not a secret ballot's stand-in voter).

    Every count of participants (dashboard, restitution, profiles, open data, archive) uses it.
    """
    return Participant.kind == ParticipantKind.PERSON


def count_participants(event_id: int) -> int:
    """People who joined (not the stand-in voters a secret ballot leaves behind, see app/privacy)."""
    return db.session.scalar(select(func.count(Participant.id)).where(
        Participant.event_id == event_id, people_only())) or 0


def display_name(participant: Participant | None) -> str:
    """Name to show for a participant; anonymous ones get a stable pseudonym."""
    if participant is None:
        return ""
    return participant.display_name or f"Anonyme #{participant.id}"


def lock_forums_of(participant_ids) -> dict[int, int]:
    """Map each participant id to its forum; on PostgreSQL lock their rows (in id order) until commit.

    The first statement of a batched write (votes, quiz answers): a participant's concurrent
    requests on other workers wait for this transaction instead of passing its checks twice.
    """
    from barcamp.common.db import is_sqlite

    query = select(Participant.id, Participant.event_id).where(Participant.id.in_(sorted(participant_ids)))
    if not is_sqlite():
        query = query.order_by(Participant.id).with_for_update()
    return dict(db.session.connection().execute(query).all())
