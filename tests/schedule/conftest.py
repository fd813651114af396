"""Grid fixtures: a closed forum with rooms, slots, ranked topics and votes, built through the API."""
from __future__ import annotations

import pytest

from barcamp.common.db import write_transaction
from barcamp.events.models import Event
from barcamp.events.services import transition_phase
from barcamp.extensions import db
from barcamp.voting.services import record_ballot


@pytest.fixture
def api(client):
    """Call the API and check the status; return the JSON body."""

    def _call(method, url, headers, expect=200, **kw):
        r = client.open(url, method=method, headers=headers, **kw)
        assert r.status_code == expect, (r.status_code, r.get_data(as_text=True))
        return r.get_json()

    return _call


@pytest.fixture
def make_forum(app, api, make_event, make_participant, make_proposal):
    """A forum whose vote is closed: rooms, slots, topics (title -> id) and voters' ballots.

    votes: {voter name: {topic title: dots}}; authors: {topic title: voter name}.
    """

    def _make(rooms=(("Grande salle", 40), ("Petite salle", 10)), slots=(("09:00", "10:00"), ("10:30", "11:30")),
              topics=("Alpha", "Beta", "Gamma", "Delta"), votes=None, authors=None, dots=3):
        event = make_event(phase="voting", voting={"mode": "dots", "dots": dots, "max_per_proposal": dots})
        org = event["organiser"]["headers"]
        people = {}
        for name in {*(votes or {}), *((authors or {}).values())}:
            people[name] = make_participant(event, name=name)
        ids = {t: make_proposal(event, people.get((authors or {}).get(t)), title=t) for t in topics}
        with app.app_context():
            for name, ballot in (votes or {}).items():
                for title, value in ballot.items():
                    with write_transaction():
                        record_ballot(event["id"], people[name]["id"], ids[title], value)
            with write_transaction():
                transition_phase(db.session.get(Event, event["id"]), "closed")
        base = f"/api/v1/events/{event['id']}"
        room_ids = {n: api("POST", f"{base}/rooms", org, 201, json={"name": n, "capacity": c})["id"]
                    for n, c in rooms}
        slot_ids = [api("POST", f"{base}/slots", org, 201,
                        json={"starts_at": f"2026-11-24T{a}:00", "ends_at": f"2026-11-24T{b}:00"})["id"]
                    for a, b in slots]
        return {**event, "base": base, "org": org, "rooms": room_ids, "slots": slot_ids, "topics": ids,
                "people": people}

    return _make


def by_topic(grid: dict, forum: dict) -> dict[str, dict]:
    """The grid's sessions keyed by topic title."""
    names = {v: k for k, v in forum["topics"].items()}
    return {names[s["proposal_id"]]: s for s in grid["sessions"]}
