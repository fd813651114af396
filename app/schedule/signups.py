"""Sign-ups: numbered seats, waiting lists served first come first served, "mon programme".

Every function runs inside the caller's `write_transaction` (they flush, the handler commits and
then calls `realtime.signups_changed`, which also lets a promoted participant's phone know).
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from barcamp.common.db import is_sqlite, utcnow
from barcamp.common.errors import Conflict, NotFound
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.proposals.models import Proposal
from barcamp.schedule.enums import SignupStatus
from barcamp.schedule.models import GridSession, Signup, Slot
from barcamp.schedule.services import get_session, is_published, session_capacity


def _confirmed_seats(session_id: int) -> list[int]:
    return list(db.session.scalars(select(Signup.seat).where(Signup.session_id == session_id,
                                                             Signup.status == SignupStatus.CONFIRMED)))


def _free_seat(taken: list[int], capacity: int) -> int | None:
    """The lowest seat number of 1..capacity nobody holds, or None when the session is full."""
    if len(taken) >= capacity:
        return None
    used = set(taken)
    return next((n for n in range(1, capacity + 1) if n not in used), None)


def _waiting(session_id: int) -> list[Signup]:
    return list(db.session.scalars(select(Signup).where(Signup.session_id == session_id,
                                                        Signup.status == SignupStatus.WAITING)
                                   .order_by(Signup.created_at, Signup.id)))


def fill_seats(session: GridSession) -> list[int]:
    """Promote waiting participants, first come first served, while seats are free; return who."""
    capacity = session_capacity(session)
    if capacity is None:
        return []
    taken = _confirmed_seats(session.id)
    promoted = []
    for signup in _waiting(session.id):
        seat = _free_seat(taken, capacity)
        if seat is None:
            break
        signup.status, signup.seat = SignupStatus.CONFIRMED, seat
        taken.append(seat)
        promoted.append(signup.participant_id)
        db.session.flush()
    return promoted


def cancel_clashes(session: GridSession) -> None:
    """Cancel the sign-ups of a moved session that clash with the participant's other sessions."""
    if session.slot_id is None:
        return
    others = select(Signup.participant_id).join(GridSession, GridSession.id == Signup.session_id).where(
        GridSession.slot_id == session.slot_id, GridSession.id != session.id)
    db.session.execute(delete(Signup).where(Signup.session_id == session.id, Signup.participant_id.in_(others))
                       .execution_options(synchronize_session=False))
    db.session.expire_all()
    fill_seats(session)


def _lock_for_signup(event: Event, participant: Participant, session_id: int) -> GridSession:
    """Lock the participant's row, then the session's (PostgreSQL): concurrent sign-ups queue up."""
    if not is_sqlite():
        db.session.execute(select(Participant.id).where(Participant.id == participant.id).with_for_update())
        db.session.execute(select(GridSession.id).where(GridSession.id == session_id).with_for_update())
    return get_session(event, session_id)


def signup_view(signup: Signup | None) -> dict:
    if signup is None:
        return {"status": "none"}
    if signup.status == SignupStatus.CONFIRMED:
        return {"status": "confirmed"}
    position = 1 + [w.id for w in _waiting(signup.session_id)].index(signup.id)
    return {"status": "waiting", "position": position}


def sign_up(event: Event, participant: Participant, session_id: int) -> dict:
    """Take a seat in a session, or a place on its waiting list; idempotent. Run in write_transaction."""
    session = _lock_for_signup(event, participant, session_id)
    if participant.event_id != event.id:
        raise Conflict("not_a_participant", _("Vous ne participez pas à ce forum."))
    if not is_published(event):
        raise Conflict("grid_not_published", _("Le programme n'est pas encore publié."))
    if session.slot_id is None:
        raise Conflict("session_not_placed", _("Cette session n'a ni salle ni créneau."))
    existing = db.session.scalar(select(Signup).where(Signup.session_id == session.id,
                                                      Signup.participant_id == participant.id))
    if existing is not None:
        return signup_view(existing)
    clash = db.session.scalar(
        select(Proposal.title).join(GridSession, GridSession.proposal_id == Proposal.id)
        .join(Signup, Signup.session_id == GridSession.id)
        .where(Signup.participant_id == participant.id, GridSession.slot_id == session.slot_id)
    )
    if clash is not None:
        raise Conflict("slot_taken", _("Vous êtes déjà inscrit(e) à « %(title)s » sur ce créneau.", title=clash))
    seat = _free_seat(_confirmed_seats(session.id), session_capacity(session))
    signup = Signup(event_id=event.id, session_id=session.id, participant_id=participant.id,
                    status=SignupStatus.CONFIRMED if seat else SignupStatus.WAITING, seat=seat, created_at=utcnow())
    db.session.add(signup)
    db.session.flush()
    return signup_view(signup)


def leave(event: Event, participant: Participant, session_id: int) -> list[int]:
    """Give up one's seat or waiting place; the first on the waiting list gets the seat. Returns who did."""
    session = _lock_for_signup(event, participant, session_id)
    signup = db.session.scalar(select(Signup).where(Signup.session_id == session.id,
                                                    Signup.participant_id == participant.id))
    if signup is None:
        raise NotFound("not_signed_up", _("Vous n'êtes pas inscrit(e) à cette session."))
    db.session.delete(signup)
    db.session.flush()
    return fill_seats(session)


def leave_all(event: Event, participant: Participant) -> list[int]:
    """Give up every sign-up of the participant (erasure), by the rule of `leave`; return who was promoted.

    The privacy area calls it before deleting the participant: the database's ON DELETE CASCADE
    would drop the sign-ups without handing their seats to the waiting lists.
    """
    session_ids = list(db.session.scalars(select(Signup.session_id).where(Signup.participant_id == participant.id)
                                          .order_by(Signup.session_id)))
    promoted: list[int] = []
    for session_id in session_ids:
        promoted += leave(event, participant, session_id)
    return promoted


def my_signups(event: Event, participant: Participant) -> list[dict]:
    """"Mon programme": the participant's sessions in time order, with status and waiting position."""
    rows = db.session.execute(
        select(Signup, GridSession).join(GridSession, GridSession.id == Signup.session_id)
        .outerjoin(Slot, Slot.id == GridSession.slot_id)
        .where(Signup.participant_id == participant.id, Signup.event_id == event.id)
        .order_by(Slot.starts_at, GridSession.id)
    ).all()
    return [{"session_id": session.id, **signup_view(signup)} for signup, session in rows]
