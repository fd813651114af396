"""The PostgreSQL test database, made fresh cheaply.

Dropping and re-creating some forty tables before each test, and migrating with two real
commands before each live server, made the PostgreSQL pass spend most of its time on DDL. Here:

- `empty_schema`: when the public schema is exactly the one made for the previous test (same
  tables and columns), its tables are emptied with one TRUNCATE (identities restarted); any other
  schema (a migration test, a scale-out cluster, a downgrade) is dropped and `create` builds anew.
- `migrated_database`: the first live server of the session migrates the database with the real
  commands (`barcamp db upgrade`, `barcamp organiser create`); that database is kept as a
  template, and every later server starts on a copy of it (CREATE DATABASE … TEMPLATE).
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import create_engine, make_url, text

#: one string per column of the public schema: a schema is "the same" when this is unchanged
_FINGERPRINT = text("""
    SELECT md5(coalesce(string_agg(table_name || '.' || column_name || ':' || data_type || ':' || is_nullable,
                                   ',' ORDER BY table_name, column_name), ''))
    FROM information_schema.columns WHERE table_schema = 'public'
""")

#: the fingerprint of the schema `create` made last (empty: none made this session)
_made: list[str] = []
#: the template database holding a migrated copy, once made
_template: list[str] = []


def drop_schema(url: str) -> None:
    """Empty the database: its public schema dropped and created again (tables, types, Alembic's table)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    _made.clear()


def empty_schema(url: str, create: Callable[[], None]) -> None:
    """Leave the database with the models' tables, all empty: TRUNCATE if the schema is the last one made."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if _made and conn.execute(_FINGERPRINT).scalar() == _made[0]:
                tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
                names = ", ".join(f'"{name}"' for name in tables)
                if names:
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                return
    finally:
        engine.dispose()
    drop_schema(url)
    create()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _made[:] = [conn.execute(_FINGERPRINT).scalar()]
    finally:
        engine.dispose()


def _admin(url: str):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _terminate(conn, database: str) -> None:
    conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": database})


def migrated_database(url: str, migrate: Callable[[], None]) -> None:
    """Make the database of `url` a migrated one: by `migrate` the first time, then as a copy of that."""
    database = make_url(url).database
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            if not _template:
                drop_schema(url)
                migrate()
                template = f"{database}_migrated"
                _terminate(conn, database)
                conn.execute(text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{template}" TEMPLATE "{database}"'))
                _template.append(template)
                return
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{database}" TEMPLATE "{_template[0]}"'))
    finally:
        admin.dispose()
    _made.clear()
