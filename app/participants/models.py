"""Participants: anonymous, per forum, identified by a secret token."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from barcamp.common.db import utcnow
from barcamp.extensions import db
from barcamp.participants.enums import ParticipantKind, Profile


class Participant(db.Model):
    __tablename__ = "participants"

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum joined
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the participant's secret token (the token itself is never stored)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: chosen pseudonym, may be empty
    display_name: Mapped[str] = mapped_column(String(60), default="")
    #: optional profile category
    profile: Mapped[Profile | None] = mapped_column(Enum(Profile, native_enum=False, length=30))
    #: a person, or a secret ballot's stand-in voter (counted nowhere as a participant)
    kind: Mapped[ParticipantKind] = mapped_column(Enum(ParticipantKind, native_enum=False, length=20),
                                                  default=ParticipantKind.PERSON, server_default="PERSON")
    #: when they joined
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Participant {self.id} event={self.event_id} {self.kind}>"
