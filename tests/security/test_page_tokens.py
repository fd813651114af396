"""Tokens embedded in pages: one per organiser session, never cached; /metrics guarded on its own."""
from __future__ import annotations

import re

import pytest

from barcamp.accounts.identity import identity_from_token
from tests.security.conftest import login

TOKEN = re.compile(r'data-live-token="([^"]*)"')


def live_token(response) -> str:
    return TOKEN.search(response.get_data(as_text=True)).group(1)


@pytest.fixture
def organiser_pages(client, make_organiser, make_event):
    organiser = make_organiser()
    event = make_event(organiser=organiser)
    base = f"/organiser/events/{event['id']}"
    workshop = client.post(f"/api/v1/events/{event['id']}/workshops", json={"title": "Atelier mobilités"},
                           headers=organiser["headers"]).get_json()
    # the pages that open a live connection
    return organiser, event, [base, f"{base}/grille", f"{base}/workshops/{workshop['id']}"]


def test_organiser_pages_reuse_one_token_per_session(app, client, organiser_pages):
    organiser, _event, pages = organiser_pages
    login(client, organiser)

    tokens = [live_token(client.get(page)) for page in pages + pages]

    assert len(set(tokens)) == 1
    with app.test_request_context():
        identity = identity_from_token(tokens[0])
        assert (identity.kind, identity.organiser.id) == ("organiser", organiser["id"])


def test_a_new_session_gets_a_new_token_and_logout_revokes_the_old_one(app, client, organiser_pages):
    organiser, _event, pages = organiser_pages
    login(client, organiser)
    first = live_token(client.get(pages[0]))

    client.post("/organiser/logout")
    login(client, organiser)
    second = live_token(client.get(pages[0]))

    assert first != second
    with app.test_request_context():
        assert identity_from_token(first) is None
        assert identity_from_token(second) is not None


def test_pages_embedding_a_token_are_not_stored(client, organiser_pages, make_participant):
    organiser, event, pages = organiser_pages
    login(client, organiser)
    phone = client.application.test_client()
    camille = make_participant(event, name="Camille")
    with phone.session_transaction() as session:
        session["participants"] = {str(event["id"]): camille["token"]}

    answers = [client.get(page) for page in pages] + [phone.get(f"/e/{event['id']}")]

    assert [(r.status_code, r.headers.get("Cache-Control")) for r in answers] == [(200, "no-store")] * len(answers)
    assert all(live_token(r) for r in answers)


def test_pages_without_a_token_keep_their_caching(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "no-store" not in (response.headers.get("Cache-Control") or "")


# -- /metrics -------------------------------------------------------------------------------------------
def test_metrics_without_a_token_answer_loopback_only(client):
    local = client.get("/metrics")
    remote = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})

    assert local.status_code == 200 and b"barcamp_" in local.data
    assert (remote.status_code, proxied.status_code) == (403, 403)
    assert b"barcamp_" not in remote.data + proxied.data


@pytest.fixture
def metrics_token_client(app):
    from barcamp import create_app
    from barcamp.extensions import db

    guarded = create_app({**app.config, "METRICS_TOKEN": "s3cret-metrics-token-of-32-chars!"})
    yield guarded.test_client()
    guarded.extensions["barcamp_live"].stop()
    with guarded.app_context():
        db.engine.dispose()


def test_metrics_with_a_token_require_it_from_everywhere(metrics_token_client):
    client = metrics_token_client
    good = {"Authorization": "Bearer s3cret-metrics-token-of-32-chars!"}

    missing = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    remote_ok = client.get("/metrics", headers=good, environ_base={"REMOTE_ADDR": "203.0.113.7"})

    assert (missing.status_code, wrong.status_code) == (401, 401)
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert remote_ok.status_code == 200 and b"barcamp_" in remote_ok.data


def test_metrics_token_is_read_from_the_environment(monkeypatch, app):
    from barcamp import create_app
    from barcamp.extensions import db

    monkeypatch.setenv("BARCAMP_METRICS_TOKEN", "from-the-env")
    config = {k: v for k, v in app.config.items() if k != "METRICS_TOKEN"}
    other = create_app(config)
    try:
        assert other.config["METRICS_TOKEN"] == "from-the-env"
    finally:
        other.extensions["barcamp_live"].stop()
        with other.app_context():
            db.engine.dispose()
