"""Reports of topics and workshop cards by participants."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from barcamp.common.db import utcnow
from barcamp.extensions import db
from barcamp.moderation.enums import ReportStatus


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        # One report per participant and topic (or card): a phone cannot hide anything on its own.
        UniqueConstraint("participant_id", "proposal_id"),
        UniqueConstraint("participant_id", "card_id"),
        CheckConstraint("(proposal_id IS NULL) <> (card_id IS NULL)", name="one_target"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum (denormalised for the organiser's list)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: the reported topic (or None when a card is reported)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    #: the reported workshop card (or None when a topic is reported)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    #: who reported it
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    #: optional reason typed by the participant
    reason: Mapped[str] = mapped_column(String(300), default="")
    #: open until the organiser reviews the topic (restored or confirmed)
    status: Mapped[ReportStatus] = mapped_column(Enum(ReportStatus, native_enum=False, length=20),
                                                 default=ReportStatus.OPEN)
    #: when it was reported
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Report topic={self.proposal_id} card={self.card_id} by={self.participant_id} {self.status}>"
