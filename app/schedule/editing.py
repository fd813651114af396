"""Editing the grid: rooms, slots, sessions placed in a room × slot cell, locks, formats, publication."""
from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from barcamp.common.db import utcnow
from barcamp.common.errors import Conflict, InvalidInput, NotFound
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.schedule.formats import get_format
from barcamp.schedule.models import Grid, GridSession, Room, Signup, Slot
from barcamp.schedule.services import (
    FORUM_TZ,
    aware,
    get_room,
    get_session,
    get_slot,
    list_slots,
    local,
    owned,
)
from barcamp.schedule.signups import cancel_clashes, fill_seats


# -- rooms and slots ------------------------------------------------------------------------------
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
    """Delete a room; its sessions go back to the bench. Refused (409) while people are signed up to one."""
    room = get_room(event, room_id)
    _delete_with_sessions(room, GridSession.room_id == room.id, "room_in_use", lambda titles: _(
        "Impossible de supprimer cette salle : des participants sont inscrits à %(titles)s. "
        "Déplacez d'abord ces sessions dans une autre salle.", titles=titles))


def delete_slot(event: Event, slot_id: int) -> None:
    """Delete a slot; its sessions go back to the bench. Refused (409) while people are signed up to one."""
    slot = get_slot(event, slot_id)
    _delete_with_sessions(slot, GridSession.slot_id == slot.id, "slot_in_use", lambda titles: _(
        "Impossible de supprimer ce créneau : des participants sont inscrits à %(titles)s. "
        "Déplacez d'abord ces sessions sur un autre créneau.", titles=titles))


def _delete_with_sessions(row: Room | Slot, placed_here, code: str, refusal) -> None:
    """Delete a room or slot unless someone is signed up to a session placed there; unplace the others.

    Unplacing a session someone signed up to would leave them a session with no time or no room.
    """
    placed = select(GridSession).where(placed_here)
    signed = db.session.scalars(placed.where(GridSession.id.in_(select(Signup.session_id))).order_by(GridSession.id))
    titles = ", ".join(f"« {session.proposal.title} »" for session in signed)
    if titles:
        raise Conflict(code, refusal(titles))
    _unplace(placed)
    db.session.delete(row)
    db.session.flush()


def _unplace(query) -> None:
    for session in db.session.scalars(query):
        session.room_id = session.slot_id = None
        session.locked = False
    db.session.flush()


# -- publication ------------------------------------------------------------------------------------
def get_grid(event: Event) -> Grid:
    grid = db.session.scalar(select(Grid).where(Grid.event_id == event.id))
    if grid is None:
        grid = Grid(event_id=event.id)
        db.session.add(grid)
        db.session.flush()
    return grid


def set_published(event: Event, published: bool) -> Grid:
    grid = get_grid(event)
    grid.published_at = (grid.published_at or utcnow()) if published else None
    db.session.flush()
    return grid


# -- sessions ---------------------------------------------------------------------------------------
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
        get_room(event, room_id)
        get_slot(event, slot_id)
    if format_slug is not _UNSET:
        if format_slug and get_format(format_slug) is None:
            raise InvalidInput("unknown_format", _("Format d'atelier inconnu : %(slug)s.", slug=format_slug))
        session.format_slug = format_slug or None
    if facilitator_id is not _UNSET:
        if facilitator_id is not None:
            owned(Participant, event, facilitator_id, "participant_not_found",
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
            cancel_clashes(occupant)
        cancel_clashes(session)
    if locked is not None:
        session.locked = bool(locked) and session.room_id is not None
    db.session.flush()
    fill_seats(session)
    db.session.refresh(session)
    return session
