"""The participant's edit page of a topic: its author only, and only while the topic is visible."""
from __future__ import annotations

import pytest

from barcamp.common.db import write_transaction
from barcamp.extensions import db
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal


@pytest.fixture
def forum(make_event, make_participant, make_proposal):
    event = make_event(phase="proposals")
    lea, marc = make_participant(event, name="Léa"), make_participant(event, name="Marc")
    pid = make_proposal(event, lea, title="Le secret de Léa", description="Texte privé de Léa")
    return event, lea, marc, pid


def as_phone(client, event, participant):
    """Make the test client the participant's phone (the session cookie holds their token)."""
    with client.session_transaction() as session:
        session["participants"] = {str(event["id"]): participant["token"]}


def set_status(app, pid, status):
    with app.app_context(), write_transaction():
        db.session.get(Proposal, pid).status = status


def page(event, pid):
    return f"/e/{event['id']}/proposals/{pid}/edit"


def test_edit_page_shows_the_author_their_visible_topic(client, forum):
    event, lea, _, pid = forum
    as_phone(client, event, lea)

    response = client.get(page(event, pid))

    assert response.status_code == 200
    assert "Texte privé de Léa" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_edit_page_of_someone_elses_topic_is_404(client, forum, method):
    event, _, marc, pid = forum
    as_phone(client, event, marc)

    response = getattr(client, method)(page(event, pid), data={"title": "Détourné"})

    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "Le secret de Léa" not in text and "Texte privé de Léa" not in text


@pytest.mark.parametrize("status", [ProposalStatus.HIDDEN, ProposalStatus.WITHDRAWN, ProposalStatus.MERGED],
                         ids=["hidden", "withdrawn", "merged"])
def test_edit_page_of_an_invisible_topic_is_404_even_for_its_author(app, client, forum, status):
    event, lea, _, pid = forum
    set_status(app, pid, status)
    as_phone(client, event, lea)

    response = client.get(page(event, pid))

    assert response.status_code == 404
    assert "Texte privé de Léa" not in response.get_data(as_text=True)


def test_edit_page_of_a_missing_topic_answers_like_someone_elses(client, forum):
    event, lea, marc, pid = forum
    as_phone(client, event, marc)
    not_theirs = client.get(page(event, pid))

    missing = client.get(page(event, pid + 1000))

    assert (missing.status_code, not_theirs.status_code) == (404, 404)
