"""Per-forum privacy and moderation settings, and what a purge keeps of a forum."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from barcamp.extensions import db

#: default retention of a forum's personal data, in months (CNIL: no longer than needed)
DEFAULT_RETENTION_MONTHS = 12
#: default number of reports that hides a topic pending review
DEFAULT_REPORT_THRESHOLD = 3


class EventPolicy(db.Model):
    """One row per forum, created on first change; a forum without a row has the defaults."""

    __tablename__ = "event_policies"
    __table_args__ = (
        CheckConstraint("retention_months >= 1 AND retention_months <= 120", name="retention_range"),
        CheckConstraint("report_threshold >= 1 AND report_threshold <= 100", name="report_threshold_range"),
    )

    #: the forum (primary key: one policy per forum)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    #: who runs the forum (the data controller), shown in the join page's information notice
    organisation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: secret ballot: when voting closes, the link between participants and their ballots is deleted
    secret_ballot: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: months after the forum (its start date, else its creation) before `barcamp purge` erases it
    retention_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_RETENTION_MONTHS,
                                                  server_default=str(DEFAULT_RETENTION_MONTHS))
    #: reports that hide a topic pending the organiser's review
    report_threshold: Mapped[int] = mapped_column(Integer, default=DEFAULT_REPORT_THRESHOLD,
                                                  server_default=str(DEFAULT_REPORT_THRESHOLD))
    #: random per-forum key of the pseudonymous voter ids in ballot exports
    pseudonym_key: Mapped[str] = mapped_column(String(64))
    #: when the participant-ballot links were deleted (secret ballot, at the close of the vote)
    ballots_sealed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: when the retention period ran out and the personal data were erased
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: what a purge keeps: title, dates, aggregated results and quiz distribution
    archive: Mapped[dict | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<EventPolicy event={self.event_id} secret={self.secret_ballot} keep={self.retention_months}m>"
