"""Forums (events) and their themes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barcamp.common.db import utcnow
from barcamp.events.enums import Phase, VotingMode
from barcamp.extensions import db


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("dots_budget >= 1 AND dots_budget <= 100", name="dots_budget_range"),
        CheckConstraint("max_per_proposal >= 1 AND max_per_proposal <= dots_budget", name="max_per_proposal_range"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the organiser who owns the forum
    organiser_id: Mapped[int] = mapped_column(ForeignKey("organisers.id"), index=True)
    #: forum title, e.g. "Forum de l'innovation publique 2017"
    title: Mapped[str] = mapped_column(String(200))
    #: when the forum starts (optional)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: where it takes place (optional)
    place: Mapped[str] = mapped_column(String(200), default="")
    #: free-text description shown on the join page
    description: Mapped[str] = mapped_column(Text, default="")
    #: 6-character code participants type to join (no look-alike characters)
    join_code: Mapped[str] = mapped_column(String(6), unique=True)
    #: secret token of the read-only projector URL
    projector_token: Mapped[str] = mapped_column(String(64), unique=True)
    #: current phase of the state machine
    phase: Mapped[Phase] = mapped_column(Enum(Phase, native_enum=False, length=20), default=Phase.DRAFT)
    #: how participants prioritise topics; frozen once voting opens
    voting_mode: Mapped[VotingMode] = mapped_column(Enum(VotingMode, native_enum=False, length=20))
    #: dots per participant (mode dots)
    dots_budget: Mapped[int] = mapped_column(Integer, default=3)
    #: most dots one participant may put on one topic (mode dots)
    max_per_proposal: Mapped[int] = mapped_column(Integer, default=2)
    #: when voting opened (rules are frozen from then on)
    voting_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: the icebreaker quiz (slug of a file in content/quizzes/); frozen once the icebreaker opens
    quiz_slug: Mapped[str] = mapped_column(String(60), default="style-innovation", server_default="style-innovation")
    #: when the forum was created
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    themes: Mapped[list[Theme]] = relationship(
        back_populates="event", order_by="Theme.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.join_code} {self.phase}>"


class Theme(db.Model):
    __tablename__ = "themes"
    __table_args__ = (db.UniqueConstraint("event_id", "name"),)

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum this theme belongs to
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: theme name, e.g. "Développement durable"
    name: Mapped[str] = mapped_column(String(120))
    #: display order
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship(back_populates="themes")

    def __repr__(self) -> str:
        return f"<Theme {self.id} {self.name!r}>"
