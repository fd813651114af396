"""Quiz fixtures: a forum in the icebreaker phase, with its quiz and mode."""
from __future__ import annotations

import pytest

from barcamp.common.db import write_transaction
from barcamp.events.models import Event
from barcamp.events.services import transition_phase
from barcamp.extensions import db
from barcamp.quiz.enums import QuizMode
from barcamp.quiz.services import configure


@pytest.fixture
def make_quiz_event(app, make_event):
    """Create a forum, set its quiz and mode in draft, then open the icebreaker."""

    def _make(quiz: str = "style-innovation", mode: str = "self_paced", countdown: int | None = None, **data):
        event = make_event(phase="draft", quiz=quiz, **data)
        with app.app_context():
            ev = db.session.get(Event, event["id"])
            with write_transaction():
                configure(ev, mode=QuizMode(mode), countdown=countdown)
            with write_transaction():
                transition_phase(ev, "icebreaker")
        return event

    return _make


@pytest.fixture
def control(client):
    """Step a live quiz as its organiser through the API; return the new state."""

    def _control(event, action: str, **extra):
        r = client.post(f"/api/v1/events/{event['id']}/quiz/control", json={"action": action, **extra},
                        headers=event["organiser"]["headers"])
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    return _control
