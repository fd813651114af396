"""The events API: create, read, change phase; ownership; error envelope; CSRF on pages."""
from __future__ import annotations

import re

import pytest

from barcamp import create_app
from barcamp.events.services import JOIN_CODE_ALPHABET
from barcamp.extensions import db
from tests.conftest import error_of


def test_create_event_returns_codes_and_urls(client, make_organiser):
    organiser = make_organiser()
    body = {"title": "Forum 2017", "place": "Nice", "description": "BarCamp", "themes": ["Numérique", "Usagers"],
            "starts_at": "2017-11-23T09:00:00+01:00", "voting": {"mode": "dots", "dots": 5, "max_per_proposal": 3}}

    response = client.post("/api/v1/events", json=body, headers=organiser["headers"])

    assert response.status_code == 201
    event = response.get_json()
    assert re.fullmatch(f"[{JOIN_CODE_ALPHABET}]{{6}}", event["join_code"])
    assert event["join_url"].endswith(f"/j/{event['join_code']}")
    assert "/projector/" in event["projector_url"]
    assert event["phase"] == "draft"
    assert "proposals" in event["next_phases"]
    assert event["voting"] == {"mode": "dots", "dots": 5, "max_per_proposal": 3}
    assert [t["name"] for t in event["themes"]] == ["Numérique", "Usagers"]
    assert (event["title"], event["place"], event["description"]) == ("Forum 2017", "Nice", "BarCamp")


def test_get_event_returns_what_was_created(client, make_organiser):
    organiser = make_organiser()
    created = client.post("/api/v1/events", json={"title": "Forum", "voting": {"mode": "majority"}},
                          headers=organiser["headers"]).get_json()

    response = client.get(f"/api/v1/events/{created['id']}", headers=organiser["headers"])

    assert response.status_code == 200
    assert response.get_json() == created


def test_get_event_as_participant_hides_the_projector_secret(client, make_event, make_participant):
    event = make_event()
    participant = make_participant(event)

    body = client.get(f"/api/v1/events/{event['id']}", headers=participant["headers"]).get_json()

    assert body["join_code"] == event["join_code"]
    assert "projector_url" not in body


def test_set_phase_walks_the_state_machine(client, make_event):
    event = make_event(phase="draft")
    headers = event["organiser"]["headers"]

    phases = [client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": p}, headers=headers)
              for p in ("proposals", "voting", "closed", "workshops")]

    assert [(r.status_code, r.get_json()["phase"]) for r in phases] == [
        (200, "proposals"), (200, "voting"), (200, "closed"), (200, "workshops")]
    assert phases[-2].get_json()["next_phases"] == ["workshops"]
    assert phases[-1].get_json()["next_phases"] == []


@pytest.mark.parametrize(("start", "target"), [("draft", "voting"), ("voting", "proposals"), ("closed", "voting")],
                         ids=["skip_proposals", "backwards", "reopen_closed"])
def test_set_phase_illegal_transition_is_409(client, make_event, start, target):
    event = make_event(phase=start)
    headers = event["organiser"]["headers"]

    response = client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": target}, headers=headers)

    assert error_of(response) == (409, "illegal_transition")
    assert client.get(f"/api/v1/events/{event['id']}", headers=headers).get_json()["phase"] == start


def test_set_phase_unknown_phase_is_422(client, make_event):
    event = make_event()

    response = client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "party"},
                          headers=event["organiser"]["headers"])

    assert error_of(response) == (422, "invalid_input")


# -- ownership ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("get", "", None), ("put", "/phase", {"phase": "voting"}), ("get", "/proposals", None),
     ("get", "/results", None), ("post", "/proposals", {"title": "Intrus"})],
    ids=["read", "change_phase", "list_topics", "results", "propose"],
)
def test_organiser_cannot_touch_another_organisers_forum(client, make_event, make_organiser, method, path, body):
    event = make_event(phase="proposals")
    intruder = make_organiser()

    response = getattr(client, method)(f"/api/v1/events/{event['id']}{path}", json=body, headers=intruder["headers"])

    assert error_of(response) == (403, "not_your_event")
    owner = event["organiser"]["headers"]
    assert client.get(f"/api/v1/events/{event['id']}", headers=owner).get_json()["phase"] == "proposals"
    assert client.get(f"/api/v1/events/{event['id']}/proposals", headers=owner).get_json() == {"proposals": []}


def test_get_unknown_event_is_404(client, make_organiser):
    response = client.get("/api/v1/events/999", headers=make_organiser()["headers"])

    assert error_of(response) == (404, "event_not_found")


# -- error envelope ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "content_type"),
    [("{not json", "application/json"), ("title=x", "text/plain"), ("", "application/json")],
    ids=["broken_json", "not_json", "empty_body"],
)
def test_bad_json_is_400_invalid_json(client, make_organiser, data, content_type):
    response = client.post("/api/v1/events", data=data, content_type=content_type,
                           headers=make_organiser()["headers"])

    assert error_of(response) == (400, "invalid_json")


def test_json_that_is_not_an_object_is_422(client, make_organiser):
    response = client.post("/api/v1/events", json=["Forum"], headers=make_organiser()["headers"])

    assert error_of(response) == (422, "invalid_input")


@pytest.mark.parametrize(
    "body",
    [{"title": ""}, {"title": "x" * 201}, {"voting": {"mode": "dots"}}, {"title": "F", "voting": {"mode": "ranked"}},
     {"title": "F", "colour": "red"}],
    ids=["empty_title", "title_too_long", "missing_title", "unknown_mode", "unknown_field"],
)
def test_create_event_schema_violation_is_422(client, make_organiser, body):
    response = client.post("/api/v1/events", json=body, headers=make_organiser()["headers"])

    assert error_of(response) == (422, "invalid_input")


def test_create_event_with_more_per_topic_than_the_budget_is_422_max_over_budget(client, make_organiser):
    body = {"title": "F", "voting": {"mode": "dots", "dots": 2, "max_per_proposal": 3}}

    response = client.post("/api/v1/events", json=body, headers=make_organiser()["headers"])

    # a rule no schema can state: its own code, with the field it concerns
    assert error_of(response) == (422, "max_over_budget")
    assert set(response.get_json()["error"]["details"]["fields"]) == {"voting"}


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nowhere")

    assert error_of(response) == (404, "not_found")


def test_wrong_method_is_json_405(client):
    response = client.delete("/api/v1/auth/token")

    assert error_of(response) == (405, "method_not_allowed")


def test_api_needs_no_csrf_token_even_when_csrf_is_on(tmp_path, make_organiser, app):
    csrf_app = create_app({**app.config, "WTF_CSRF_ENABLED": True})
    organiser = make_organiser()

    response = csrf_app.test_client().post("/api/v1/events", json={"title": "Sans CSRF"}, headers=organiser["headers"])

    assert response.status_code == 201
    csrf_app.extensions["barcamp_live"].stop()
    with csrf_app.app_context():
        db.engine.dispose()
