"""Organiser tokens over the API."""
from __future__ import annotations

import pytest

from tests.conftest import error_of


def test_token_with_good_credentials_authenticates_the_api(client, make_organiser):
    organiser = make_organiser(email="ana@example.org", password="motdepasse-sûr")

    response = client.post("/api/v1/auth/token", json={"email": "ANA@example.org ", "password": "motdepasse-sûr"})

    assert response.status_code == 200
    token = response.get_json()["token"]
    assert token.startswith("o_")
    created = client.post("/api/v1/events", json={"title": "Forum"}, headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 201
    assert organiser["id"]


@pytest.mark.parametrize(
    "body",
    [{"email": "ana@example.org", "password": "mauvais-mot"}, {"email": "inconnu@example.org", "password": "x"}],
    ids=["wrong_password", "unknown_email"],
)
def test_token_with_bad_credentials_is_401(client, make_organiser, body):
    make_organiser(email="ana@example.org")

    response = client.post("/api/v1/auth/token", json=body)

    assert error_of(response) == (401, "bad_credentials")


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [({}, 401, "unauthorized"), ({"Authorization": "Bearer o_forged"}, 401, "unauthorized"),
     ({"Authorization": "Bearer p_unknown"}, 401, "unauthorized")],
    ids=["no_token", "forged_organiser_token", "unknown_participant_token"],
)
def test_create_event_without_valid_token_is_refused(client, headers, status, code):
    response = client.post("/api/v1/events", json={"title": "Forum"}, headers=headers)

    assert error_of(response) == (status, code)


def test_create_event_with_participant_token_is_forbidden(client, make_event, make_participant):
    participant = make_participant(make_event())

    response = client.post("/api/v1/events", json={"title": "Forum"}, headers=participant["headers"])

    assert error_of(response) == (403, "forbidden")
