"""Fixtures of the resources tests: content files to break, a forum with a topic and a workshop."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from barcamp.common.db import write_transaction
from barcamp.events.models import Event
from barcamp.events.services import transition_phase
from barcamp.extensions import db
from barcamp.resources.content import GLOSSARY_FILE, RESOURCES_DIR


@pytest.fixture
def content_copy(tmp_path) -> tuple[Path, Path]:
    """A writable copy of content/glossary.yaml and content/resources/."""
    glossary = tmp_path / "glossary.yaml"
    shutil.copy(GLOSSARY_FILE, glossary)
    resources = tmp_path / "resources"
    shutil.copytree(RESOURCES_DIR, resources)
    return glossary, resources


@pytest.fixture
def forum_with_workshop(app, client, make_event, make_proposal):
    """A forum in the workshops phase: one topic, gathered in one workshop."""
    event = make_event(phase="closed")
    topic = make_proposal(event, title="Ouvrir les données de la ville (open data)")
    with app.app_context(), write_transaction():
        transition_phase(db.session.get(Event, event["id"]), "workshops")
    headers = event["organiser"]["headers"]
    response = client.post(f"/api/v1/events/{event['id']}/workshops",
                           json={"title": "Données ouvertes", "proposal_ids": [topic]}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return {"event": event, "headers": headers, "topic": topic, "workshop": response.get_json()["id"]}
