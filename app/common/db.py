"""Database set-up and the one way to run a unit of work that writes."""
from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy import types as sqltypes
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Engine

from barcamp.extensions import db

#: set while a write unit of work runs: SQLite then opens its transaction with BEGIN IMMEDIATE
_writing: contextvars.ContextVar[bool] = contextvars.ContextVar("barcamp_writing", default=False)
#: serialises SQLite writers of this process; a gevent-aware lock once gevent has patched threading
_sqlite_write_lock = threading.RLock()


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


class _SQLiteUtcDateTime(sqlite.DATETIME):
    """SQLite's DATETIME for `DateTime(timezone=True)` columns, made to behave as PostgreSQL's timestamptz.

    SQLite has no time zones: SQLAlchemy wrote an aware value's wall-clock digits and dropped its
    offset, and handed every value back naive, so the API sent times without an offset (a card's
    `created_at`) and a value written with +02:00 came back two hours off. Written: converted to
    UTC; read: marked UTC. Columns without `timezone=True` are left as they are.
    """

    def bind_processor(self, dialect):
        process = super().bind_processor(dialect)
        if not self.timezone:
            return process

        def to_utc(value):
            if value is not None and getattr(value, "tzinfo", None) is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            return process(value) if process else value

        return to_utc

    def result_processor(self, dialect, coltype):
        process = super().result_processor(dialect, coltype)
        if not self.timezone:
            return process

        def as_utc(value):
            value = process(value) if process else value
            return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

        return as_utc


def configure_engine(engine: Engine, synchronous: str = "FULL") -> None:
    """Make SQLite durable and concurrent: WAL, a busy timeout, foreign keys, explicit BEGIN.

    synchronous (Config.SQLITE_SYNCHRONOUS): FULL in WAL mode fsyncs the log at every commit, so an
    acknowledged write survives a power loss as well as an application crash (kill -9); NORMAL
    survives an application crash, but on a power loss the last transactions before the loss may be
    rolled back (never corrupted). benchmarks/crash_votes.py measures the cost; docs/security.md.
    """
    if engine.dialect.name != "sqlite":
        return
    # this engine's dialect only (an instance attribute), before any statement is compiled
    engine.dialect.colspecs = {**engine.dialect.colspecs, sqltypes.DateTime: _SQLiteUtcDateTime}
    if synchronous not in ("NORMAL", "FULL", "EXTRA"):
        raise ValueError(f"SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA, not {synchronous!r}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run a unit of work that writes, then commit it once (or roll it back).

    On SQLite the writers of this process take turns on a lock *before* the transaction starts:
    a greenlet blocked in SQLite's busy handler would otherwise stall the whole gevent loop while
    the lock holder can never run. The transaction starts with BEGIN IMMEDIATE so that the reads
    it makes (a budget check) and its writes see one consistent state.
    On PostgreSQL, services lock the rows they depend on (SELECT … FOR UPDATE).
    """
    session = db.session()  # the scoped session's current Session
    # Close any read transaction first: a snapshot taken before the lock could be stale.
    if session.in_transaction():
        session.commit()
    sqlite = is_sqlite()
    if sqlite:
        _sqlite_write_lock.acquire()
    token = _writing.set(True)
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _writing.reset(token)
        if sqlite:
            _sqlite_write_lock.release()
