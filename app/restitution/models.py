"""What the organiser edits of the restitution: introduction, chapter order, names, publication."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from barcamp.common.db import utcnow
from barcamp.extensions import db


class RestitutionSettings(db.Model):
    """The organiser's edits of a forum's restitution (one row per forum, created on first edit)."""

    __tablename__ = "restitution_settings"

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    #: the introduction's context paragraph(s); empty: the forum's description
    context: Mapped[str] = mapped_column(Text, default="")
    #: the dates as they should read, e.g. "du 20 au 26 novembre 2017"; empty: the forum's start date
    dates: Mapped[str] = mapped_column(String(200), default="")
    #: the place as it should read; empty: the forum's place
    place: Mapped[str] = mapped_column(String(200), default="")
    #: thanks at the end of the introduction
    thanks: Mapped[str] = mapped_column(Text, default="")
    #: workshop ids in chapter order; workshops missing from it follow in their own order
    chapter_order: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: show participants' pseudonyms (topic and card authors, workshop members); off by default
    include_names: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: secret token of the public URL /r/<token>; kept across unpublish so a republished link works again
    public_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: when it was published; None: not public
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: last edit
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<RestitutionSettings event={self.event_id} published={self.published_at is not None}>"
