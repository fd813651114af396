"""Fixtures of the workshops tests: a forum in the workshops phase with a workshop and members."""
from __future__ import annotations

import pytest

from barcamp.common.db import write_transaction
from barcamp.events.models import Event
from barcamp.events.services import transition_phase
from barcamp.extensions import db


@pytest.fixture(autouse=True)
def _drain_boards(request):
    """After each test, wait for a coalesced board read in progress: the next test drops the schema."""
    # asked for here, not after the test: this fixture's teardown then runs before the app's
    app = request.getfixturevalue("app") if "app" in request.fixturenames else None
    yield
    live = app.extensions["barcamp_live"] if app is not None else None
    if live is not None and hasattr(live, "boards"):
        live.boards.drain()


@pytest.fixture
def open_workshops(app):
    """Move a forum (made with make_event(phase="closed")) to the workshops phase."""

    def _open(event):
        with app.app_context(), write_transaction():
            transition_phase(db.session.get(Event, event["id"]), "workshops")

    return _open


@pytest.fixture
def board(client, make_event, make_participant, make_proposal, open_workshops):
    """A forum in the workshops phase with one topic, its workshop, and two participants."""
    event = make_event(phase="closed")
    topic = make_proposal(event, title="Le numérique pour tous")
    open_workshops(event)
    headers = event["organiser"]["headers"]
    workshop = client.post(f"/api/v1/events/{event['id']}/workshops",
                           json={"title": "Transition numérique", "proposal_ids": [topic]}, headers=headers)
    assert workshop.status_code == 201, workshop.get_json()
    return {"event": event, "organiser": headers, "workshop": workshop.get_json(), "topic": topic,
            "alice": make_participant(event, "Alice"), "bob": make_participant(event, "Bob")}
