"""Security fixtures: an app as in production (CSRF on, rate limits on) on the test database."""
from __future__ import annotations

import pytest

from barcamp import create_app
from barcamp.extensions import db


def _second_app(app, **overrides):
    other = create_app({**app.config, **overrides})
    return other


@pytest.fixture
def prod_app(app):
    """The test app's database, with CSRF protection and rate limits on, as in production."""
    secure = _second_app(app, WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True)
    yield secure
    secure.extensions["barcamp_live"].stop()
    with secure.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def prod_client(prod_app):
    return prod_app.test_client()


@pytest.fixture
def limited_app(app):
    """The test app with rate limits on (CSRF off, so forms post without tokens)."""
    limited = _second_app(app, RATELIMIT_ENABLED=True)
    yield limited
    limited.extensions["barcamp_live"].stop()
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def login(client, organiser) -> None:
    """Log an organiser in through the login form (CSRF off)."""
    response = client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]



@pytest.fixture
def set_phase(app):
    """Move a forum made by `make_event` on to a later phase."""

    def _set(event, phase: str) -> None:
        from barcamp.common.db import write_transaction
        from barcamp.events.models import Event
        from barcamp.events.services import transition_phase

        with app.app_context(), write_transaction():
            transition_phase(db.session.get(Event, event["id"]), phase)

    return _set
