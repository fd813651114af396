"""The purge runs by itself inside `barcamp run` (a background task), no cron needed."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import start_server, wait_for

pytestmark = pytest.mark.server


def test_barcamp_run_purges_expired_forums_by_itself(tmp_path):
    server = start_server(tmp_path, {"BARCAMP_PURGE_FIRST_DELAY": "0", "BARCAMP_PURGE_INTERVAL": "0.5"})
    engine = create_engine(server.env["BARCAMP_DATABASE_URL"])
    try:
        headers = {"Authorization": f"Bearer {server.organiser_token()}"}
        event = requests.post(f"{server.url}/api/v1/events", json={"title": "Forum ancien"}, headers=headers,
                              timeout=30).json()
        joined = requests.post(f"{server.url}/api/v1/join", json={"code": event["join_code"]}, timeout=30)
        assert joined.status_code == 201
        with engine.begin() as conn:  # the forum took place 13 months ago (retention: 12 months)
            conn.execute(text("UPDATE events SET created_at = :t WHERE id = :e"),
                         {"t": datetime.now(UTC) - timedelta(days=400), "e": event["id"]})

        def purged():
            with engine.connect() as conn:
                return conn.execute(text("SELECT purged_at IS NOT NULL FROM event_policies WHERE event_id = :e"),
                                    {"e": event["id"]}).scalar()

        assert wait_for(purged, timeout=30, interval=0.2)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM participants WHERE event_id = :e"),
                                {"e": event["id"]}).scalar() == 0
    finally:
        engine.dispose()
        server.stop()
