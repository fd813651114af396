"""The grid: rooms, slots, sessions, auto-scheduling, publication and sign-ups with a waiting list."""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app.common.db import is_sqlite, utcnow
from app.common.errors import Conflict, InvalidInput, NotFound
from app.events.enums import VotingMode
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant
from app.proposals.enums import ProposalStatus
from app.proposals.models import Coproposer, Proposal
from app.schedule import scheduler
from app.schedule.enums import SignupStatus
from app.schedule.formats import get_format
from app.schedule.models import Grid, GridSession, Room, Signup, Slot
from app.voting.models import Ballot
from app.voting.services import compute_results

#: naive times typed by an organiser are the forum's local time (French forums)
FORUM_TZ = ZoneInfo("Europe/Paris")
#: a majority-judgment grade from which a topic counts as a voter's top choice ("Prioritaire")
TOP_GRADE = 3


def aware(value: datetime) -> datetime:
    """A stored time as timezone-aware UTC (SQLite hands them back naive)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local(value: datetime) -> datetime:
    return aware(value).astimezone(FORUM_TZ)


# -- rooms and slots ------------------------------------------------------------------------------
def list_rooms(event: Event) -> list[Room]:
    return list(db.session.scalars(select(Room).where(Room.event_id == event.id).order_by(Room.id)))


def list_slots(event: Event) -> list[Slot]:
    return list(db.session.scalars(select(Slot).where(Slot.event_id == event.id).order_by(Slot.starts_at)))


def create_room(event: Event, name: str, capacity: int) -> Room:
    name = name.strip()
    if db.session.scalar(select(Room.id).where(Room.event_id == event.id, Room.name == name)):
        raise Conflict("room_exists", _("Une salle porte déjà ce nom."))
    room = Room(event_id=event.id, name=name, capacity=capacity)
    db.session.add(room)
    db.session.flush()
    return room


def create_slot(event: Event, starts_at: datetime, ends_at: datetime) -> Slot:
    """Add a time slot; naive times are the forum's local time. Slots never overlap."""
    starts_at, ends_at = (t.replace(tzinfo=FORUM_TZ) if t.tzinfo is None else t for t in (starts_at, ends_at))
    starts_at, ends_at = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
    if ends_at <= starts_at:
        raise InvalidInput("slot_order", _("Un créneau doit finir après son début."))
    for other in list_slots(event):
        if aware(other.starts_at) < ends_at and starts_at < aware(other.ends_at):
            raise Conflict("slot_overlap", _("Ce créneau chevauche le créneau de %(start)s à %(end)s.",
                                             start=f"{local(other.starts_at):%H:%M}",
                                             end=f"{local(other.ends_at):%H:%M}"))
    slot = Slot(event_id=event.id, starts_at=starts_at, ends_at=ends_at)
    db.session.add(slot)
    db.session.flush()
    return slot


def delete_room(event: Event, room_id: int) -> None:
    room = _owned(Room, event, room_id, "room_not_found", _("Cette salle n'existe pas dans ce forum."))
    _unplace(select(GridSession).where(GridSession.room_id == room.id))
    db.session.delete(room)
    db.session.flush()


def delete_slot(event: Event, slot_id: int) -> None:
    slot = _owned(Slot, event, slot_id, "slot_not_found", _("Ce créneau n'existe pas dans ce forum."))
    _unplace(select(GridSession).where(GridSession.slot_id == slot.id))
    db.session.delete(slot)
    db.session.flush()


def _unplace(query) -> None:
    for session in db.session.scalars(query):
        session.room_id = session.slot_id = None
        session.locked = False
    db.session.flush()


def _owned(model, event: Event, row_id: int | None, code: str, message):
    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None or row.event_id != event.id:
        raise NotFound(code, message)
    return row


# -- the grid ---------------------------------------------------------------------------------------
def get_grid(event: Event) -> Grid:
    grid = db.session.scalar(select(Grid).where(Grid.event_id == event.id))
    if grid is None:
        grid = Grid(event_id=event.id)
        db.session.add(grid)
        db.session.flush()
    return grid


def is_published(event: Event) -> bool:
    return db.session.scalar(select(Grid.published_at).where(Grid.event_id == event.id)) is not None


def set_published(event: Event, published: bool) -> Grid:
    grid = get_grid(event)
    grid.published_at = (grid.published_at or utcnow()) if published else None
    db.session.flush()
    return grid


def list_sessions(event: Event) -> list[GridSession]:
    return list(db.session.scalars(select(GridSession).where(GridSession.event_id == event.id)
                                   .order_by(GridSession.id)))


def session_capacity(session: GridSession) -> int | None:
    """Seats of a session: the room's capacity or the format's jauge, whichever is smaller."""
    if session.room is None:
        return None
    fmt = get_format(session.format_slug)
    return min(session.room.capacity, fmt.jauge) if fmt else session.room.capacity


def add_session(event: Event, proposal_id: int) -> GridSession:
    """Put a topic on the grid's bench (not placed yet); returns the existing session if any."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.event_id != event.id or proposal.status != ProposalStatus.VISIBLE:
        raise NotFound("proposal_not_found", _("Ce sujet n'existe pas dans ce forum."))
    session = db.session.scalar(select(GridSession).where(GridSession.event_id == event.id,
                                                          GridSession.proposal_id == proposal_id))
    if session is None:
        session = GridSession(event_id=event.id, proposal_id=proposal_id, locked=False)
        db.session.add(session)
        db.session.flush()
    return session


def get_session(event: Event, session_id: int) -> GridSession:
    return _owned(GridSession, event, session_id, "session_not_found", _("Cette session n'existe pas dans ce forum."))


_UNSET = object()


def update_session(event: Event, session_id: int, room_id: int | None, slot_id: int | None, *,
                   locked: bool | None = None, format_slug=_UNSET, facilitator_id=_UNSET) -> GridSession:
    """Move a session to a cell (swapping with an unlocked occupant), lock it, set its format.

    room_id and slot_id both None take the session off the grid. Sign-ups that would put a
    participant in two sessions of the new slot are cancelled (they keep their other session),
    and the waiting list fills any seat the new room or format opens.
    """
    session = get_session(event, session_id)
    if (room_id is None) != (slot_id is None):
        raise InvalidInput("incomplete_cell", _("Choisissez une salle et un créneau, ou aucun des deux."))
    if room_id is not None:
        _owned(Room, event, room_id, "room_not_found", _("Cette salle n'existe pas dans ce forum."))
        _owned(Slot, event, slot_id, "slot_not_found", _("Ce créneau n'existe pas dans ce forum."))
    if format_slug is not _UNSET:
        if format_slug and get_format(format_slug) is None:
            raise InvalidInput("unknown_format", _("Format d'atelier inconnu : %(slug)s.", slug=format_slug))
        session.format_slug = format_slug or None
    if facilitator_id is not _UNSET:
        if facilitator_id is not None:
            _owned(Participant, event, facilitator_id, "participant_not_found",
                   _("Ce participant n'existe pas dans ce forum."))
        session.facilitator_id = facilitator_id
    if (room_id, slot_id) != (session.room_id, session.slot_id):
        occupant = None
        if room_id is not None:
            occupant = db.session.scalar(select(GridSession).where(GridSession.room_id == room_id,
                                                                   GridSession.slot_id == slot_id))
        if occupant is not None and occupant.locked:
            raise Conflict("cell_locked", _("Cette salle est déjà prise par une session verrouillée sur ce créneau."))
        old_room, old_slot = session.room_id, session.slot_id
        if occupant is not None:
            occupant.room_id = occupant.slot_id = None
            db.session.flush()
        session.room_id, session.slot_id = room_id, slot_id
        db.session.flush()
        if occupant is not None:
            occupant.room_id, occupant.slot_id = old_room, old_slot
            db.session.flush()
            _after_move(occupant)
        _after_move(session)
    if locked is not None:
        session.locked = bool(locked) and session.room_id is not None
    db.session.flush()
    _fill_seats(session)
    db.session.refresh(session)
    return session


def _after_move(session: GridSession) -> None:
    """Cancel the sign-ups of a moved session that clash with the participant's other sessions."""
    if session.slot_id is None:
        return
    others = select(Signup.participant_id).join(GridSession, GridSession.id == Signup.session_id).where(
        GridSession.slot_id == session.slot_id, GridSession.id != session.id)
    db.session.execute(delete(Signup).where(Signup.session_id == session.id, Signup.participant_id.in_(others))
                       .execution_options(synchronize_session=False))
    db.session.expire_all()
    _fill_seats(session)


# -- auto-scheduling -----------------------------------------------------------------------------------
def top_choices(event: Event, proposal_ids: list[int] | None = None) -> dict[int, list[int]]:
    """Each voter's top choices: topics given a dot, a "pour", or a grade of Prioritaire or more."""
    threshold = TOP_GRADE if event.voting_mode == VotingMode.MAJORITY else 1
    query = (select(Ballot.participant_id, Ballot.proposal_id)
             .join(Proposal, Proposal.id == Ballot.proposal_id)
             .where(Ballot.event_id == event.id, Proposal.status == ProposalStatus.VISIBLE,
                    Ballot.value >= threshold)
             .order_by(Ballot.participant_id, Ballot.proposal_id))
    choices: dict[int, list[int]] = defaultdict(list)
    for participant_id, proposal_id in db.session.execute(query):
        if proposal_ids is None or proposal_id in proposal_ids:
            choices[participant_id].append(proposal_id)
    return dict(choices)


def _persons(event: Event, sessions: dict[int, GridSession]) -> dict[int, set[int]]:
    """Who must attend each topic: author, co-proposers, facilitator, signed-up participants."""
    persons: dict[int, set[int]] = defaultdict(set)
    for proposal_id, author_id in db.session.execute(
        select(Proposal.id, Proposal.author_id).where(Proposal.event_id == event.id)
    ):
        if author_id is not None:
            persons[proposal_id].add(author_id)
    for proposal_id, participant_id in db.session.execute(  # co-proposers: regroupement's "je soutiens", merges
        select(Coproposer.proposal_id, Coproposer.participant_id)
        .join(Proposal, Proposal.id == Coproposer.proposal_id).where(Proposal.event_id == event.id)
    ):
        persons[proposal_id].add(participant_id)
    by_session = {s.id: s.proposal_id for s in sessions.values()}
    for session in sessions.values():
        if session.facilitator_id is not None:
            persons[session.proposal_id].add(session.facilitator_id)
    for session_id, participant_id in db.session.execute(
        select(Signup.session_id, Signup.participant_id).where(Signup.event_id == event.id)
    ):
        persons[by_session[session_id]].add(participant_id)
    return persons


def build_problem(event: Event) -> scheduler.Problem:
    """The scheduling problem of a forum: its grid, ranked topics, top choices and persons."""
    slots, rooms = list_slots(event), list_rooms(event)
    sessions = {s.proposal_id: s for s in list_sessions(event)}
    ranking = [e["proposal_id"] for e in compute_results(event)["ranking"]]
    choices = top_choices(event)
    audience: dict[int, int] = defaultdict(int)
    for tops in choices.values():
        for proposal_id in tops:
            audience[proposal_id] += 1
    persons = _persons(event, sessions)
    with_signups = set(db.session.scalars(select(GridSession.proposal_id).join(Signup).where(
        GridSession.event_id == event.id)))
    topics = []
    for proposal_id in ranking:
        session = sessions.get(proposal_id)
        cell = (session.slot_id, session.room_id) if session and session.locked and session.room_id else None
        topics.append(scheduler.Topic(proposal_id, audience[proposal_id], frozenset(persons[proposal_id]),
                                      cell, proposal_id in with_signups))
    return scheduler.Problem([s.id for s in slots], [(r.id, r.capacity) for r in rooms], topics, choices)


def auto_schedule(event: Event, *, iterations: int = 5000) -> dict:
    """Place the top-ranked topics into the grid (locked sessions stay); return both figures.

    Sessions that leave the grid are deleted unless they have sign-ups (then they are only
    taken off the grid, which cannot happen while cells remain for them).
    """
    problem = build_problem(event)
    if not problem.slots or not problem.rooms:
        raise Conflict("grid_empty", _("Définissez d'abord au moins une salle et un créneau."))
    baseline = scheduler.greedy_baseline(problem)
    result = scheduler.optimise(problem, iterations=iterations, seed=event.id)
    sessions = {s.proposal_id: s for s in list_sessions(event)}
    for proposal_id, session in sessions.items():  # free every unlocked cell first (unique constraint)
        if not session.locked:
            session.room_id = session.slot_id = None
    db.session.flush()
    signed = set(db.session.scalars(select(Signup.session_id).where(Signup.event_id == event.id)))
    for proposal_id, session in sessions.items():
        if proposal_id not in result.placement and session.id not in signed:
            db.session.delete(session)
    db.session.flush()
    for proposal_id, (slot_id, room_id) in result.placement.items():
        session = sessions.get(proposal_id) or add_session(event, proposal_id)
        session.slot_id, session.room_id = slot_id, room_id
    db.session.flush()
    db.session.expire_all()  # rooms changed under the sessions: capacities are read afresh
    for session in list_sessions(event):
        _fill_seats(session)
    return {"scheduler": result.figures, "baseline": baseline.figures, "unscheduled": result.unscheduled}


# -- sign-ups ------------------------------------------------------------------------------------------
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


def _fill_seats(session: GridSession) -> list[int]:
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
    return _fill_seats(session)


# -- what screens see ---------------------------------------------------------------------------------
def _counts(event: Event) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"confirmed": 0, "waiting": 0})
    for session_id, status, n in db.session.execute(
        select(Signup.session_id, Signup.status, func.count()).where(Signup.event_id == event.id)
        .group_by(Signup.session_id, Signup.status)
    ):
        counts[session_id][SignupStatus(status).value] = n
    return counts


def session_out(session: GridSession, counts: dict | None = None) -> dict:
    fmt = get_format(session.format_slug)
    count = (counts or {}).get(session.id, {"confirmed": 0, "waiting": 0})
    return {
        "id": session.id,
        "proposal_id": session.proposal_id,
        "title": session.proposal.title,
        "room_id": session.room_id,
        "slot_id": session.slot_id,
        "locked": session.locked,
        "format": session.format_slug,
        "format_name": fmt.name if fmt else None,
        "facilitator_id": session.facilitator_id,
        "capacity": session_capacity(session),
        "confirmed": count["confirmed"],
        "waiting": count["waiting"],
    }


def room_out(room: Room) -> dict:
    return {"id": room.id, "name": room.name, "capacity": room.capacity}


def slot_out(slot: Slot) -> dict:
    return {"id": slot.id, "starts_at": aware(slot.starts_at).isoformat(), "ends_at": aware(slot.ends_at).isoformat(),
            "label": f"{local(slot.starts_at):%H:%M}–{local(slot.ends_at):%H:%M}"}


def grid_out(event: Event) -> dict:
    """The whole grid: rooms, slots, sessions with their seats taken (organiser view or published)."""
    counts = _counts(event)
    return {
        "published": is_published(event),
        "rooms": [room_out(r) for r in list_rooms(event)],
        "slots": [slot_out(s) for s in list_slots(event)],
        "sessions": [session_out(s, counts) for s in list_sessions(event)],
    }


def public_grid(event: Event) -> dict:
    """What every phone and the projector may see: the grid once published, else only that it is not."""
    return grid_out(event) if is_published(event) else {"published": False}


def my_signups(event: Event, participant: Participant) -> list[dict]:
    """"Mon programme": the participant's sessions in time order, with status and waiting position."""
    rows = db.session.execute(
        select(Signup, GridSession).join(GridSession, GridSession.id == Signup.session_id)
        .outerjoin(Slot, Slot.id == GridSession.slot_id)
        .where(Signup.participant_id == participant.id, Signup.event_id == event.id)
        .order_by(Slot.starts_at, GridSession.id)
    ).all()
    return [{"session_id": session.id, **signup_view(signup)} for signup, session in rows]
