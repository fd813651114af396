"""Shared fixtures: a fresh app and database per test, builders, and a real server subprocess.

Set BARCAMP_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run
the whole suite on PostgreSQL; by default each test gets its own SQLite file.
"""
from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from barcamp import create_app
from barcamp.accounts.identity import issue_organiser_token
from barcamp.accounts.services import create_organiser
from barcamp.common.db import write_transaction
from barcamp.config import TestConfig
from barcamp.events.schemas import EventCreate
from barcamp.events.services import create_event, transition_phase
from barcamp.extensions import db, socketio
from barcamp.participants.services import join_event
from tests import workers
from tests.pg import drop_schema, empty_schema, migrated_database

ROOT = Path(__file__).resolve().parent.parent
#: this xdist worker's own databases (tests/workers.py)
PG_URL = workers.database_url(os.environ.get("BARCAMP_TEST_DATABASE_URL"))
#: a Redis database the tests may flush: the app under test then uses it as its message queue
REDIS_URL = workers.redis_url(os.environ.get("BARCAMP_TEST_REDIS_URL"))


def reset_redis() -> None:
    """Empty the test Redis database (versions, coalescing marks, last bodies)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    client.close()


def _database_url(tmp_path: Path) -> str:
    return PG_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"


def reset_postgres() -> None:
    """Empty the PostgreSQL test database (tables and Alembic's version table)."""
    drop_schema(PG_URL)


@pytest.fixture
def app(tmp_path):
    if REDIS_URL:
        reset_redis()
    # No message queue here even with BARCAMP_TEST_REDIS_URL: Flask-SocketIO's test client refuses
    # one. The real `barcamp run` servers (start_server, browser tests, tests/scaleout) use Redis.
    app = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path)})

    def create_tables():
        with app.app_context():
            db.create_all()
            db.engine.dispose()

    if PG_URL:
        empty_schema(PG_URL, create_tables)  # a TRUNCATE when the last test's schema is still there
    else:
        create_tables()
    yield app
    app.extensions["barcamp_live"].stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _config_dict() -> dict:
    return {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}


@pytest.fixture
def ctx(app):
    """An application context, for calling services directly."""
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_organiser(app):
    counter = iter(range(1, 10_000))

    def _make(email: str | None = None, password: str = "motdepasse-sûr"):
        with app.app_context():
            with write_transaction():
                organiser = create_organiser(email or f"orga{next(counter)}@example.org", password)
            token = issue_organiser_token(organiser)
            # read the columns while the session is open (the commit expired them)
            return {"id": organiser.id, "email": organiser.email, "password": password, "token": token,
                    "headers": {"Authorization": f"Bearer {token}"}}

    return _make


@pytest.fixture
def make_event(app, make_organiser):
    """Create a forum (default: dots 3/2, proposals phase) and return its id, code and owner."""

    def _make(organiser=None, phase: str = "proposals", **data):
        organiser = organiser or make_organiser()
        data.setdefault("title", "Forum de test")
        with app.app_context():
            with write_transaction():
                event = create_event(organiser["id"], EventCreate(**data))
            path = {"draft": [], "proposals": ["proposals"], "voting": ["proposals", "voting"],
                    "closed": ["proposals", "voting", "closed"]}[phase]
            for step in path:
                with write_transaction():
                    transition_phase(event, step)
            return {"id": event.id, "join_code": event.join_code, "projector_token": event.projector_token,
                    "organiser": organiser}

    return _make


@pytest.fixture
def make_participant(app):
    def _make(event, name: str = "", profile=None):
        from barcamp.events.models import Event

        with app.app_context():
            with write_transaction():
                participant, token = join_event(db.session.get(Event, event["id"]), name, profile)
            return {"id": participant.id, "token": token, "headers": {"Authorization": f"Bearer {token}"}}

    return _make


@pytest.fixture
def socket_client(app):
    """Open Flask-SocketIO test clients on /live with a token; closed after the test."""
    clients = []

    def _open(token: str | None):
        auth = {"token": token} if token is not None else None
        sc = socketio.test_client(app, namespace="/live", auth=auth)
        clients.append(sc)
        return sc

    yield _open
    for sc in clients:
        if sc.is_connected("/live"):
            sc.disconnect(namespace="/live")


def hang_up(sio) -> None:
    """Disconnect a python-socketio client at once.

    python-engineio's reader thread takes the server's close frame, and websocket-client's
    `close` then waits its default 3 s for one more: not a wait any phone makes.
    """
    ws = getattr(sio.eio, "ws", None)
    if ws is not None:
        close = ws.close
        ws.close = lambda *args, **kwargs: close(timeout=0.2)
    sio.disconnect()


# -- a real `barcamp run` subprocess ------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    port: int
    env: dict
    process: subprocess.Popen
    organiser_email: str
    organiser_password: str

    def organiser_token(self) -> str:
        r = requests.post(f"{self.url}/api/v1/auth/token",
                          json={"email": self.organiser_email, "password": self.organiser_password}, timeout=10)
        r.raise_for_status()
        return r.json()["token"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def api(server, method: str, path: str, token: str, **kw):
    """Call a live server's JSON API with a bearer token; raise on an error status."""
    r = requests.request(method, f"{server.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"},
                         timeout=10, **kw)
    r.raise_for_status()
    return r.json() if r.content else None


def barcamp(*args: str, env: dict, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "barcamp.entrypoint", *args], env=env, input=input, text=True,
                          capture_output=True, check=check, cwd=ROOT, timeout=120)


def _migrate_with_organiser(env: dict) -> None:
    """`barcamp db upgrade` then `barcamp organiser create`, as a newcomer would, on env's database."""
    barcamp("db", "upgrade", env=env)
    barcamp("organiser", "create", "server@example.org", env=env, input="motdepasse-serveur\n")


#: a SQLite file migrated to head with the test organiser, made once per test session by the
#: real commands; each live server starts on a copy (two subprocesses fewer per server)
_sqlite_template: list[Path] = []


def _copy_migrated_sqlite(target: Path, env: dict) -> None:
    if not _sqlite_template:
        _migrate_with_organiser(env)
        connection = sqlite3.connect(target)
        try:  # everything in the main file, nothing left in the WAL
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        template = Path(tempfile.mkdtemp(prefix="barcamp-template-")) / "template.sqlite3"
        shutil.copyfile(target, template)
        _sqlite_template.append(template)
        return
    shutil.copyfile(_sqlite_template[0], target)


def start_server(tmp_path: Path, extra_env: dict | None = None) -> LiveServer:
    """Migrate a fresh database, create an organiser, start `barcamp run` and wait until it answers."""
    port = free_port()
    env = {**os.environ, "BARCAMP_DATABASE_URL": _database_url(tmp_path), "BARCAMP_SECRET_KEY": "server-test",
           "BARCAMP_PUBLIC_URL": f"http://127.0.0.1:{port}", **(extra_env or {})}
    if "BARCAMP_REDIS_URL" not in (extra_env or {}):
        env.pop("BARCAMP_REDIS_URL", None)
        if REDIS_URL:
            env["BARCAMP_REDIS_URL"] = REDIS_URL
            reset_redis()
    if PG_URL:
        migrated_database(PG_URL, lambda: _migrate_with_organiser(env))
    else:
        _copy_migrated_sqlite(tmp_path / "test.sqlite3", env)
    process = subprocess.Popen([sys.executable, "-m", "barcamp.entrypoint", "run", "--port", str(port)], env=env,
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "server.log", "w"))
    server = LiveServer(f"http://127.0.0.1:{port}", port, env, process, "server@example.org", "motdepasse-serveur")
    server.log_path = tmp_path / "server.log"  # what the server logged (tests read it for tracebacks)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("barcamp run exited: " + (tmp_path / "server.log").read_text()[-2000:])
        try:
            requests.get(server.url + "/api/v1/openapi.json", timeout=1)
            return server
        except requests.ConnectionError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("barcamp run did not answer within 30 s")


@pytest.fixture
def cli_env(tmp_path):
    """The environment of a `barcamp` command on an empty database (no schema)."""
    if PG_URL:
        reset_postgres()
    env = {**os.environ, "BARCAMP_DATABASE_URL": _database_url(tmp_path), "BARCAMP_SECRET_KEY": "cli-test"}
    env.pop("BARCAMP_REDIS_URL", None)
    env.pop("BARCAMP_PUBLIC_URL", None)
    return env


@pytest.fixture
def live_server(tmp_path):
    server = start_server(tmp_path)
    yield server
    server.stop()


# -- helpers added for the back-end suite ---------------------------------------------------------
@pytest.fixture
def make_proposal(app):
    """Create a visible topic in a forum (by a participant, or seeded by the organiser when None)."""
    counter = iter(range(1, 10_000))

    def _make(event, participant=None, title: str | None = None, **data) -> int:
        from barcamp.events.models import Event
        from barcamp.proposals.schemas import ProposalCreate
        from barcamp.proposals.services import create_proposal

        with app.app_context(), write_transaction():
            ev = db.session.get(Event, event["id"])
            # Seed as the organiser (allowed in any phase), then credit the author if there is one.
            proposal = create_proposal(ev, None, ProposalCreate(title=title or f"Sujet {next(counter)}", **data))
            if participant:
                proposal.author_id = participant["id"]
            db.session.flush()
            return proposal.id

    return _make


@pytest.fixture
def fresh_db(app):
    """Run SQL on a brand-new connection: what another process would see after a commit."""

    def _query(sql: str, **params) -> list[tuple]:
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql), params)]
        finally:
            engine.dispose()

    return _query


def wait_for(predicate, timeout: float = 5.0, interval: float = 0.02):
    """Poll until predicate() is truthy and return its value; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


def error_of(response) -> tuple[int, str]:
    """(status, error code) of an API error response, checking the error envelope's shape."""
    body = response.get_json() if hasattr(response, "get_json") else response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    assert body["error"]["message"], body
    return response.status_code, body["error"]["code"]


def fire_concurrently(calls, workers: int = 10):
    """Run the callables from `workers` threads released at once; return their results in order."""
    results = [None] * len(calls)
    start = threading.Barrier(workers)
    queue = list(enumerate(calls))
    lock = threading.Lock()

    def worker():
        start.wait()
        while True:
            with lock:
                if not queue:
                    return
                index, call = queue.pop()
            results[index] = call()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


# -- headless Chromium (Debian's package, never a downloaded browser) ------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # the product speaks French first: pages follow Accept-Language, so browser tests
                 # that look for French labels ask for French (a test may open an English context)
                 "--lang=fr-FR", "--accept-lang=fr-FR,fr"]


@pytest.fixture
def browser():
    """A Chromium browser; skipped where Chromium is missing, except in CI where it must be there."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)")
        pytest.skip("Debian's Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
