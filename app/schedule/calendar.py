"""iCalendar files of the grid: the whole forum's, and one participant's programme."""
from __future__ import annotations

from flask_babel import gettext as _
from icalendar import Calendar, vText
from icalendar import Event as VEvent

from barcamp.common.text import clean_line, clean_text
from barcamp.events.models import Event
from barcamp.schedule.formats import get_format
from barcamp.schedule.models import GridSession
from barcamp.schedule.services import aware


def _line(value: str) -> vText:
    """A one-line text property. Stored text may predate input cleaning (or be edited by hand):
    control characters have no place in an iCalendar text value, and a line break in a property
    that icalendar does not escape (X-WR-CALNAME) made it fail, so every text is normalised here."""
    return vText(clean_line(value or ""))


def _text(value: str) -> vText:
    """A multi-line text property (DESCRIPTION): line breaks kept, escaped by vText."""
    return vText(clean_text(value or ""))


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//barcamp//grille//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _line(name))
    return cal


def build_ics(event: Event, sessions: list[GridSession], *, host: str, name: str | None = None,
              statuses: dict[int, str] | None = None) -> bytes:
    """One VEVENT per placed session (room and slot), times in UTC; `statuses` marks waiting ones."""
    cal = _calendar(name or event.title)
    for session in sessions:
        if session.slot is None or session.room is None:
            continue
        item = VEvent()
        item.add("uid", f"session-{session.id}@{host}")
        item.add("dtstamp", aware(session.created_at))
        item.add("dtstart", aware(session.slot.starts_at))
        item.add("dtend", aware(session.slot.ends_at))
        item.add("summary", _line(session.proposal.title))
        item.add("location", _line(", ".join(clean_line(p) for p in (session.room.name, event.place) if p)))
        lines = [clean_text(session.proposal.description)] if session.proposal.description else []
        fmt = get_format(session.format_slug)
        if fmt is not None:
            lines.append(_("Format : %(name)s (jauge %(jauge)s)", name=fmt.name, jauge=fmt.jauge))
        status = (statuses or {}).get(session.id)
        if status == "waiting":
            lines.append(_("Sur liste d'attente"))
            item.add("status", "TENTATIVE")
        else:
            item.add("status", "CONFIRMED")
        if lines:
            item.add("description", _text("\n".join(lines)))
        cal.add_component(item)
    return cal.to_ical()
