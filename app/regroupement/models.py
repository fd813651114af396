"""Merges of similar topics, with what an undo needs to restore the topics and ballots exactly."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barcamp.common.db import utcnow
from barcamp.extensions import db


class Merge(db.Model):
    __tablename__ = "merges"

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: the topic that carries the group (empty once an undo deleted a topic the merge had created)
    result_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), index=True)
    #: True when the merge created the result topic; False when it merged `into` an existing one
    created_result: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the result's title at merge time (history, once an undo deleted it)
    title: Mapped[str] = mapped_column(String(120))
    #: `into` only: its title, description, theme_id and tags before the merge
    previous: Mapped[dict | None] = mapped_column(JSON)
    #: `into` only: its ballots before the merge, [[participant_id, value, updated_at iso], …]
    previous_ballots: Mapped[list | None] = mapped_column(JSON)
    #: when the merge happened
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: when it was undone (empty while it holds)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    sources: Mapped[list[MergeSource]] = relationship(
        back_populates="merge", order_by="MergeSource.proposal_id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Merge {self.id} -> {self.result_id} undone={self.undone_at is not None}>"


class MergeSource(db.Model):
    """A topic absorbed by a merge (status merged while the merge holds)."""

    __tablename__ = "merge_sources"
    __table_args__ = (UniqueConstraint("merge_id", "proposal_id"),)

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the merge
    merge_id: Mapped[int] = mapped_column(ForeignKey("merges.id", ondelete="CASCADE"), index=True)
    #: the absorbed topic
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)

    merge: Mapped[Merge] = relationship(back_populates="sources")

    def __repr__(self) -> str:
        return f"<MergeSource merge={self.merge_id} topic={self.proposal_id}>"
