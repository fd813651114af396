"""A forum's quiz run (mode, live state, stored room distribution) and the participants' answers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, Enum, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from barcamp.common.db import utcnow
from barcamp.extensions import db
from barcamp.quiz.enums import LiveStatus, QuizMode


class QuizRun(db.Model):
    """The quiz of one forum: created when the icebreaker opens (or the organiser sets it up)."""

    __tablename__ = "quiz_runs"
    __table_args__ = (
        CheckConstraint("countdown_seconds IS NULL OR (countdown_seconds >= 5 AND countdown_seconds <= 600)",
                        name="countdown_range"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum; one quiz run per forum
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    #: self-paced (each phone at its pace) or live (the organiser steps through the questions)
    mode: Mapped[QuizMode] = mapped_column(Enum(QuizMode, native_enum=False, length=20), default=QuizMode.SELF_PACED)
    #: live mode: where the quiz stands
    status: Mapped[LiveStatus] = mapped_column(Enum(LiveStatus, native_enum=False, length=20),
                                               default=LiveStatus.WAITING)
    #: live mode: index of the current question (None before the first one)
    current_question: Mapped[int | None] = mapped_column(Integer)
    #: live mode: when the current question opened (speed bonus, countdown)
    question_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: optional countdown per question in seconds; None = no time limit (RGAA 13.1)
    countdown_seconds: Mapped[int | None] = mapped_column(Integer)
    #: when the icebreaker phase opened (the quiz choice is frozen from then on)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: the room's result kept for the restitution: {"respondents", "profiles"|"leaderboard", "questions"}
    distribution: Mapped[dict | None] = mapped_column(JSON)
    #: when `distribution` was last stored
    distribution_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<QuizRun event={self.event_id} {self.mode} {self.status} q={self.current_question}>"


class QuizAnswer(db.Model):
    """One participant's answer to one question: an absolute choice, replaced when they change it."""

    __tablename__ = "quiz_answers"
    __table_args__ = (
        # Answering twice the same question can only ever change the one row.
        UniqueConstraint("participant_id", "question"),
        CheckConstraint("question >= 0", name="question_index"),
        CheckConstraint("choice >= 0", name="choice_index"),
    )

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the forum (denormalised for fast counts)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: who answered
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    #: question index in the quiz file
    question: Mapped[int] = mapped_column(Integer)
    #: answer index in the question
    choice: Mapped[int] = mapped_column(Integer)
    #: scored quizzes in live mode: milliseconds between the question opening and this answer
    response_ms: Mapped[int | None] = mapped_column(Integer)
    #: last change
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<QuizAnswer p={self.participant_id} q={self.question} choice={self.choice}>"
