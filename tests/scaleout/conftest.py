"""Several real `barcamp run` workers on one PostgreSQL database and one Redis.

The tests need PostgreSQL and Redis: BARCAMP_TEST_DATABASE_URL (a postgresql+psycopg URL) and
BARCAMP_TEST_REDIS_URL (a Redis database the tests may flush). Outside CI they are skipped when
either is missing; in CI (the CI variable is set) they fall back to the services .ci/run starts
and fail when those do not answer.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
import requests
import socketio
from sqlalchemy import create_engine, text

from tests import workers
from tests.conftest import ROOT, barcamp, free_port, hang_up

NS = "/live"
CI_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"  # as in .ci/run
CI_REDIS_URL = "redis://127.0.0.1:6379/15"  # as in .ci/run


def scaleout_urls() -> tuple[str, str]:
    """This xdist worker's PostgreSQL and Redis databases (tests/workers.py)."""
    database = os.environ.get("BARCAMP_TEST_DATABASE_URL", "")
    redis_url = os.environ.get("BARCAMP_TEST_REDIS_URL", "")
    if os.environ.get("CI"):
        database, redis_url = (database if database.startswith("postgresql") else CI_DATABASE_URL,
                               redis_url or CI_REDIS_URL)
    elif not database.startswith("postgresql") or not redis_url:
        pytest.skip("needs BARCAMP_TEST_DATABASE_URL (PostgreSQL) and BARCAMP_TEST_REDIS_URL")
    return workers.database_url(database), workers.redis_url(redis_url)


def reset_services(database_url: str, redis_url: str) -> None:
    """Empty the test PostgreSQL schema and the test Redis database."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()


@dataclass
class Worker:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """N workers sharing a database and a Redis, as behind nginx (each test talks to one directly)."""

    env: dict
    workdir: Path
    workers: list[Worker] = field(default_factory=list)
    email: str = "cluster@example.org"
    password: str = "motdepasse-cluster"

    def spawn_worker(self) -> Worker:
        port = free_port()
        log = self.workdir / f"worker-{port}.log"
        process = subprocess.Popen([sys.executable, "-m", "barcamp.entrypoint", "run", "--port", str(port)],
                                   env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
        return Worker(port, process, log)

    def start_worker(self, worker: Worker | None = None) -> Worker:
        """Start a worker (or wait for one spawned already) until it answers; fail after 60 s."""
        worker = worker or self.spawn_worker()
        process, log = worker.process, worker.log
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("barcamp run exited: " + log.read_text()[-2000:])
            try:
                requests.get(worker.url + "/healthz", timeout=5)
                self.workers.append(worker)
                return worker
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        process.kill()
        raise RuntimeError("barcamp run did not answer within 60 s")

    def kill(self, worker: Worker) -> None:
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait(timeout=10)

    def stop(self) -> None:
        for worker in self.workers:
            if worker.process.poll() is None:
                worker.process.terminate()
        for worker in self.workers:
            try:
                worker.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()

    def barcamp(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return barcamp(*args, env=self.env, input=input)

    def db(self, sql: str, **params) -> list[tuple]:
        engine = create_engine(self.env["BARCAMP_DATABASE_URL"])
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql), params)]
        finally:
            engine.dispose()


def start_cluster(workdir: Path, count: int) -> Cluster:
    database_url, redis_url = scaleout_urls()
    reset_services(database_url, redis_url)
    env = {**os.environ, "BARCAMP_DATABASE_URL": database_url, "BARCAMP_REDIS_URL": redis_url,
           "BARCAMP_SECRET_KEY": "cluster-test", "BARCAMP_JOIN_RATE_LIMIT": "10000 per minute"}
    env.pop("BARCAMP_WORKER_LABEL", None)
    cluster = Cluster(env, workdir)
    cluster.barcamp("db", "upgrade")
    cluster.barcamp("organiser", "create", cluster.email, input=cluster.password + "\n")
    spawned = [cluster.spawn_worker() for _ in range(count)]  # they boot side by side
    try:
        for worker in spawned:
            cluster.start_worker(worker)
    except Exception:
        for worker in spawned:
            if worker.process.poll() is None:
                worker.process.kill()
        raise
    return cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Three workers for the module; each test builds its own forum."""
    running = start_cluster(tmp_path_factory.mktemp("cluster"), 3)
    yield running
    running.stop()


class Forum:
    """A forum created through worker 0's API (any worker would do: they share the database)."""

    def __init__(self, cluster: Cluster, voting=None, topics=3):
        self.cluster = cluster
        self.url = cluster.workers[0].url
        r = requests.post(f"{self.url}/api/v1/auth/token", json={"email": cluster.email, "password": cluster.password},
                          timeout=10)
        r.raise_for_status()
        self.organiser = {"Authorization": f"Bearer {r.json()['token']}"}
        created = self.api("post", "/events", json={"title": "Forum multi-processus", "voting": voting or {"mode": "dots"}},
                           headers=self.organiser, expect=201)
        self.id, self.code = created["id"], created["join_code"]
        self.projector_token = "v_" + created["projector_url"].rstrip("/").rsplit("/", 1)[-1]
        self.set_phase("proposals")
        self.topics = [self.api("post", f"/events/{self.id}/proposals", json={"title": f"Sujet {i}"},
                                headers=self.organiser, expect=201)["id"] for i in range(topics)]
        self.set_phase("voting")

    def api(self, method, path, expect=200, url=None, **kw):
        response = getattr(requests, method)(f"{url or self.url}/api/v1{path}", timeout=30, **kw)
        assert response.status_code == expect, response.text
        return response.json() if response.content else None

    def set_phase(self, phase, url=None):
        self.api("put", f"/events/{self.id}/phase", json={"phase": phase}, headers=self.organiser, url=url)

    def join(self):
        body = self.api("post", "/join", json={"code": self.code}, expect=201)
        return {**body, "headers": {"Authorization": f"Bearer {body['token']}"}}

    def results(self):
        return self.api("get", f"/events/{self.id}/results", headers=self.organiser)


class LiveClient:
    """A python-socketio client of one worker, recording every message with its version."""

    def __init__(self, worker: Worker, token: str, event_id: int):
        self.messages: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.event_id = event_id
        self.sio = socketio.Client(reconnection=False)
        for name in ("tally", "proposal", "phase", "quiz", "board", "schedule"):
            self.sio.on(name, self._recorder(name), namespace=NS)
        self.sio.connect(worker.url, namespaces=[NS], auth={"token": token}, transports=["websocket"],
                         wait_timeout=10)
        ack = self.call("join", {"event_id": event_id})
        assert ack["ok"] is True, ack
        self.state = ack["state"]

    def _recorder(self, name):
        def record(payload):
            with self.lock:
                self.messages.append((name, payload))
        return record

    def named(self, name):
        with self.lock:
            return [payload for n, payload in self.messages if n == name]

    def versions(self) -> list[int]:
        with self.lock:
            return [payload["version"] for _n, payload in self.messages]

    def messages_of_sequence(self) -> list[dict]:
        """The forum's own messages (not tally/quiz streams nor workshop boards), in arrival order."""
        with self.lock:
            return [payload for name, payload in self.messages
                    if "stream" not in payload and "event_id" in payload]

    def call(self, event, payload, timeout=10):
        return self.sio.call(event, payload, namespace=NS, timeout=timeout)

    def close(self):
        if self.sio.connected:
            hang_up(self.sio)


@pytest.fixture
def live_clients():
    opened: list[LiveClient] = []

    def _open(worker, token, event_id):
        client = LiveClient(worker, token, event_id)
        opened.append(client)
        return client

    yield _open
    # python-socketio's client takes a moment to hang up: close them side by side
    closers = [threading.Thread(target=client.close) for client in opened]
    for closer in closers:
        closer.start()
    for closer in closers:
        closer.join(timeout=30)


def score(tally: dict) -> dict[int, int]:
    return {entry["proposal_id"]: entry["score"] for entry in tally["ranking"]}
