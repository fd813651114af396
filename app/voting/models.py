"""Ballots: one row per (participant, topic), holding an absolute value."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from barcamp.common.db import utcnow
from barcamp.extensions import db


class Ballot(db.Model):
    __tablename__ = "ballots"
    __table_args__ = (
        # A second ballot row for the same participant and topic is impossible, whatever the code does.
        UniqueConstraint("participant_id", "proposal_id"),
        CheckConstraint("value >= 1 AND value <= 100", name="value_range"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum (denormalised for fast tallies)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: the voter
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    #: the topic voted on
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    #: dots on this topic, 1 for approval, or grade 1-4 for majority judgment (0 = no row)
    value: Mapped[int] = mapped_column(Integer)
    #: last change
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Ballot p={self.participant_id} topic={self.proposal_id} value={self.value}>"
