"""/healthz and /metrics in process (no PostgreSQL or Redis needed: unreachable ones are the point)."""
from __future__ import annotations

import pytest

from barcamp import create_app
from barcamp.config import TestConfig
from barcamp.extensions import db
from tests.conftest import free_port


def build(tmp_path, **config):
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    settings.update({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'ops.sqlite3'}", "REDIS_URL": None}, **config)
    return create_app(settings)


@pytest.fixture
def make_app(tmp_path):
    built = []

    def _make(**config):
        app = build(tmp_path, **config)
        built.append(app)
        return app

    yield _make
    for app in built:
        app.extensions["barcamp_live"].stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_healthz_without_redis_checks_only_the_database(make_app):
    response = make_app().test_client().get("/healthz")

    assert (response.status_code, response.get_json()) == (200, {"status": "ok", "checks": {"database": "ok"}})


def test_healthz_names_an_unreachable_redis_with_503(make_app):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "checks": {"database": "ok", "redis": "failed"},
                                   "errors": {"redis": "ConnectionError"}}


def test_healthz_names_an_unreachable_database_with_503(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/absent")

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    body = response.get_json()
    assert (body["status"], body["checks"]) == ("unavailable", {"database": "failed"})
    assert body["errors"]["database"] == "OperationalError"
    assert "127.0.0.1" not in response.get_data(as_text=True)  # details go to the log, not the caller


def test_metrics_count_database_errors_in_prometheus_text(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/absent")
    client = app.test_client()

    def db_errors() -> float:
        lines = client.get("/metrics").get_data(as_text=True).splitlines()
        return sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith("barcamp_db_errors_total{"))

    before = db_errors()
    client.get("/healthz")
    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    assert db_errors() == before + 1
    text = response.get_data(as_text=True)
    assert "# TYPE barcamp_ack_latency_seconds histogram" in text
    assert "# TYPE barcamp_connected_clients gauge" in text
