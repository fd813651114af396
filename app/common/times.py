"""The forum's clock: a forum's start is a wall-clock time in Europe/Paris.

`events.starts_at` holds the time the organiser typed, without an offset (the page's
datetime-local field gives none). SQLite hands it back naive, PostgreSQL as if it were UTC: both
mean the same wall-clock time, which the API shows with the Europe/Paris offset of that day.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

#: French forums: naive times are Europe/Paris (app/schedule uses the same zone for slots)
FORUM_TZ = ZoneInfo("Europe/Paris")


def as_wall_clock(value: datetime) -> datetime:
    """A naive wall-clock time in Europe/Paris: a naive value is kept, one with an offset converted."""
    if value.tzinfo is None:
        return value
    return value.astimezone(FORUM_TZ).replace(tzinfo=None)


def forum_time(value: datetime) -> datetime:
    """A stored wall-clock time, with the Europe/Paris offset it had that day."""
    return value.replace(tzinfo=None).replace(tzinfo=FORUM_TZ)
