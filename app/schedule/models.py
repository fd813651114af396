"""Rooms, time slots, sessions of the grid, the grid's publication state and sign-ups."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barcamp.common.db import utcnow
from barcamp.extensions import db
from barcamp.proposals.models import Proposal
from barcamp.schedule.enums import SignupStatus


class Room(db.Model):
    """A room of the venue, with the number of people it seats."""

    __tablename__ = "rooms"
    __table_args__ = (
        UniqueConstraint("event_id", "name"),
        CheckConstraint("capacity >= 1 AND capacity <= 10000", name="capacity_range"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: room name, e.g. "Salle du conseil"
    name: Mapped[str] = mapped_column(String(120))
    #: seats in the room
    capacity: Mapped[int] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"<Room {self.id} {self.name!r} cap={self.capacity}>"


class Slot(db.Model):
    """A time slot of the day: every room holds at most one session per slot."""

    __tablename__ = "slots"
    __table_args__ = (
        UniqueConstraint("event_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: start (timezone-aware, stored in UTC)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: end
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<Slot {self.id} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}>"


class GridSession(db.Model):
    """One topic run as a session; placed in a room and a slot (or not yet placed)."""

    __tablename__ = "grid_sessions"
    __table_args__ = (
        # At most one session per room and slot, whatever the code does (NULLs: not placed yet).
        UniqueConstraint("room_id", "slot_id"),
        UniqueConstraint("event_id", "proposal_id"),
        CheckConstraint("(room_id IS NULL) = (slot_id IS NULL)", name="placed_in_both"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: the topic discussed
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    #: the room (None: not placed)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    #: the slot (None: not placed)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("slots.id", ondelete="SET NULL"), index=True)
    #: workshop format (slug of a file in content/formats/), optional
    format_slug: Mapped[str | None] = mapped_column(String(60))
    #: the participant who facilitates the session, optional
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    #: kept where it is by the auto-scheduler
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: creation time
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    proposal: Mapped[Proposal] = relationship()
    room: Mapped[Room | None] = relationship()
    slot: Mapped[Slot | None] = relationship()

    def __repr__(self) -> str:
        return f"<GridSession {self.id} topic={self.proposal_id} room={self.room_id} slot={self.slot_id}>"


class Grid(db.Model):
    """The grid of one forum: whether participants see it, and the last auto-schedule figures."""

    __tablename__ = "grids"

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum; one grid per forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    #: when the organiser published it (None: only the organiser sees it)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<Grid event={self.event_id} published={self.published_at is not None}>"


class Signup(db.Model):
    """A participant's place in a session: a numbered seat, or a place on the waiting list."""

    __tablename__ = "signups"
    __table_args__ = (
        UniqueConstraint("session_id", "participant_id"),
        # Two confirmed sign-ups can never hold the same seat, even if two transactions race.
        UniqueConstraint("session_id", "seat"),
        # (SQLAlchemy stores the enum's member names)
        CheckConstraint("(status = 'CONFIRMED' AND seat >= 1) OR (status = 'WAITING' AND seat IS NULL)",
                        name="seat_matches_status"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum (denormalised: a participant's programme in one query)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: the session
    session_id: Mapped[int] = mapped_column(ForeignKey("grid_sessions.id", ondelete="CASCADE"), index=True)
    #: who signed up
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    #: confirmed (has a seat) or waiting
    status: Mapped[SignupStatus] = mapped_column(Enum(SignupStatus, native_enum=False, length=20))
    #: seat number 1..capacity when confirmed, None when waiting
    seat: Mapped[int | None] = mapped_column(Integer)
    #: when they signed up: the waiting list is served in this order
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Signup s={self.session_id} p={self.participant_id} {self.status} seat={self.seat}>"
