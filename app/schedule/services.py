"""The grid as screens read it: rooms, slots, sessions with their seats, publication, and their JSON.

Editing the grid is in `editing.py`, sign-ups and waiting lists in `signups.py`, automatic
scheduling in `autoschedule.py`; all three build on these reads.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select

from barcamp.common.errors import NotFound
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.schedule.enums import SignupStatus
from barcamp.schedule.formats import get_format
from barcamp.schedule.models import Grid, GridSession, Room, Signup, Slot

#: naive times typed by an organiser are the forum's local time (French forums)
FORUM_TZ = ZoneInfo("Europe/Paris")


def aware(value: datetime) -> datetime:
    """A stored time as timezone-aware UTC (SQLite hands them back naive)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local(value: datetime) -> datetime:
    return aware(value).astimezone(FORUM_TZ)


def list_rooms(event: Event) -> list[Room]:
    return list(db.session.scalars(select(Room).where(Room.event_id == event.id).order_by(Room.id)))


def list_slots(event: Event) -> list[Slot]:
    return list(db.session.scalars(select(Slot).where(Slot.event_id == event.id).order_by(Slot.starts_at)))


def list_sessions(event: Event) -> list[GridSession]:
    return list(db.session.scalars(select(GridSession).where(GridSession.event_id == event.id)
                                   .order_by(GridSession.id)))


def owned(model, event: Event, row_id: int | None, code: str, message):
    """The row of this forum with that id, or NotFound(code, message)."""
    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None or row.event_id != event.id:
        raise NotFound(code, message)
    return row


def get_room(event: Event, room_id: int | None) -> Room:
    return owned(Room, event, room_id, "room_not_found", _("Cette salle n'existe pas dans ce forum."))


def get_slot(event: Event, slot_id: int | None) -> Slot:
    return owned(Slot, event, slot_id, "slot_not_found", _("Ce créneau n'existe pas dans ce forum."))


def get_session(event: Event, session_id: int) -> GridSession:
    return owned(GridSession, event, session_id, "session_not_found", _("Cette session n'existe pas dans ce forum."))


def is_published(event: Event) -> bool:
    return db.session.scalar(select(Grid.published_at).where(Grid.event_id == event.id)) is not None


def session_capacity(session: GridSession) -> int | None:
    """Seats of a session: the room's capacity or the format's jauge, whichever is smaller."""
    if session.room is None:
        return None
    fmt = get_format(session.format_slug)
    return min(session.room.capacity, fmt.jauge) if fmt else session.room.capacity


# -- what screens see ---------------------------------------------------------------------------------
def seat_counts(event: Event) -> dict[int, dict[str, int]]:
    """Confirmed and waiting sign-ups of every session of the forum."""
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
    counts = seat_counts(event)
    return {
        "published": is_published(event),
        "rooms": [room_out(r) for r in list_rooms(event)],
        "slots": [slot_out(s) for s in list_slots(event)],
        "sessions": [session_out(s, counts) for s in list_sessions(event)],
    }


def public_grid(event: Event) -> dict:
    """What every phone and the projector may see: the grid once published, else only that it is not."""
    return grid_out(event) if is_published(event) else {"published": False}
