"""Topics proposed by participants during the recensement."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.db import utcnow
from app.events.models import Theme
from app.extensions import db
from app.proposals.enums import ProposalStatus


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
