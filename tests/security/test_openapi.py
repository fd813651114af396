"""The OpenAPI document says what the API does: schemas, query parameters, statuses, types, ids."""
from __future__ import annotations

import re

import pytest
from flask import Blueprint
from pydantic import BaseModel

from barcamp.common.api import OPERATIONS, api_route
from tests.conftest import error_of

OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


def component(doc, ref: dict) -> dict:
    return doc["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def test_topic_merge_and_card_merge_have_their_own_bodies(doc):
    topic = doc["paths"]["/api/v1/events/{event_id}/proposals/merge"]["post"]["requestBody"]["content"]
    card = doc["paths"]["/api/v1/workshops/{workshop_id}/cards/merge"]["post"]["requestBody"]["content"]

    topic_schema = component(doc, topic["application/json"]["schema"])
    card_schema = component(doc, card["application/json"]["schema"])

    assert {"proposal_ids", "into", "title"} <= set(topic_schema["properties"])
    assert "proposal_ids" not in card_schema["properties"]


def test_two_schemas_of_one_name_are_refused_at_declaration(app):
    class MergeIn(BaseModel):  # the name of the card merge's body, another class
        x: int

    with pytest.raises(TypeError, match="two API schemas are named MergeIn"):
        api_route(Blueprint("probe", __name__), "/probe", "POST", summary="probe", body=MergeIn)
    assert not any(op.path == "/api/v1/probe" for op in OPERATIONS)


def test_api_route_refuses_a_view_whose_auth_differs(app):
    from barcamp.accounts.identity import api_auth

    with pytest.raises(TypeError, match="differs"):
        @api_route(Blueprint("probe2", __name__), "/probe2", "GET", summary="probe", auth=("organiser",))
        @api_auth("organiser", "participant")
        def probe(identity):  # pragma: no cover - never registered
            return ""
    assert not any(op.path == "/api/v1/probe2" for op in OPERATIONS)


def test_query_parameters_are_documented(doc):
    def params(path, method="get"):
        return {p["name"]: p for p in doc["paths"][path][method].get("parameters", []) if p["in"] == "query"}

    export = params("/api/v1/events/{event_id}/export")
    assert export["format"]["required"] is True
    assert set(export["format"]["schema"]["enum"]) == {"md", "html", "pdf", "docx", "csv", "json"}
    assert set(params("/api/v1/events/{event_id}/similar")) == {"text", "threshold", "limit"}
    assert set(params("/api/v1/events/{event_id}/groups")) == {"threshold"}
    assert set(params("/api/v1/events/{event_id}/proposals")) == {"include_hidden"}
    assert set(params("/api/v1/resources")) == {"q", "section", "year", "event_id"}
    assert set(params("/api/v1/glossary")) == {"event_id"}


def test_export_without_format_is_a_400(client, make_event):
    event = make_event()

    response = client.get(f"/api/v1/events/{event['id']}/export", headers=event["organiser"]["headers"])

    assert error_of(response) == (400, "invalid_query")


def test_deleting_a_topic_documents_its_422_and_its_optional_body(doc):
    delete = doc["paths"]["/api/v1/events/{event_id}/proposals/{proposal_id}"]["delete"]

    assert "422" in delete["responses"]
    assert delete["requestBody"]["required"] is False
    assert "reason" in component(doc, delete["requestBody"]["content"]["application/json"]["schema"])["properties"]


def test_organiser_hiding_a_topic_without_reason_is_the_documented_422(client, make_event, make_proposal):
    event = make_event()
    pid = make_proposal(event)

    response = client.delete(f"/api/v1/events/{event['id']}/proposals/{pid}", headers=event["organiser"]["headers"])

    assert error_of(response) == (422, "reason_required")


@pytest.mark.parametrize(("url", "body"), [
    ("/api/v1/events", {"title": "Forum", "starts_at": 0}),
    ("/api/v1/events", {"title": "Forum", "starts_at": "5"}),
    ("/api/v1/events", {"title": "Forum", "starts_at": "1700000000"}),
    ("/api/v1/events", {"title": "Forum", "voting": {"dots": "3"}}),
], ids=["starts_at_integer", "starts_at_digit_string", "starts_at_epoch_string", "integer_as_string"])
def test_loose_values_are_refused(client, make_organiser, fresh_db, url, body):
    organiser = make_organiser()

    response = client.post(url, json=body, headers=organiser["headers"])

    assert error_of(response) == (422, "invalid_input")
    assert fresh_db("SELECT count(*) FROM events") == [(0,)]


def test_zero_is_no_boolean(client, make_event, make_proposal):
    event = make_event()
    pid = make_proposal(event)
    organiser = event["organiser"]["headers"]

    hide = client.patch(f"/api/v1/events/{event['id']}/proposals/{pid}", json={"hidden": 1, "reason": "x"},
                        headers=organiser)
    publish = client.put(f"/api/v1/events/{event['id']}/schedule/published", json={"published": 0},
                         headers=organiser)

    assert error_of(hide) == (422, "invalid_input")
    assert error_of(publish) == (422, "invalid_input")
    listed = client.get(f"/api/v1/events/{event['id']}/proposals", headers=organiser).get_json()["proposals"]
    assert [p["id"] for p in listed] == [pid]


def test_forum_start_is_a_local_time_with_its_offset(client, make_organiser):
    organiser = make_organiser()

    summer = client.post("/api/v1/events", json={"title": "Été", "starts_at": "2026-06-20T09:30:00"},
                         headers=organiser["headers"]).get_json()
    utc = client.post("/api/v1/events", json={"title": "UTC", "starts_at": "2026-12-01T08:00:00Z"},
                      headers=organiser["headers"]).get_json()
    read = client.get(f"/api/v1/events/{summer['id']}", headers=organiser["headers"]).get_json()

    assert summer["starts_at"] == read["starts_at"] == "2026-06-20T09:30:00+02:00"
    assert utc["starts_at"] == "2026-12-01T09:00:00+01:00"


def test_card_times_carry_their_offset(client, make_event, make_participant):
    event = make_event(phase="proposals")
    organiser = event["organiser"]["headers"]
    workshop = client.post(f"/api/v1/events/{event['id']}/workshops", json={"title": "Atelier"},
                           headers=organiser).get_json()

    created = client.post(f"/api/v1/workshops/{workshop['id']}/cards", json={"section": "constat", "text": "Idée"},
                          headers=organiser)

    # read back from the database (the creation answers with the object still in memory)
    board = client.get(f"/api/v1/workshops/{workshop['id']}", headers=organiser).get_json()
    cards = [card for section in board["sections"] for card in section["cards"]]
    assert created.status_code == 201 and len(cards) == 1
    assert OFFSET.search(cards[0]["created_at"]) and OFFSET.search(cards[0]["updated_at"]), cards[0]


@pytest.mark.parametrize(("create", "body", "delete"), [
    ("resources", {"title": "Guide des tiers-lieux"}, "resources/{id}"),
    ("glossary", {"term": "Tiers-lieu", "definition": "Un lieu de rencontre."}, "glossary/{id}"),
], ids=["resource", "glossary_term"])
def test_the_id_a_creation_returns_is_the_id_deletion_takes(client, make_event, create, body, delete):
    event = make_event()
    organiser = event["organiser"]["headers"]
    base = f"/api/v1/events/{event['id']}"

    created = client.post(f"{base}/{create}", json=body, headers=organiser)
    key = created.get_json().get("id") or created.get_json().get("slug")
    deleted = client.delete(f"{base}/{delete.format(id=key)}", headers=organiser)
    again = client.delete(f"{base}/{delete.format(id=key)}", headers=organiser)

    assert created.status_code == 201 and key.startswith("forum-")
    assert deleted.status_code == 204
    assert error_of(again)[0] == 404


def test_documented_export_formats_are_the_exporters():
    from barcamp.restitution.exports import FORMATS
    from barcamp.restitution.schemas import EXPORT_FORMATS

    assert EXPORT_FORMATS == tuple(FORMATS)
