"""How a forum is shown: its public URLs and its JSON shape."""
from __future__ import annotations

from flask import current_app, has_request_context, url_for

from barcamp.events.enums import TRANSITIONS
from barcamp.events.models import Event
from barcamp.events.schemas import EventOut


def _external(endpoint: str, **values) -> str:
    base = current_app.config.get("PUBLIC_URL")
    if base or not has_request_context():
        with current_app.test_request_context(base_url=base or "http://127.0.0.1:5000"):
            return url_for(endpoint, _external=True, **values)
    return url_for(endpoint, _external=True, **values)


def join_url(event: Event) -> str:
    return _external("participants.join", code=event.join_code)


def projector_url(event: Event) -> str:
    return _external("events.projector", token=event.projector_token)


def event_out(event: Event) -> dict:
    return EventOut(
        id=event.id,
        title=event.title,
        starts_at=event.starts_at,
        place=event.place,
        description=event.description,
        phase=event.phase,
        join_code=event.join_code,
        join_url=join_url(event),
        voting={"mode": event.voting_mode, "dots": event.dots_budget, "max_per_proposal": event.max_per_proposal},
        themes=[{"id": t.id, "name": t.name} for t in event.themes],
        next_phases=list(TRANSITIONS[event.phase]),
    ).model_dump(mode="json")


def event_created_out(event: Event) -> dict:
    return {
        **event_out(event),
        "projector_url": projector_url(event),
        "qr_svg_url": _external("events.qr_code", event_id=event.id, fmt="svg"),
        "qr_png_url": _external("events.qr_code", event_id=event.id, fmt="png"),
    }
