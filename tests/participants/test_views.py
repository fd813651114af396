"""Joining a forum: the API and the pages (code form, join page, resume on the same phone)."""
from __future__ import annotations

import re

import pytest

from tests.conftest import error_of


def test_join_returns_a_participant_token(client, make_event, fresh_db):
    event = make_event()

    response = client.post("/api/v1/join", json={"code": event["join_code"], "name": "Léa", "profile": "etudiant"})

    assert response.status_code == 201
    body = response.get_json()
    assert body["token"].startswith("p_")
    assert body["event_id"] == event["id"]
    assert fresh_db("SELECT id, display_name, profile FROM participants") == [
        (body["participant_id"], "Léa", "ETUDIANT")]


@pytest.mark.parametrize("transform", [str.lower, lambda c: f" {c[:3]}-{c[3:]} ".lower()],
                         ids=["lower_case", "spaced_and_dashed"])
def test_join_code_is_case_insensitive(client, make_event, transform):
    event = make_event()

    response = client.post("/api/v1/join", json={"code": transform(event["join_code"])})

    assert response.status_code == 201
    assert response.get_json()["event_id"] == event["id"]


def test_join_unknown_code_is_404(client, make_event, fresh_db):
    make_event()

    response = client.post("/api/v1/join", json={"code": "ZZZZZ9"})

    assert error_of(response) == (404, "unknown_code")
    assert fresh_db("SELECT count(*) FROM participants") == [(0,)]


@pytest.mark.parametrize("body", [{"code": "ABCDEF", "profile": "astronaute"}, {"code": ""}, {"name": "x"},
                                  {"code": "ABCDEF", "name": "x" * 61}],
                         ids=["unknown_profile", "empty_code", "missing_code", "name_too_long"])
def test_join_schema_violation_is_422(client, body):
    assert error_of(client.post("/api/v1/join", json=body)) == (422, "invalid_input")


def test_participant_token_is_valid_for_its_forum_only(client, make_event):
    forum_a, forum_b = make_event(), make_event()
    token = client.post("/api/v1/join", json={"code": forum_a["join_code"]}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    own = client.get(f"/api/v1/events/{forum_a['id']}", headers=headers)
    other = client.get(f"/api/v1/events/{forum_b['id']}", headers=headers)

    assert own.status_code == 200
    assert error_of(other) == (403, "not_in_event")


# -- pages ----------------------------------------------------------------------------------------
def _join_by_code_form(client, code: str):
    home = client.post("/", data={"code": code.lower()})
    assert home.status_code == 302
    join_page = client.get(home.headers["Location"])
    assert join_page.status_code == 200
    forum = client.post(home.headers["Location"], data={"name": "Maya", "profile": "agent_public"})
    assert forum.status_code == 302
    return home, forum


def test_code_form_leads_to_join_page_then_forum_page(client, make_event, fresh_db):
    event = make_event()

    home, forum = _join_by_code_form(client, event["join_code"])

    assert home.headers["Location"].endswith(f"/j/{event['join_code']}")
    assert forum.headers["Location"].endswith(f"/e/{event['id']}")
    page = client.get(forum.headers["Location"])
    assert page.status_code == 200
    assert "Forum de test" in page.get_data(as_text=True)
    assert fresh_db("SELECT display_name, profile FROM participants") == [("Maya", "AGENT_PUBLIC")]


def test_code_form_with_unknown_code_says_so(client, make_event):
    make_event()

    page = client.post("/", data={"code": "ZZZZZ9"})

    assert page.status_code == 200
    assert "Aucun forum ne correspond au code" in page.get_data(as_text=True)


def test_same_phone_coming_back_resumes_the_same_participant(client, make_event, fresh_db):
    event = make_event()
    _join_by_code_form(client, event["join_code"])

    again = client.get(f"/j/{event['join_code']}")

    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/e/{event['id']}")
    assert fresh_db("SELECT count(*) FROM participants") == [(1,)]


def test_another_phone_gets_its_own_participant(app, client, make_event, fresh_db):
    event = make_event()
    _join_by_code_form(client, event["join_code"])

    _join_by_code_form(app.test_client(), event["join_code"])

    assert fresh_db("SELECT count(*) FROM participants") == [(2,)]


def test_forum_page_without_joining_redirects_to_the_join_page(client, make_event):
    event = make_event()

    response = client.get(f"/e/{event['id']}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{event['join_code']}")


@pytest.mark.parametrize("path", ["/j/ZZZZZ9", "/e/999", "/nowhere"], ids=["unknown_code", "unknown_forum", "no_route"])
def test_missing_page_is_a_404_page_without_stack_trace(client, path):
    response = client.get(path)

    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Traceback" not in html and 'File "' not in html
    assert re.search(r"<html", html, re.I)
