"""Several pytest-xdist workers side by side: each its own PostgreSQL database and Redis database.

The suite empties its databases between tests, so two workers must never share one. Worker `gw0`
(or a run without xdist) uses the URLs as given; worker `gwN` uses the database `<name>_gwN`
(created if missing) and the Redis database N below the one given (15 → 14 for gw1).
"""
from __future__ import annotations

import os

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
INDEX = int(WORKER[2:]) if WORKER.startswith("gw") and WORKER[2:].isdigit() else 0


def database_url(url: str | None) -> str | None:
    """This worker's PostgreSQL database (created if missing); SQLite and worker 0 as given."""
    if not url or not url.startswith("postgresql") or INDEX == 0:
        return url
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url)
    name = f"{base.database}_{WORKER}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def redis_url(url: str | None) -> str | None:
    """This worker's Redis database: the given one's number minus the worker's index."""
    if not url or INDEX == 0:
        return url
    head, _, number = url.rstrip("/").rpartition("/")
    if not number.isdigit() or int(number) < INDEX:
        raise RuntimeError(f"{url}: give a Redis database numbered at least {INDEX} to run {INDEX + 1} workers")
    return f"{head}/{int(number) - INDEX}"
