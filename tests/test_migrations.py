"""The migration history builds exactly the schema the models declare."""
from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import barcamp.models  # noqa: F401 - every table, as create_app sees them
from barcamp.extensions import db
from tests.conftest import PG_URL, _database_url, barcamp, reset_postgres


def test_db_upgrade_on_empty_database_matches_the_models(tmp_path):
    if PG_URL:
        reset_postgres()
    url = _database_url(tmp_path)
    env = {**os.environ, "BARCAMP_DATABASE_URL": url, "BARCAMP_SECRET_KEY": "migrations-test"}

    result = barcamp("db", "upgrade", env=env)

    assert "database schema is up to date" in result.stdout
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert [change for change in diff] == []
    assert {"organisers", "events", "themes", "participants", "proposals", "ballots", "alembic_version"} <= tables


def test_db_upgrade_twice_is_harmless(tmp_path):
    if PG_URL:
        reset_postgres()
    env = {**os.environ, "BARCAMP_DATABASE_URL": _database_url(tmp_path), "BARCAMP_SECRET_KEY": "migrations-test"}
    barcamp("db", "upgrade", env=env)

    again = barcamp("db", "upgrade", env=env, check=False)

    assert again.returncode == 0, again.stderr
