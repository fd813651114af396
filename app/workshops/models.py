"""Workshops, the forum topics they gather, their members, board cards and dots on proposals."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from barcamp.common.db import utcnow
from barcamp.extensions import db
from barcamp.workshops.enums import CardSection


class Workshop(db.Model):
    """A co-design workshop of a forum: one board, a facilitator, its own dot budget."""

    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint("dots_budget >= 1 AND dots_budget <= 100", name="dots_budget_range"),
        CheckConstraint("max_per_card >= 1 AND max_per_card <= dots_budget", name="max_per_card_range"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: workshop title, usually the topic's title ("#Titre" in the restitution)
    title: Mapped[str] = mapped_column(String(120))
    #: what the group works on (optional)
    description: Mapped[str] = mapped_column(Text, default="")
    #: display order among the forum's workshops (also the restitution's chapter order by default)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: the organiser who facilitates the workshop (optional)
    facilitator_organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisers.id", ondelete="SET NULL"))
    #: SHA-256 of the facilitator link's secret token (the token itself is never stored)
    facilitator_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: the participant who opened the facilitator link (holds the facilitator role from then on)
    facilitator_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"))
    #: dots per participant on this workshop's proposals
    dots_budget: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    #: most dots one participant may put on one proposal
    max_per_card: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    #: when the workshop was created
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: when the organiser deleted it (soft delete: gone from lists, boards and the restitution; rows kept)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<Workshop {self.id} event={self.event_id} {self.title!r}>"


class WorkshopTopic(db.Model):
    """A forum topic (proposal) gathered into a workshop."""

    __tablename__ = "workshop_topics"
    __table_args__ = (UniqueConstraint("workshop_id", "proposal_id"),)

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the workshop
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    #: the topic it works on
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)

    def __repr__(self) -> str:
        return f"<WorkshopTopic w={self.workshop_id} topic={self.proposal_id}>"


class WorkshopMember(db.Model):
    """A participant who joined a workshop."""

    __tablename__ = "workshop_members"
    __table_args__ = (UniqueConstraint("workshop_id", "participant_id"),)

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the workshop
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    #: the member
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    #: when they joined
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<WorkshopMember w={self.workshop_id} p={self.participant_id}>"


class Card(db.Model):
    """A card on a workshop board. Never hard-deleted: its author's (or the facilitator's) removal sets
    `deleted_at`, moderation sets `hidden_at`, merging sets `merged_into_id`: three independent states, so
    restoring a hidden card never brings back one its author deleted."""

    __tablename__ = "cards"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("number IS NULL OR number >= 1", name="number_positive"),
        # A card resent after a lost acknowledgement (crash, reconnect) is the same card, never a second one.
        # The key is its author's: another participant sending the same key writes their own card.
        UniqueConstraint("workshop_id", "author_participant_id", "client_key"),
        # Cards written by organisers have no participant author (NULLs never collide in a unique
        # constraint): their keys are unique among the board's organiser cards.
        Index("uq_cards_organiser_client_key", "workshop_id", "client_key", unique=True,
              sqlite_where=text("author_participant_id IS NULL"),
              postgresql_where=text("author_participant_id IS NULL")),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the workshop board
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    #: the board column (the restitution's section)
    section: Mapped[CardSection] = mapped_column(Enum(CardSection, native_enum=False, length=20))
    #: the card's text
    text: Mapped[str] = mapped_column(String(2000))
    #: propositions: what the proposal gains ("Le gain")
    gain: Mapped[str | None] = mapped_column(String(2000))
    #: propositions: how to measure it (optional)
    indicator: Mapped[str | None] = mapped_column(String(2000))
    #: propositions: the proposal number (#1, #2…) set by the facilitator
    number: Mapped[int | None] = mapped_column(Integer)
    #: order inside its section
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: optimistic concurrency: grows by one on every change; a stale PATCH gets a conflict
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: who wrote it (None when written by an organiser)
    author_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"))
    #: idempotency key chosen by the client that added the card (a UUID), unique per author and board:
    #: the same author resending it gets the same card
    client_key: Mapped[str | None] = mapped_column(String(64))
    #: set when this card was merged into another one (its text was copied there; kept for the trail)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="SET NULL"), index=True)
    #: soft delete by its author or the facilitator (or the author's erasure): off the board and the
    #: restitution for good, kept in the database
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: moderation: hidden pending review (reports past the threshold, or the organiser confirmed); the
    #: organiser's "restore" clears it, and only it
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: when it was written
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: last change
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    @property
    def is_visible(self) -> bool:
        """Return True when the card shows on the board (neither deleted, hidden nor merged away)."""
        return self.deleted_at is None and self.hidden_at is None and self.merged_into_id is None

    @property
    def status(self) -> str:
        """`deleted` (by its author), `merged`, `hidden` (by moderation) or `visible`, in that precedence."""
        if self.deleted_at is not None:
            return "deleted"
        if self.merged_into_id is not None:
            return "merged"
        if self.hidden_at is not None:
            return "hidden"
        return "visible"

    def __repr__(self) -> str:
        return f"<Card {self.id} w={self.workshop_id} {self.section} v{self.version}>"


class CardDot(db.Model):
    """Dots one participant put on one proposal card: an absolute value, replaced when they change it."""

    __tablename__ = "card_dots"
    __table_args__ = (
        # A second row for the same participant and card is impossible, whatever the code does.
        UniqueConstraint("participant_id", "card_id"),
        CheckConstraint("value >= 0", name="value_non_negative"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the workshop (denormalised for the budget check and the tally)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    #: the voter
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    #: the proposal card
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    #: dots on this card (a row at 0 is deleted)
    value: Mapped[int] = mapped_column(Integer)
    #: last change
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<CardDot p={self.participant_id} card={self.card_id} value={self.value}>"
