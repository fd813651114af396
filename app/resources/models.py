"""Forum additions to the library and the glossary, and resources attached to topics and workshops."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from barcamp.common.db import utcnow
from barcamp.extensions import db

#: key prefix of a forum's own resources ("forum-12"); library entries keep their content id
FORUM_KEY_PREFIX = "forum-"


class ForumResource(db.Model):
    """A resource an organiser added to one forum (next to the shared library)."""

    __tablename__ = "forum_resources"

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: title, at most 300 characters
    title: Mapped[str] = mapped_column(String(300))
    #: author(s), free text
    author: Mapped[str] = mapped_column(String(300), default="")
    #: periodical, publisher or site
    source: Mapped[str] = mapped_column(String(300), default="")
    #: "2019", "05/2019" or "21/05/2019" (empty when unknown)
    date: Mapped[str] = mapped_column(String(10), default="")
    #: link (http or https), empty when none
    url: Mapped[str] = mapped_column(String(1000), default="")
    #: what it is about
    summary: Mapped[str] = mapped_column(Text, default="")
    #: creation time
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def key(self) -> str:
        return f"{FORUM_KEY_PREFIX}{self.id}"

    def __repr__(self) -> str:
        return f"<ForumResource {self.id} event={self.event_id} {self.title!r}>"


class ForumTerm(db.Model):
    """A glossary term an organiser added to one forum."""

    __tablename__ = "forum_terms"
    __table_args__ = (UniqueConstraint("event_id", "term"),)

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: the term as written, at most 80 characters (unique within the forum)
    term: Mapped[str] = mapped_column(String(80))
    #: its definition
    definition: Mapped[str] = mapped_column(Text)
    #: creation time
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<ForumTerm {self.id} event={self.event_id} {self.term!r}>"


class ResourceAttachment(db.Model):
    """A resource ("Pour aller plus loin") attached to exactly one topic or one workshop."""

    __tablename__ = "resource_attachments"
    __table_args__ = (
        CheckConstraint("(workshop_id IS NULL) <> (proposal_id IS NULL)", name="one_target"),
        UniqueConstraint("workshop_id", "resource_key"),
        UniqueConstraint("proposal_id", "resource_key"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum (both targets belong to it)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: the workshop it is attached to, or empty
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    #: the topic it is attached to, or empty
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    #: a library entry id ("territoires-01") or a forum resource key ("forum-12")
    resource_key: Mapped[str] = mapped_column(String(60))
    #: display order, as the organiser listed them
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        target = f"w={self.workshop_id}" if self.workshop_id else f"p={self.proposal_id}"
        return f"<ResourceAttachment {target} {self.resource_key}>"
