"""Topics proposed by participants during the recensement."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barcamp.common.db import utcnow
from barcamp.events.models import Theme
from barcamp.extensions import db
from barcamp.proposals.enums import ProposalStatus


class Proposal(db.Model):
    __tablename__ = "proposals"

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: the participant who proposed it (empty when an organiser seeded it)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"), index=True)
    #: title, at most 120 characters
    title: Mapped[str] = mapped_column(String(120))
    #: description, at most 2,000 characters
    description: Mapped[str] = mapped_column(Text, default="")
    #: optional theme of the forum
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    #: free tags, a list of short strings
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: visible, withdrawn by its author, or hidden by the organiser
    status: Mapped[ProposalStatus] = mapped_column(
        Enum(ProposalStatus, native_enum=False, length=20), default=ProposalStatus.VISIBLE, index=True
    )
    #: why the organiser hid it
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    #: creation time
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: last edit
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    theme: Mapped[Theme | None] = relationship()

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.title!r} {self.status}>"


class Coproposer(db.Model):
    """A participant who carries a topic with its author: "je soutiens celui-ci", or an author of a merged topic."""

    __tablename__ = "proposal_coproposers"
    __table_args__ = (UniqueConstraint("proposal_id", "participant_id"),)

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the topic
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    #: the co-proposer
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    #: the merge that added them (its undo removes them); empty when they chose to support the topic
    merge_id: Mapped[int | None] = mapped_column(ForeignKey("merges.id", ondelete="CASCADE"), index=True)
    #: when they joined the topic
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Coproposer topic={self.proposal_id} participant={self.participant_id} merge={self.merge_id}>"
