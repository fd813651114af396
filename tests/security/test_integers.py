"""Integers no database column holds (found by the fuzzers on PostgreSQL): refused, never a 500."""
from __future__ import annotations

import pytest

from barcamp.realtime import NAMESPACE as NS
from tests.conftest import error_of

HUGE = 2**64  # past PostgreSQL's INTEGER and SQLite's 64-bit integers alike


@pytest.mark.parametrize("path", [f"/api/v1/events/{HUGE}", f"/api/v1/events/{{event}}/proposals/{HUGE}/trail",
                                  f"/e/{HUGE}", f"/organiser/events/{HUGE}"],
                         ids=["api_event", "api_proposal", "page_forum", "page_dashboard"])
def test_a_huge_id_in_the_url_is_a_404(client, make_event, path):
    event = make_event()
    response = client.get(path.format(event=event["id"]), headers=event["organiser"]["headers"])
    assert response.status_code == 404


def test_a_huge_integer_in_a_json_body_is_a_422(client, make_event, make_participant):
    event = make_event()
    person = make_participant(event)
    response = client.post(f"/api/v1/events/{event['id']}/proposals", json={"title": "Sujet", "theme_id": HUGE},
                           headers=person["headers"])
    assert error_of(response) == (422, "invalid_input")
    assert response.get_json()["error"]["details"] == {"fields": {"theme_id": "out of range"}}


@pytest.mark.parametrize("event_name,payload", [("join", {"event_id": HUGE}), ("vote", {"proposal_id": HUGE, "value": 1}),
                                                 ("sync", {"event_id": -HUGE})], ids=["join", "vote", "sync"])
def test_a_huge_integer_in_a_socket_payload_is_refused_in_the_ack(socket_client, make_event, make_participant,
                                                                  event_name, payload):
    event = make_event()
    sc = socket_client(make_participant(event)["token"])
    ack = sc.emit(event_name, payload, namespace=NS, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_input", ack
