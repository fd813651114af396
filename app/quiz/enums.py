"""Kinds, modes and live states of a forum's quiz."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class QuizKind(enum.StrEnum):
    #: each answer counts for a profile; the result is the majority profile (Sonar's style quiz)
    PROFILE = "profile"
    #: right answers score points (optional speed bonus); the result is a leaderboard
    SCORED = "scored"


class QuizMode(enum.StrEnum):
    SELF_PACED = "self_paced"
    LIVE = "live"

    @property
    def label(self):
        return QUIZ_MODE_LABELS[self]


QUIZ_MODE_LABELS = {
    QuizMode.SELF_PACED: _l("Chacun à son rythme"),
    QuizMode.LIVE: _l("En direct, question par question"),
}


class LiveStatus(enum.StrEnum):
    """Where a live quiz stands: before the first question, a question open or closed, the results."""

    WAITING = "waiting"
    OPEN = "open"
    CLOSED = "closed"
    RESULTS = "results"
