"""Measure a live dot vote: N participants on one forum over Socket.IO, one `barcamp run` process.

    python benchmarks/live_votes.py --participants 1000 [--topics 60] [--seconds 10] [--processes 3]
                                    [--no-join-storm] [--reconnect-storm 0.5] [--database-url URL] [--json]
    python benchmarks/live_votes.py --participants 1000 --workers 3 \
        --database-url postgresql+psycopg://… --redis-url redis://127.0.0.1:6379/5
    benchmarks/matrix.sh            # phones {1000, 3000} x topics {12, 60, 150}: a markdown table

With --workers N (and --redis-url), N `barcamp run` processes share the database and Redis (the
Socket.IO message queue): participant i talks to worker i mod N, the projector to the last worker,
so every tally it sees crossed the queue. The figures then add each worker's RSS and the Redis
commands and PUBLISHes per acknowledged vote (from INFO commandstats; the Redis database should be
a throw-away one: it is flushed first).

What it does, all on 127.0.0.1:
1. migrates a fresh SQLite database in a temporary folder (or the --database-url one, which it
   empties first: use a throw-away database), creates an organiser (password on stdin) and starts
   `barcamp run` on a free port with BARCAMP_JOIN_RATE_LIMIT raised, so that N phones joining
   from one address are not refused (the default, 600 per minute, stays for real venues);
2. gets an organiser token (POST /api/v1/auth/token), creates a forum in dots mode (3 dots, at
   most 2 per topic) with --topics topics (default 60; a 55-character title and a 280-character
   description each, proposed by as many participants, every third one with a co-proposer:
   benchmarks/_forum.py) and opens the vote;
3. spreads the N participants over several client processes (each an asyncio loop): each joins
   with the code (POST /api/v1/join) and connects to /live with its token (WebSocket only);
4. the join storm (default): once every phone of every process is connected, all emit `join` at
   the same instant, as after a Wi-Fi blip; each join is timed from its emit to its ack. The
   server's CPU seconds over the storm are divided by the joins. --no-join-storm: each phone
   joins as soon as it is connected, 32 at a time per process (the former, staggered joins);
5. after --settle seconds, each phone spends its 3 dots in 2 or 3 `vote` calls placed uniformly
   at random in the voting window, each awaiting its acknowledgement;
6. the reconnect storm (--reconnect-storm FRACTION, default 0.5; 0 disables): in the middle of the
   window that fraction of the phones drop their WebSocket at one instant (no goodbye), reconnect
   at once and join again (full state), then go on voting; a vote whose ack was lost with the
   connection, or that fell due while the phone was offline, is sent once it has joined again (a
   vote is an absolute value: sending it twice is harmless), so "lost" and "duplicated" stay exact;
7. a projector client (token v_<projector token>) listens for `tally` messages; the final tally
   is the first whose dots add up to every acknowledged dot;
8. prints join ack p50/p95/p99/max (timeouts counted as +infinity, never dropped) and the time
   from the first join to the last ack, the reconnect joins apart, vote ack latency, the delay
   from the last acknowledgement to the final tally, each beside the server's own figure from
   its /metrics histograms (barcamp_ack_latency_seconds by event; "not exported" when the server
   does not time that event), acknowledged votes, ballots stored in the database, lost and
   duplicated votes, the server's CPU per join and its peak resident memory (every 100 ms).

Every wait is bounded; the server is stopped at the end whatever happens.

The simulated phones are, by default, the lean client of benchmarks/_phones.py (it decodes only
its own small acknowledgements, not the others' broadcasts nor its own big join state; --client
socketio for python-socketio's, without the reconnect storm). On the 2-core machine, pin the
server and the phones to separate cores (--server-cpus 0 --client-cpus 1) so that the load
generator's queueing is not counted as the server's. BENCH_DUMP=file.json writes every vote
(sent at, latency) and every tally the projector heard, to look at when the slow ones happened.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # app.realtime.deltas
from _forum import (NOT_CONNECTED, Phone, add_topics, connect_and_join, http_join_all,  # noqa: E402
                    latency_summary, reconnect_records, reconnect_storm, reconnect_summary)

TOPICS = 60
DOTS = 3
MAX_PER_TOPIC = 2
PASSWORD = "mot-de-passe-banc-essai"
EMAIL = "bench@example.org"


# -- helpers -----------------------------------------------------------------------------------
def raise_open_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def barcamp(*args: str, env: dict, stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "barcamp.entrypoint", *args], env=env, input=stdin, text=True,
                   capture_output=True, check=True, cwd=ROOT, timeout=120)


def plan_votes(rng: random.Random, proposal_ids: list[int]) -> list[tuple[int, int]]:
    """Spend the 3 dots: three topics at 1, or one at 2 and another at 1 (values are absolute)."""
    if rng.random() < 0.5:
        return [(pid, 1) for pid in rng.sample(proposal_ids, 3)]
    first, second = rng.sample(proposal_ids, 2)
    return [(first, 2), (second, 1)]


# -- the client processes ----------------------------------------------------------------------
async def phones_session(urls, code, event_id, count, seed, conn, client_kind, join_storm: bool,
                         join_timeout: float) -> tuple[list[Phone], dict, asyncio.Future | None]:
    """A client process's phones, joined, and the plan of the window: (phones, plan, storm task).

    The pipe protocol with the main process (join_phase, then the window): ("connected", n) and
    the storm's instant back (join storm only); ("joined", join records); the plan back:
    {"start_at", "reconnect_at", "reconnect_fraction"}, the same for every process."""
    # engine.io clients log "packet queue is empty" as an error when they hang up: not a failure
    import logging

    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    loop = asyncio.get_running_loop()
    urls = [urls] if isinstance(urls, str) else urls

    # 1. join with the code (bounded concurrency, like people scanning the QR code)
    infos = await http_join_all(urls[0], code, count, urls, seed)

    # 2. connect over WebSocket; enter the forum's room all at once (join storm) or one by one
    phones = [Phone(info, event_id, client_kind, join_timeout) for info in infos]

    async def storm_at(connected: int) -> float:
        conn.send(("connected", connected))
        return await loop.run_in_executor(None, conn.recv)  # the same instant for every process

    phones, joins = await connect_and_join(phones, storm_at if join_storm else None)
    conn.send(("joined", joins))
    plan = await loop.run_in_executor(None, conn.recv)
    storm = None
    if plan["reconnect_fraction"] > 0:
        storm = asyncio.ensure_future(reconnect_storm(phones, plan["reconnect_fraction"], plan["reconnect_at"],
                                                      random.Random(seed + 7)))
    return phones, plan, storm


async def phones_report(phones: list[Phone], storm, conn, kind: str, results: list) -> None:
    """Wait for the reconnect storm, send the results, hang up when the main process says so."""
    loop = asyncio.get_running_loop()
    if storm is not None:  # bounded: a phone still reconnecting after 180 s is reported as it stands
        await asyncio.wait([storm], timeout=180)
        storm.cancel()
    conn.send((kind, {"results": results, "reconnects": reconnect_records(phones)}))
    await loop.run_in_executor(None, conn.recv)  # the main process has its final figures: hang up
    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)


async def _worker_main(urls, code, event_id, proposal_ids, count, seed, seconds, conn, client_kind,
                       join_storm: bool = True, join_timeout: float = 30) -> None:
    rng = random.Random(seed)
    phones, plan, storm = await phones_session(urls, code, event_id, count, seed, conn, client_kind, join_storm,
                                               join_timeout)
    start_at = plan["start_at"]

    # 3. vote: each participant's votes at uniform random moments of the window, one after the other
    # (participant_id, proposal_id, value, ok, sent_at, latency, ack_at, error, attempts, tapped_at, waited)
    results: list[tuple] = []

    async def vote_one(phone: Phone):
        plan = plan_votes(rng, proposal_ids)
        moments = sorted(rng.uniform(0, seconds) for _ in plan)
        for (proposal_id, value), moment in zip(plan, moments):
            delay = start_at + moment - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            r = await phone.send("vote", {"proposal_id": proposal_id, "value": value}, timeout=60)
            ok = r["error"] is None
            latency = r["latency"] if ok else time.time() - r["sent"]
            results.append((phone.id, proposal_id, value, ok, r["sent"], latency, r["sent"] + latency,
                            None if ok else r["error"], r["attempts"], r["tapped"], r["waited"]))

    await asyncio.gather(*(vote_one(p) for p in phones))
    await phones_report(phones, storm, conn, "votes", results)


def worker(urls, code, event_id, proposal_ids, count, seed, seconds, conn, client_nice: int = 0,
           client_kind: str = "lean", cpus: list[int] | None = None, join_storm: bool = True,
           join_timeout: float = 30) -> None:
    raise_open_file_limit()
    if client_nice:
        os.nice(client_nice)  # the simulated phones yield to the server, as real phones are other devices
    if cpus:
        os.sched_setaffinity(0, cpus)
    try:
        asyncio.run(_worker_main(urls, code, event_id, proposal_ids, count, seed, seconds, conn, client_kind,
                                 join_storm, join_timeout))
    except Exception as exc:  # noqa: BLE001 - report it to the main process instead of hanging it
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))


# -- the projector -----------------------------------------------------------------------------
class Projector:
    """A projector screen in a thread of the main process, recording every tally it receives."""

    def __init__(self, url: str, token: str, event_id: int) -> None:
        self.url, self.token, self.event_id = url, token, event_id
        self.tallies: list[tuple[float, int]] = []  # (received at, total dots)
        self.ready = threading.Event()
        self.done = threading.Event()
        self.error: str | None = None
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        import socketio

        from barcamp.realtime.deltas import TallyFollower  # tallies come as deltas: applied as live.js does

        client = socketio.AsyncClient(reconnection=False)
        follower = TallyFollower()

        def record(shown):
            self.tallies.append((time.time(), sum(entry["score"] for entry in shown["ranking"])))

        @client.on("tally", namespace="/live")
        def on_tally(message):
            shown = follower.receive(message)
            if shown is not None:
                record(shown)

        try:
            await client.connect(self.url, namespaces=["/live"], transports=["websocket"],
                                 auth={"token": self.token}, wait_timeout=30)
            ack = await client.call("join", {"event_id": self.event_id}, namespace="/live", timeout=30)
            if not ack.get("ok"):
                raise RuntimeError(f"projector join refused: {ack}")
            for shown in follower.start(ack["state"]):
                record(shown)
        except Exception as exc:  # noqa: BLE001
            self.error = f"{type(exc).__name__}: {exc}"
            self.ready.set()
            return
        self.ready.set()
        while not self.done.is_set():
            await asyncio.sleep(0.05)
        await client.disconnect()

    def start(self) -> None:
        self.thread.start()
        if not self.ready.wait(30) or self.error:
            raise RuntimeError(f"projector did not connect: {self.error}")

    def final_tally_at(self, expected_total: int) -> float | None:
        for received, total in list(self.tallies):
            if total == expected_total:
                return received
        return None


class PeakRss:
    """Sample the server's resident memory every 100 ms; keep the peak."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.wait(0.1):
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return

    def stop(self) -> int:
        self.stopped.set()
        self.thread.join(timeout=2)
        return self.peak


# -- the forum ---------------------------------------------------------------------------------
def start_server(workdir: Path, database_url: str | None, participants: int,
                 redis_url: str | None = None, lift_limits: bool = True) -> tuple[subprocess.Popen, str, dict]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "BARCAMP_DATABASE_URL": database_url or f"sqlite:///{workdir / 'barcamp.sqlite3'}",
        "BARCAMP_SECRET_KEY": "benchmark-secret",
        "BARCAMP_PUBLIC_URL": url,
        # every simulated phone joins from 127.0.0.1: lift the per-address join limit for the run
        # (the phones, the topics' authors, the flooders)
        "BARCAMP_JOIN_RATE_LIMIT": f"{max(600, participants * 2 + 1000)} per minute",
        # the quiz's forum gets its topics from the organiser, more than 20 in a minute
        "BARCAMP_PROPOSAL_RATE_LIMIT": "10000 per minute",
    }
    if not lift_limits:  # the limits as shipped (benchmarks/venue_joins.py measures them)
        del env["BARCAMP_JOIN_RATE_LIMIT"], env["BARCAMP_PROPOSAL_RATE_LIMIT"]
    env.pop("BARCAMP_REDIS_URL", None)
    if redis_url:
        import redis

        env["BARCAMP_REDIS_URL"] = redis_url
        redis.Redis.from_url(redis_url).flushdb()
    if database_url:
        _empty_database(database_url)
    barcamp("db", "upgrade", env=env)
    barcamp("organiser", "create", EMAIL, env=env, stdin=PASSWORD + "\n")
    server = start_worker(workdir, env, port, "server.log")
    return server, url, env


def start_worker(workdir: Path, env: dict, port: int, log_name: str) -> subprocess.Popen:
    """Start one `barcamp run` on `port` and wait until it answers."""
    url = f"http://127.0.0.1:{port}"
    log = open(workdir / log_name, "w")
    server = subprocess.Popen([sys.executable, "-m", "barcamp.entrypoint", "run", "--port", str(port)], env=env,
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("barcamp run exited: " + (workdir / log_name).read_text()[-2000:])
        try:
            requests.get(url + "/api/v1/openapi.json", timeout=5)
            return server
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("barcamp run did not answer within 30 s")


def redis_command_counts(redis_url: str | None) -> dict[str, int]:
    """Calls per command since the Redis server started (INFO commandstats), and the total."""
    if not redis_url:
        return {}
    import redis

    stats = redis.Redis.from_url(redis_url).info("commandstats")
    counts = {name.removeprefix("cmdstat_"): value["calls"] for name, value in stats.items()}
    counts["total"] = sum(counts.values())
    return counts


def _empty_database(database_url: str) -> None:
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(database_url)
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()


def create_forum(url: str, topics: int = TOPICS) -> dict:
    api = url + "/api/v1"
    r = requests.post(api + "/auth/token", json={"email": EMAIL, "password": PASSWORD}, timeout=10)
    r.raise_for_status()
    headers = {"Authorization": "Bearer " + r.json()["token"]}
    r = requests.post(api + "/events", headers=headers, timeout=10, json={
        "title": "Banc d'essai : vote en direct",
        "voting": {"mode": "dots", "dots": DOTS, "max_per_proposal": MAX_PER_TOPIC},
    })
    r.raise_for_status()
    event = r.json()
    requests.put(f"{api}/events/{event['id']}/phase", headers=headers, json={"phase": "proposals"},
                 timeout=10).raise_for_status()
    proposal_ids = add_topics(url, event["id"], headers, event["join_code"], topics)
    requests.put(f"{api}/events/{event['id']}/phase", headers=headers, json={"phase": "voting"},
                 timeout=10).raise_for_status()
    projector_token = [part for part in urlparse(event["projector_url"]).path.split("/") if part][-1]
    return {"id": event["id"], "code": event["join_code"], "proposal_ids": proposal_ids,
            "projector_token": "v_" + projector_token, "headers": headers}


def stored_ballots(database_url: str, event_id: int) -> list[tuple[int, int, int]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT participant_id, proposal_id, value FROM ballots WHERE event_id = :e"),
                                  {"e": event_id}).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def server_ack_buckets(url: str, metric: str = "barcamp_ack_latency_seconds", label: str = 'event="vote"'
                       ) -> dict[float, int]:
    """Cumulative counts of a server histogram (upper bound in seconds -> count): by default vote acks."""
    text = requests.get(url + "/metrics", timeout=30).text
    buckets: dict[float, int] = {}
    for line in text.splitlines():
        if line.startswith(metric + "_bucket") and label in line:
            bound = line.split('le="', 1)[1].split('"', 1)[0]
            buckets[float(bound)] = buckets.get(float(bound), 0) + int(float(line.rsplit(" ", 1)[1]))
    return buckets


def histograms(urls: list[str], labels: tuple[str, ...] = ('event="vote"', 'event="join"'),
               metric: str = "barcamp_ack_latency_seconds") -> dict[str, dict[float, int]]:
    """The buckets of each label, summed over the workers."""
    summed: dict[str, dict[float, int]] = {}
    for label in labels:
        total: dict[float, int] = {}
        for u in urls:
            for bound, count in server_ack_buckets(u, metric, label).items():
                total[bound] = total.get(bound, 0) + count
        summed[label] = total
    return summed


def histogram_delta(after: dict[float, int], before: dict[float, int]) -> dict[float, int]:
    return {bound: count - before.get(bound, 0) for bound, count in after.items()}


def bucket_percentile(buckets: dict[float, int], p: float) -> float | str | None:
    """The upper bound (ms) of the histogram bucket holding the p-th percentile; past the last
    finite bound, ">" that bound (a string); None without observations."""
    total = buckets.get(float("inf"), 0)
    if not total:
        return None
    for bound in sorted(buckets):
        if buckets[bound] >= total * p / 100:
            if bound == float("inf"):
                finite = [b for b in buckets if b != float("inf")]
                return f">{max(finite) * 1000:g}" if finite else None
            return bound * 1000
    return None


def le(value) -> str:
    """A histogram bucket bound for print: "<= 25.0", ">10000" as is, "-" for none."""
    if value is None:
        return "-"
    return value if isinstance(value, str) else f"<= {value:g}"


# -- the join phase ----------------------------------------------------------------------------
def join_phase(pipes, receive, urls: list[str], servers: list[subprocess.Popen], join_storm: bool,
               join_timeout: float, setup_started: float, before_joins) -> dict:
    """Let the client processes connect and join; measure the storm from the server's side too.

    Join storm: every process reports ("connected", n), `before_joins()` runs (the projector
    connects: the storm is the phones'), then every process gets one wall-clock instant at which
    all its phones emit `join`, and reports ("joined", records). The server processes' CPU
    seconds are read at that instant and after the last process reported. Staggered: the
    processes connect and join at once and report ("joined", records)."""
    server_processes = [psutil.Process(proc.pid) for proc in servers]

    def server_cpu_seconds() -> float:
        return sum(sum(proc.cpu_times()[:2]) for proc in server_processes)

    joins: list[dict] = []
    storm_cpu = storm_wall = idle_cpu = None
    if join_storm:
        connected = sum(receive(pipe, 300)[1] for pipe in pipes)
        setup_seconds = time.monotonic() - setup_started
        before_joins()
        hist_before = histograms(urls, ('event="join"',))['event="join"']
        print(f"{connected} participants connected in {setup_seconds:.1f} s; join storm", file=sys.stderr, flush=True)
        storm_at = time.time() + 1.0
        for pipe in pipes:
            pipe.send(storm_at)
        idle_before, idle_wall = server_cpu_seconds(), time.monotonic()
        time.sleep(max(0.0, storm_at - time.time()))
        cpu_before, wall_before = server_cpu_seconds(), time.monotonic()
        # what the server burns with everyone connected and nobody talking (ticks, pings): the storm's baseline
        idle_cpu = (cpu_before - idle_before) / max(1e-3, wall_before - idle_wall)
        for pipe in pipes:
            joins.extend(receive(pipe, join_timeout + 120)[1])
        storm_cpu = server_cpu_seconds() - cpu_before
        storm_wall = time.monotonic() - wall_before
    else:
        hist_before = histograms(urls, ('event="join"',))['event="join"']
        for pipe in pipes:
            joins.extend(receive(pipe, 300 + join_timeout)[1])
        connected = sum(1 for j in joins if j["error"] != NOT_CONNECTED)
        setup_seconds = time.monotonic() - setup_started
        before_joins()
    hist = histogram_delta(histograms(urls, ('event="join"',))['event="join"'], hist_before)
    return {"connected": connected, "setup_seconds": setup_seconds, "joins": joins, "join_storm": join_storm,
            "join_hist": hist, "storm_cpu": storm_cpu, "storm_wall": storm_wall, "idle_cpu": idle_cpu}


def join_figures(phase: dict) -> dict:
    joins, hist, storm_cpu, storm_wall = phase["joins"], phase["join_hist"], phase["storm_cpu"], phase["storm_wall"]
    sizes = [j["bytes"] for j in joins if j.get("bytes")]
    summary = latency_summary(joins, "join")
    emitted = summary["join_sent"]
    return {
        **summary,
        # live.js gives up on a join after 8 s and asks again 3 s later: more load, not modelled here
        "joins_over_8s": sum(1 for j in joins if j["timed_out"] or (j["latency"] or 0) > 8),
        "join_ack_kb_median": round(statistics.median(sizes) / 1024, 1) if sizes else None,
        "server_join_p50_bucket_ms": bucket_percentile(hist, 50),
        "server_join_p99_bucket_ms": bucket_percentile(hist, 99),
        "server_join_count": hist.get(float("inf"), 0),
        # the server's CPU seconds from the storm's instant to the last ack, per join emitted
        "server_cpu_ms_per_join": round(storm_cpu * 1000 / emitted, 2) if storm_cpu is not None and emitted
        else None,
        "server_cpu_percent_join_storm": round(storm_cpu / storm_wall * 100) if storm_wall else None,
        # the same server(s) just before the storm, everyone connected, nobody talking (not subtracted above)
        "server_cpu_percent_idle_before_storm": round(phase["idle_cpu"] * 100) if phase["idle_cpu"] is not None
        else None,
    }


# -- the run -----------------------------------------------------------------------------------
def wait_for_quiet(limit: float) -> float:
    """Wait (at most `limit` seconds) until other work leaves the CPUs mostly idle; return the busy %."""
    deadline = time.monotonic() + limit
    busy = psutil.cpu_percent(interval=1)
    while busy > 25 and time.monotonic() < deadline:
        busy = psutil.cpu_percent(interval=1)
    return busy


def prioritise(nice: int) -> None:
    """On a shared machine: the server and the clients (children inherit it) before other work."""
    if not nice:
        return
    os.setpriority(os.PRIO_PROCESS, 0, nice)
    # Linux groups the processes of each terminal session (autogroup) and shares the CPU
    # between groups before niceness counts: give this run's group the same priority.
    try:
        Path("/proc/self/autogroup").write_text(str(nice))
    except OSError:
        pass


def pin(processes, cpus: list[int] | None) -> None:
    """Keep these server processes on `cpus` (the simulated phones pin themselves elsewhere)."""
    for proc in processes if cpus else ():
        os.sched_setaffinity(proc.pid, cpus)


def run(participants: int, seconds: float, processes: int, database_url: str | None, nice: int = 0,
        quiet_wait: float = 0, workers: int = 1, redis_url: str | None = None, client_nice: int = 0,
        client_kind: str = "lean", server_cpus: list[int] | None = None,
        client_cpus: list[int] | None = None, settle: float = 5.0, topics: int = TOPICS,
        join_storm: bool = True, reconnect_fraction: float = 0.5, join_timeout: float = 30) -> dict:
    raise_open_file_limit()
    if client_kind != "lean":
        reconnect_fraction = 0.0  # python-socketio's client cannot drop a connection without a goodbye
    busy_before = wait_for_quiet(quiet_wait) if quiet_wait else psutil.cpu_percent(interval=1)
    prioritise(nice)
    workdir = Path(tempfile.mkdtemp(prefix="barcamp-bench-"))
    server = None
    more: list[subprocess.Popen] = []  # workers 2..N
    try:
        server, url, env = start_server(workdir, database_url, participants, redis_url)
        urls = [url]
        for n in range(2, workers + 1):
            port = free_port()
            more.append(start_worker(workdir, env, port, f"server-{n}.log"))
            urls.append(f"http://127.0.0.1:{port}")
        pin([server, *more], server_cpus)
        print(f"server pid {server.pid} at {url} (attach py-spy to profile it)", file=sys.stderr, flush=True)
        forum = create_forum(url, topics)
        rss = PeakRss(server.pid)
        more_rss = [PeakRss(proc.pid) for proc in more]

        # join and connect everyone, spread over the client processes
        context = mp.get_context("spawn")
        pipes, children = [], []
        shares = [participants // processes + (1 if i < participants % processes else 0) for i in range(processes)]
        setup_started = time.monotonic()
        for i, share in enumerate(shares):
            parent, child = context.Pipe()
            proc = context.Process(target=worker, daemon=True, args=(
                urls if len(urls) > 1 else url, forum["code"], forum["id"], forum["proposal_ids"], share, 1000 + i,
                seconds, child, client_nice, client_kind, client_cpus, join_storm, join_timeout))
            proc.start()
            pipes.append(parent)
            children.append(proc)

        def receive(pipe, timeout: float):
            if not pipe.poll(timeout):
                raise RuntimeError(f"a client process did not answer within {timeout:.0f} s")
            kind, value = pipe.recv()
            if kind == "failed":
                raise RuntimeError("client process failed: " + value)
            return kind, value

        projector = Projector(urls[-1], forum["projector_token"], forum["id"])
        phase = join_phase(pipes, receive, urls, [server, *more], join_storm, join_timeout, setup_started,
                           projector.start)
        connected, setup_seconds, joins = phase["connected"], phase["setup_seconds"], phase["joins"]

        server_process = psutil.Process(server.pid)
        rss_connected = server_process.memory_info().rss
        more_processes = [psutil.Process(proc.pid) for proc in more]
        more_rss_connected = [proc.memory_info().rss for proc in more_processes]
        more_cpu_before = [sum(proc.cpu_times()[:2]) for proc in more_processes]
        redis_before = redis_command_counts(redis_url)
        hist_before = histograms(urls)
        gc_before = [server_ack_buckets(u, "barcamp_gc_pause_seconds", 'generation="2"') for u in urls]
        load_before = os.getloadavg()[0]
        cpu_before, wall_before = sum(server_process.cpu_times()[:2]), time.monotonic()
        client_processes = [psutil.Process(proc.pid) for proc in children]
        clients_cpu_before = sum(sum(c.cpu_times()[:2]) for c in client_processes)
        start_at = time.time() + max(1.0, settle)
        print(f"{connected} participants joined in {setup_seconds:.1f} s; voting for {seconds:g} s"
              + (f", {reconnect_fraction:.0%} of them reconnecting at {seconds / 2:g} s" if reconnect_fraction else ""),
              file=sys.stderr, flush=True)
        for pipe in pipes:
            pipe.send({"start_at": start_at, "reconnect_at": start_at + seconds / 2,
                       "reconnect_fraction": reconnect_fraction})
        votes, reconnects = [], []
        for pipe in pipes:
            reported = receive(pipe, seconds + 600)[1]
            votes.extend(reported["results"])
            reconnects.extend(reported["reconnects"])

        voting_wall = time.monotonic() - wall_before
        server_cpu = (sum(server_process.cpu_times()[:2]) - cpu_before) / voting_wall
        more_cpu = [(sum(proc.cpu_times()[:2]) - before) / voting_wall
                    for proc, before in zip(more_processes, more_cpu_before)]
        clients_cpu = (sum(sum(c.cpu_times()[:2]) for c in client_processes) - clients_cpu_before) / voting_wall
        acked = [v for v in votes if v[3]]
        expected_total = sum(v[2] for v in acked)
        last_ack = max((v[6] for v in acked), default=time.time())
        deadline = time.time() + 10
        final_at = None
        while time.time() < deadline:
            final_at = projector.final_tally_at(expected_total)
            if final_at is not None:
                break
            time.sleep(0.02)
        projector.done.set()
        peak_rss = rss.stop()
        more_peak_rss = [sampler.stop() for sampler in more_rss]
        redis_after = redis_command_counts(redis_url)
        hist_after = histograms(urls)
        server_acks = histogram_delta(hist_after['event="vote"'], hist_before['event="vote"'])
        # joins during the window: the reconnect storm's (and any lost connection's)
        server_rejoins = histogram_delta(hist_after['event="join"'], hist_before['event="join"'])
        full_gcs = {}
        for before, u in zip(gc_before, urls):
            for bound, count in server_ack_buckets(u, "barcamp_gc_pause_seconds", 'generation="2"').items():
                full_gcs[bound] = full_gcs.get(bound, 0) + count - before.get(bound, 0)
        for pipe in pipes:
            pipe.send("stop")

        # what the database holds, compared with what was acknowledged
        db_url = database_url or f"sqlite:///{workdir / 'barcamp.sqlite3'}"
        rows = stored_ballots(db_url, forum["id"])
        stored = {(p, t): v for p, t, v in rows}
        acknowledged = {}
        for p, t, v, *_ in sorted(acked, key=lambda v: v[6]):
            acknowledged[(p, t)] = v
        lost = sum(1 for key, value in acknowledged.items() if stored.get(key) != value)
        # a second row for one participant and topic (the unique constraint forbids it), or a dot
        # counted twice: more dots stored than acknowledged on a topic
        duplicated = (len(rows) - len(stored)) + sum(
            1 for key, value in stored.items() if key in acknowledged and value > acknowledged[key])
        unacknowledged_but_stored = sum(1 for key in stored if key not in acknowledged)
        api_results = requests.get(f"{url}/api/v1/events/{forum['id']}/results", headers=forum["headers"],
                                   timeout=30).json()
        latencies = [v[5] * 1000 for v in acked]
        errors = sorted({str(v[7]) for v in votes if not v[3]})[:5]
        # votes the phone could not send at once (offline) or sent again (ack lost with the connection)
        delayed = [v for v in votes if v[10]]
        delayed_tap_to_ack = [(v[6] - v[9]) * 1000 for v in delayed if v[3]]
        reconnect_figures = reconnect_summary(reconnects)
        if os.environ.get("BENCH_DUMP"):
            Path(os.environ["BENCH_DUMP"]).write_text(json.dumps({"start": start_at, "votes": votes,
                                                                  "tallies": projector.tallies}))
        figures = {
            "participants": participants,
            "connected": connected,
            "client_processes": processes,
            "seconds": seconds,
            "database": "sqlite" if not database_url else urlparse(database_url).scheme,
            "topics": topics,
            "join_storm": join_storm,
            **join_figures(phase),
            "reconnect_fraction": reconnect_fraction,
            **reconnect_figures,
            "server_rejoin_p50_bucket_ms": bucket_percentile(server_rejoins, 50),
            "server_rejoin_p99_bucket_ms": bucket_percentile(server_rejoins, 99),
            "votes_sent": len(votes),
            "votes_resent_after_drop": sum(1 for v in votes if v[8] > 1),
            "votes_delayed_by_drop": len(delayed),
            # what the person saw for those: from the tap (planned moment) to the final ack
            "votes_delayed_tap_to_ack_p99_ms": round(percentile(delayed_tap_to_ack, 99), 1) if delayed_tap_to_ack
            else None,
            "votes_acknowledged": len(acked),
            "votes_refused_or_timed_out": len(votes) - len(acked),
            "ballots_in_database": len(rows),
            "dots_acknowledged": expected_total,
            "dots_in_database": sum(stored.values()),
            "dots_in_results_api": sum(e["score"] for e in api_results["ranking"]),
            "lost": lost,
            "duplicated": duplicated,
            "stored_without_ack": unacknowledged_but_stored,
            "ack_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "ack_p95_ms": round(percentile(latencies, 95), 1),
            "ack_p99_ms": round(percentile(latencies, 99), 1),
            "ack_max_ms": round(max(latencies), 1) if latencies else None,
            "last_vote_to_final_tally_ms": round((final_at - last_ack) * 1000, 1) if final_at else None,
            "tallies_received": len(projector.tallies),
            # inside the server, from handling the event to returning its ack (the metrics histogram)
            "server_ack_p50_bucket_ms": bucket_percentile(server_acks, 50),
            "server_ack_p99_bucket_ms": bucket_percentile(server_acks, 99),
            "full_gcs_voting": full_gcs.get(float("inf"), 0),
            "full_gc_longest_bucket_ms": bucket_percentile(full_gcs, 100),
            "client": client_kind,
            "server_cpus": server_cpus,
            "client_cpus": client_cpus,
            "server_rss_connected_mb": round(rss_connected / 2**20, 1),
            "server_rss_peak_mb": round(peak_rss / 2**20, 1),
            "setup_seconds": round(setup_seconds, 1),
            "server_cpu_percent_voting": round(server_cpu * 100),
            "clients_cpu_percent_voting": round(clients_cpu * 100),
            "load_average_before_voting": round(load_before, 2),
            "nice": nice,
            "cpu_busy_percent_before_start": busy_before,
            "errors": errors,
        }
        if workers > 1 or redis_url:
            acked_votes = max(1, len(acked))
            figures.update({
                "workers": workers,
                "worker_rss_connected_mb": [round(v / 2**20, 1) for v in [rss_connected, *more_rss_connected]],
                "worker_rss_peak_mb": [round(v / 2**20, 1) for v in [peak_rss, *more_peak_rss]],
                "worker_cpu_percent_voting": [round(v * 100) for v in [server_cpu, *more_cpu]],
                # the whole Redis server's counts (other users of it add to them)
                "redis_commands_per_vote": round(
                    (redis_after.get("total", 0) - redis_before.get("total", 0)) / acked_votes, 2),
                # PUBLISH calls, those made by our Lua scripts included; each reaches every worker
                "redis_publishes_per_vote": round(
                    (redis_after.get("publish", 0) - redis_before.get("publish", 0)) / acked_votes, 3),
            })
        for proc in children:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
        return figures
    except Exception:
        log = workdir / "server.log"
        if log.exists():
            print("server log (end):\n" + log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        for proc in more:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if os.environ.get("BENCH_KEEP"):  # keep the database and the server logs to look at
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def add_load_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by the live benchmarks: client kind, CPU pinning, priorities."""
    parser.add_argument("--client", choices=["lean", "socketio"], default="lean",
                        help="simulated phones: the lean client of benchmarks/_phones.py (decodes only acks) "
                             "or python-socketio's AsyncClient (decodes every tally)")
    parser.add_argument("--server-cpus", default="", help="pin the server process(es) to these CPUs, e.g. 0")
    parser.add_argument("--client-cpus", default="", help="pin the client processes to these CPUs, e.g. 1")
    parser.add_argument("--nice", type=int, default=0,
                        help="run server and clients at this niceness (negative needs root): a shared machine")
    parser.add_argument("--client-nice", type=int, default=0,
                        help="the client processes add this to their niceness: on one machine, the simulated "
                             "phones then yield the CPU to the server, as real phones (other devices) do")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds between the last phone joining and the window opening: in a forum people "
                             "join well before the vote opens, and the server collects its garbage in such "
                             "a quiet moment (app/ops/collector.py); 1 opens the window at once")


def cpu_list(text: str) -> list[int] | None:
    return [int(cpu) for cpu in text.split(",") if cpu.strip()] or None


def add_forum_options(parser: argparse.ArgumentParser, reconnect: bool = True) -> None:
    """The options that make the run look like a forum: topics, join storm, reconnect storm."""
    parser.add_argument("--topics", type=int, default=TOPICS,
                        help="topics of the forum (55-character title, 280-character description each)")
    parser.add_argument("--join-storm", action=argparse.BooleanOptionalAction, default=True,
                        help="every phone connected first, then all `join` emits at one instant (default); "
                             "--no-join-storm: each phone joins once connected, 32 at a time per process")
    parser.add_argument("--join-timeout", type=float, default=30.0,
                        help="seconds a phone waits for its join ack before counting it as timed out")
    if reconnect:
        parser.add_argument("--reconnect-storm", type=float, default=0.5, metavar="FRACTION",
                            help="this fraction of the phones drop their WebSocket at once in the middle of the "
                                 "window, reconnect and join again (0 disables)")


def side_by_side(client: str, server: str) -> str:
    return f"{client:<34} server {server}"


def server_buckets(p50, p99, count=None) -> str:
    """The server's p50 / p99 buckets; "not exported" when the histogram has no such event."""
    if p50 is None and p99 is None:
        return "not exported" if count in (None, 0) else "-"
    return f"{le(p50)} / {le(p99)}"


def join_lines(f: dict, prefix: str = "join") -> list[tuple[str, str]]:
    """The join figures, client beside server (shared by the vote and quiz benchmarks)."""
    mode = "storm: all at one instant" if f["join_storm"] else "staggered, 32 at a time per process"
    lines = [
        (f"join ({mode})", ""),
        ("  join ack p50 / p95 / p99 / max (ms)", side_by_side(
            f"{f['join_p50_ms']} / {f['join_p95_ms']} / {f['join_p99_ms']} / {f['join_max_ms']}",
            server_buckets(f["server_join_p50_bucket_ms"], f["server_join_p99_bucket_ms"],
                           f["server_join_count"]))),
        ("  joins sent / acked / timed out / over 8 s",
         f"{f['join_sent']} / {f['join_acked']} / {f['join_timed_out']} / {f['joins_over_8s']}"
         + (f"   refused {f['join_refused']}" if f["join_refused"] else "")
         + (f"   phones that could not connect {f['join_not_connected']}" if f["join_not_connected"] else "")),
        ("  first join -> last ack (s)", str(f["join_first_to_last_ack_s"])),
        ("  join ack size, median (KB)", str(f["join_ack_kb_median"])),
    ]
    if f["join_storm"]:
        lines.append(("  server CPU per join (ms)", f"{f['server_cpu_ms_per_join']}   "
                      f"({f['server_cpu_percent_join_storm']} % of one core during the storm, "
                      f"{f['server_cpu_percent_idle_before_storm']} % in the idle second before)"))
    return lines


def reconnect_lines(f: dict, seconds: float) -> list[tuple[str, str]]:
    if not f["reconnect_fraction"]:
        return [("reconnect storm", "off"), ("connections lost (reconnected)", str(f["connections_lost_outside_storm"]))]
    return [
        (f"reconnect storm ({f['reconnect_fraction']:.0%} at {seconds / 2:g} s)",
         f"{f['reconnect_dropped']} dropped, {f['reconnect_rejoined']} joined again, "
         f"{f['reconnect_not_connected']} not reconnected, {f['reconnect_connect_attempts']} connect attempts"),
        ("  reconnect join ack p50 / p99 (ms)", side_by_side(
            f"{f['reconnect_join_p50_ms']} / {f['reconnect_join_p99_ms']}",
            server_buckets(f["server_rejoin_p50_bucket_ms"], f["server_rejoin_p99_bucket_ms"]))),
        ("  reconnect joins timed out / refused",
         f"{f['reconnect_join_timed_out']} / {f['reconnect_join_refused'] or 0}"),
        ("  drop -> joined again p50 / p99 (ms)",
         f"{f['reconnect_drop_to_joined_p50_ms']} / {f['reconnect_drop_to_joined_p99_ms']}"),
        ("connections lost outside the storm", str(f["connections_lost_outside_storm"])),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10.0, help="voting window")
    parser.add_argument("--processes", type=int, default=3, help="client processes")
    parser.add_argument("--database-url", default=None, help="a throw-away database (emptied first)")
    parser.add_argument("--workers", type=int, default=1,
                        help="barcamp run processes (more than one needs --redis-url and a PostgreSQL --database-url)")
    parser.add_argument("--redis-url", default=None, help="a throw-away Redis database (flushed first)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    parser.add_argument("--quiet-wait", type=float, default=0,
                        help="first wait up to this many seconds for the CPUs to be mostly idle")
    add_forum_options(parser)
    add_load_options(parser)
    args = parser.parse_args()
    if args.workers > 1 and not (args.redis_url and args.database_url):
        parser.error("--workers > 1 needs --redis-url and --database-url (PostgreSQL)")
    if args.topics < 3:
        parser.error("--topics must be at least 3 (a phone spends its dots on up to 3 topics)")
    if not 0 <= args.reconnect_storm <= 1:
        parser.error("--reconnect-storm is a fraction between 0 and 1")
    if args.reconnect_storm and args.client != "lean":
        print("--client socketio: no reconnect storm (python-socketio cannot drop a connection)", file=sys.stderr)
    figures = run(args.participants, args.seconds, max(1, args.processes), args.database_url, args.nice,
                  args.quiet_wait, max(1, args.workers), args.redis_url, args.client_nice, args.client,
                  cpu_list(args.server_cpus), cpu_list(args.client_cpus), args.settle, args.topics,
                  args.join_storm, args.reconnect_storm, args.join_timeout)
    f = figures
    lines = [
        ("phones (connected) x topics", f"{f['participants']} ({f['connected']}) x {f['topics']}"),
        *join_lines(f),
        ("vote ack p50 / p95 / p99 / max (ms)", side_by_side(
            f"{f['ack_p50_ms']} / {f['ack_p95_ms']} / {f['ack_p99_ms']} / {f['ack_max_ms']}",
            server_buckets(f["server_ack_p50_bucket_ms"], f["server_ack_p99_bucket_ms"]))),
        ("last vote -> final tally (ms)", str(f["last_vote_to_final_tally_ms"])),
        *reconnect_lines(f, f["seconds"]),
        ("votes sent / acknowledged / refused or timed out",
         f"{f['votes_sent']} / {f['votes_acknowledged']} / {f['votes_refused_or_timed_out']}"),
        ("votes held by a drop / of them resent (tap -> ack p99)",
         f"{f['votes_delayed_by_drop']} / {f['votes_resent_after_drop']} "
         f"({f['votes_delayed_tap_to_ack_p99_ms']} ms)"),
        ("ballots in the database", str(f["ballots_in_database"])),
        ("dots acknowledged / stored / results API",
         f"{f['dots_acknowledged']} / {f['dots_in_database']} / {f['dots_in_results_api']}"),
        ("lost / duplicated", f"{f['lost']} / {f['duplicated']}"),
        ("stored without ack (timed out)", str(f["stored_without_ack"])),
        ("full GCs from the last join to the end (longest)",
         f"{f['full_gcs_voting']} ({le(f['full_gc_longest_bucket_ms'])} ms)"),
        ("tallies received by the projector", str(f["tallies_received"])),
        ("server RSS connected / peak (MB)", f"{f['server_rss_connected_mb']} / {f['server_rss_peak_mb']}"),
        ("setup: join with the code + connect (s)", str(f["setup_seconds"])),
        ("CPU during voting, server / all clients (% of one core)",
         f"{f['server_cpu_percent_voting']} / {f['clients_cpu_percent_voting']}"),
        ("load average before voting (1 min)", str(f["load_average_before_voting"])),
        ("machine CPU busy before start (%)", str(f["cpu_busy_percent_before_start"])),
    ]
    print(f"barcamp live vote benchmark — {f['database']}, {f['client_processes']} {args.client} "
          f"client processes, {f['seconds']:g} s window, {os.cpu_count()} CPUs"
          + (f", server on CPUs {args.server_cpus}" if args.server_cpus else "")
          + (f", clients on CPUs {args.client_cpus}" if args.client_cpus else ""))
    for label, value in lines:
        print(f"  {label:<50} {value}")
    if "workers" in f:
        print(f"  {'workers: RSS connected / peak (MB)':<50} "
              + ", ".join(f"{c} / {p}" for c, p in zip(f["worker_rss_connected_mb"], f["worker_rss_peak_mb"])))
        print(f"  {'workers: CPU during voting (% of one core)':<50} "
              + ", ".join(str(c) for c in f["worker_cpu_percent_voting"]))
        print(f"  {'Redis commands / publishes per acked vote':<50} "
              f"{f['redis_commands_per_vote']} / {f['redis_publishes_per_vote']}")
    if f["errors"]:
        print("  first errors:", *f["errors"], sep="\n    ")
    if args.json:
        print(json.dumps(f))


if __name__ == "__main__":
    main()
