"""States of a report."""
from __future__ import annotations

import enum


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    #: the organiser reviewed the topic and showed it again
    RESTORED = "restored"
    #: the organiser reviewed the topic and kept it hidden
    CONFIRMED = "confirmed"
