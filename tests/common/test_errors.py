"""Cross-cutting behaviour: the OpenAPI document, CSRF on page forms, error pages without stack traces."""
from __future__ import annotations

import pytest

from barcamp import create_app
from barcamp.extensions import db


def test_openapi_documents_the_public_endpoints(client):
    doc = client.get("/api/v1/openapi.json").get_json()

    assert doc["openapi"] == "3.1.0"
    assert {"/api/v1/join", "/api/v1/auth/token", "/api/v1/events", "/api/v1/events/{event_id}/phase",
            "/api/v1/events/{event_id}/votes/{proposal_id}", "/api/v1/events/{event_id}/results"} <= set(doc["paths"])
    assert set(doc["paths"]["/api/v1/events/{event_id}/votes/{proposal_id}"]["put"]["responses"]) >= {
        "200", "401", "403", "409", "422"}


@pytest.fixture
def csrf_client(app):
    """A client of an app on the same database with CSRF protection on, as in production."""
    csrf_app = create_app({**app.config, "WTF_CSRF_ENABLED": True})
    yield csrf_app.test_client()
    csrf_app.extensions["barcamp_live"].stop()
    with csrf_app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_join_form_without_csrf_token_is_refused_and_changes_nothing(csrf_client, make_event, fresh_db):
    event = make_event()

    response = csrf_client.post(f"/j/{event['join_code']}", data={"name": "Sans jeton"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Le formulaire a expiré" in html
    assert "Traceback" not in html
    assert fresh_db("SELECT count(*) FROM participants") == [(0,)]


def test_vote_form_without_csrf_token_is_refused_and_changes_nothing(csrf_client, make_event, make_proposal,
                                                                    fresh_db):
    event = make_event(phase="voting")
    pid = make_proposal(event)
    join_page = csrf_client.get(f"/j/{event['join_code']}").get_data(as_text=True)
    token = join_page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    joined = csrf_client.post(f"/j/{event['join_code']}", data={"name": "Avec jeton", "csrf_token": token})
    assert joined.status_code == 302

    response = csrf_client.post(f"/e/{event['id']}/votes/{pid}", data={"value": "1"})

    assert response.status_code == 400
    assert fresh_db("SELECT count(*) FROM ballots") == [(0,)]


def test_bad_form_answers_a_page_with_the_error_not_a_stack_trace(client, make_event):
    make_event()

    response = client.post("/", data={"code": "X" * 40})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Traceback" not in html
    assert 'name="code"' in html
