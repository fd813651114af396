"""`barcamp db backup` (SQLite online backup) and `barcamp db copy --to` (SQLite → PostgreSQL)."""
from __future__ import annotations

import os
import sqlite3

import pytest
from sqlalchemy import create_engine, func, select, text

from barcamp import create_app
from barcamp.common.db import write_transaction
from barcamp.config import TestConfig
from barcamp.events.enums import Phase
from barcamp.events.models import Event
from barcamp.events.services import transition_phase
from barcamp.extensions import db
from barcamp.participants.services import join_event
from barcamp.proposals.models import Proposal
from barcamp.voting.actions import vote
from tests.conftest import barcamp
from tests.scaleout.conftest import reset_services, scaleout_urls

pytestmark = pytest.mark.scaleout


@pytest.fixture
def sqlite_forum(tmp_path):
    """A SQLite forum as `barcamp demo` leaves it, then in the vote with 6 voters: (env, app)."""
    url = f"sqlite:///{tmp_path / 'forum.sqlite3'}"
    env = {**os.environ, "BARCAMP_DATABASE_URL": url, "BARCAMP_SECRET_KEY": "copy-test"}
    env.pop("BARCAMP_REDIS_URL", None)
    barcamp("demo", env=env)
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    with app.app_context():
        event = db.session.scalar(select(Event))
        with write_transaction():
            transition_phase(event, Phase.VOTING)
        topics = db.session.scalars(select(Proposal.id).where(Proposal.event_id == event.id).order_by(Proposal.id)).all()
        for n in range(6):
            with write_transaction():
                participant, _token = join_event(event, f"Votant {n}", None)
            vote(event.id, participant.id, topics[n % len(topics)], 1)
            vote(event.id, participant.id, topics[(n + 1) % len(topics)], 2)
    yield env, app
    app.extensions["barcamp_live"].stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in db.metadata.sorted_tables}
    finally:
        engine.dispose()


def test_db_backup_copies_the_live_database_with_its_unmerged_wal(sqlite_forum, tmp_path):
    env, app = sqlite_forum
    source = env["BARCAMP_DATABASE_URL"].removeprefix("sqlite:///")
    with app.app_context():  # an open connection keeps recent commits in the WAL, not yet in the file
        db.session.execute(text("SELECT 1"))
        target = tmp_path / "backups" / "forum-copy.sqlite3"

        result = barcamp("db", "backup", str(target), env=env)

        assert f"backup written to {target}" in result.stdout
        assert "integrity ok" in result.stdout
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT count(*) FROM ballots").fetchone() == (12,)
        assert copy.execute("SELECT sum(value) FROM ballots").fetchone() == (18,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()
    assert table_counts(f"sqlite:///{target}") == table_counts(f"sqlite:///{source}")


def test_db_backup_refuses_to_overwrite_a_file(sqlite_forum, tmp_path):
    env, _app = sqlite_forum
    target = tmp_path / "existing.sqlite3"
    target.write_bytes(b"previous backup")

    result = barcamp("db", "backup", str(target), env=env, check=False)

    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert target.read_bytes() == b"previous backup"


def test_db_copy_moves_every_row_from_sqlite_to_postgresql(sqlite_forum):
    env, app = sqlite_forum
    database_url, redis_url = scaleout_urls()
    reset_services(database_url, redis_url)

    result = barcamp("db", "copy", "--to", database_url, env=env)

    assert "counts equal" in result.stdout
    source_counts = table_counts(env["BARCAMP_DATABASE_URL"])
    assert table_counts(database_url) == source_counts
    assert source_counts["ballots"] == 12 and source_counts["proposals"] == 4
    # the forum runs on PostgreSQL: same results, and new rows get fresh ids (sequences moved on)
    pg_config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    pg_app = create_app({**pg_config, "SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": None})
    try:
        with pg_app.app_context():
            event = db.session.scalar(select(Event))
            with write_transaction():
                participant, _token = join_event(event, "Après la copie", None)
            assert participant.id == source_counts["participants"] + 1
            from barcamp.voting.services import compute_results

            pg_results = compute_results(event)
        with app.app_context():
            assert compute_results(db.session.scalar(select(Event))) == pg_results
    finally:
        pg_app.extensions["barcamp_live"].stop()
        with pg_app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_db_copy_refuses_a_target_that_holds_rows(sqlite_forum):
    env, _app = sqlite_forum
    database_url, redis_url = scaleout_urls()
    reset_services(database_url, redis_url)
    barcamp("db", "copy", "--to", database_url, env=env)

    again = barcamp("db", "copy", "--to", database_url, env=env, check=False)

    assert again.returncode == 1
    assert "already holds rows" in again.stderr
    assert table_counts(database_url)["ballots"] == 12
