"""Health, SQLite online backup, and copying a forum database to another engine."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from flask import Flask
from sqlalchemy import Column, Engine, Table, create_engine, func, inspect, select, text

from barcamp.extensions import db

log = logging.getLogger(__name__)

#: rows read and written per statement while copying
COPY_BATCH = 1000


class CopyError(Exception):
    """The copy cannot start or did not produce the same rows (message for the operator)."""


def check_database() -> str | None:
    """None when the database answers, else what went wrong."""
    try:
        db.session.execute(text("SELECT 1"))
        return None
    except Exception as error:  # noqa: BLE001 - any failure means "unreachable" to a health check
        log.warning("health check: database unreachable: %s", error)
        return type(error).__name__
    finally:
        db.session.remove()


def check_redis(app: Flask) -> str | None:
    """None when Redis answers PING (or is not configured), else what went wrong."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    client = app.extensions.get("barcamp_ops_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        app.extensions["barcamp_ops_redis"] = client
    try:
        client.ping()
        return None
    except Exception as error:  # noqa: BLE001
        log.warning("health check: Redis unreachable: %s", error)
        return type(error).__name__


def backup_sqlite(engine: Engine, destination: Path) -> int:
    """Copy the live SQLite database into `destination` with SQLite's online backup API.

    Writers keep running: the backup restarts on pages they change and ends with a consistent
    snapshot. Return the number of pages copied.
    """
    if engine.dialect.name != "sqlite":
        raise CopyError("barcamp db backup copies a SQLite database; use pg_dump for PostgreSQL.")
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise CopyError("no SQLite file to back up")
    destination = Path(destination)
    if destination.exists():
        raise CopyError(f"{destination} already exists")
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(destination)
    try:
        with target:
            source.backup(target, pages=1024)
        pages = target.execute("PRAGMA page_count").fetchone()[0]
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise CopyError(f"{destination}: integrity check failed")
        return pages
    finally:
        target.close()
        source.close()


def migrate_target(url: str, migrations: str) -> None:
    """Create (or upgrade) the schema of the target database with our migrations."""
    from flask_migrate import Migrate, upgrade

    target_app = Flask("barcamp-copy-target")
    target_app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(target_app)
    Migrate(target_app, db, directory=migrations, render_as_batch=True)
    with target_app.app_context():
        upgrade()
        db.engine.dispose()


def copy_database(source: Engine, target_url: str) -> dict[str, int]:
    """Copy every table from `source` to an empty target at the same migration; return row counts.

    Tables go in foreign-key order, typed by the models, in one target transaction; PostgreSQL
    sequences are moved past the copied ids; the counts of both sides are compared before the
    commit, so a failed copy leaves the target empty.
    """
    target = create_engine(target_url)
    try:
        with source.connect() as src, target.begin() as dst:
            source_version, target_version = _schema_version(src), _schema_version(dst)
            if source_version != target_version:
                raise CopyError(f"the source database is at migration {source_version}, the target at "
                                f"{target_version}: run barcamp db upgrade on the source first")
            plan = _copy_plan(inspect(src), inspect(dst))
            for table, _columns in plan:
                if dst.execute(select(func.count()).select_from(table)).scalar_one():
                    raise CopyError(f"the target table {table.name} already holds rows: use an empty database")
            counts: dict[str, int] = {}
            for table, columns in plan:
                result = src.execution_options(yield_per=COPY_BATCH).execute(select(*columns))
                for rows in result.mappings().partitions(COPY_BATCH):
                    dst.execute(table.insert(), [dict(row) for row in rows])
                counts[table.name] = src.execute(select(func.count()).select_from(table)).scalar_one()
                copied = dst.execute(select(func.count()).select_from(table)).scalar_one()
                if copied != counts[table.name]:
                    raise CopyError(f"{table.name}: {counts[table.name]} rows in the source, {copied} copied")
            if dst.dialect.name == "postgresql":
                _reset_sequences(dst, [table for table, _columns in plan])
        return counts
    finally:
        target.dispose()


def _schema_version(connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _copy_plan(source, target) -> list[tuple[Table, list[Column]]]:
    """(model table, columns to copy) in foreign-key order; refuse anything that would be left behind."""
    source_tables = set(source.get_table_names()) - {"alembic_version"}
    known = {table.name for table in db.metadata.sorted_tables}
    unknown = sorted(source_tables - known)
    if unknown:
        raise CopyError("tables this version of barcamp does not know: " + ", ".join(unknown))
    plan = []
    for table in db.metadata.sorted_tables:
        if table.name not in source_tables:
            continue
        if not target.has_table(table.name):
            raise CopyError(f"the target has no table {table.name}")
        source_columns = {c["name"] for c in source.get_columns(table.name)}
        target_columns = {c["name"] for c in target.get_columns(table.name)}
        left = sorted(source_columns - target_columns)
        unmapped = sorted(source_columns - {c.name for c in table.columns})
        if left or unmapped:
            raise CopyError(f"{table.name}: columns that would not be copied: {', '.join(left + unmapped)}")
        plan.append((table, [c for c in table.columns if c.name in source_columns]))
    return plan


def _reset_sequences(connection, tables) -> None:
    """Move each serial id sequence past the highest copied id (the inserts gave explicit ids)."""
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                          {"t": table.name, "c": column.name}).scalar()
            if sequence:
                connection.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") '
                                        f'FROM "{table.name}"), 0) + 1, false)'), {"s": sequence})
