"""Measure a live quiz question: N participants answer one question within a window over Socket.IO.

    python benchmarks/quiz_answers.py --participants 3000 [--topics 60] [--seconds 10] [--processes 3]
                                      [--no-join-storm] [--reconnect-storm 0.5] [--json]

Reuses the server and client plumbing of benchmarks/live_votes.py (fresh SQLite database, one
`barcamp run` process, join-rate limit lifted for the run) and its forum (benchmarks/_forum.py).
Then:
1. creates a forum with the style-innovation quiz in live mode and --topics topics (default 60,
   55-character titles and 280-character descriptions; the organiser creates them, as
   participants cannot propose during the icebreaker), opens the icebreaker;
2. spreads the N participants over client processes (the lean phones of benchmarks/_phones.py by
   default, --client socketio for python-socketio's; --server-cpus/--client-cpus pin them): each
   joins with the code and connects to /live; then the join storm (default: every phone emits
   `join` at one instant; --no-join-storm: one by one as they connect), each join timed;
3. opens the first question; each phone emits `quiz_answer` at a uniform random moment of the
   window; one in five changes its mind once (a second `quiz_answer`, other choice); in the middle
   of the window --reconnect-storm of the phones (default 0.5) drop their connection, reconnect,
   join again and send the answer they could not send (an answer is an absolute choice);
4. a projector client records the coalesced `quiz` counts messages; the final distribution is
   the first whose counts equal the last acknowledged choice of every participant;
5. prints join ack p50/p95/p99/max beside the server's histogram (when it times joins), the
   server's CPU per join, the reconnect joins apart, answers acknowledged vs rows stored (lost =
   acknowledged choices the database does not hold), answer ack latency beside the server's and
   the delay from the last acknowledgement to the projector's final distribution.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _forum import add_topics, reconnect_summary  # noqa: E402
from live_votes import (EMAIL, PASSWORD, TOPICS, PeakRss, add_forum_options, add_load_options,  # noqa: E402
                        bucket_percentile, cpu_list, join_figures, join_lines, join_phase, percentile, phones_report,
                        phones_session, pin, prioritise, raise_open_file_limit, reconnect_lines, server_ack_buckets,
                        server_buckets, side_by_side, start_server)

CHOICES = 4


async def _worker_main(url, code, event_id, count, seed, seconds, conn, client_kind, join_storm=True,
                       join_timeout=30.0) -> None:
    rng = random.Random(seed)
    phones, plan, storm = await phones_session(url, code, event_id, count, seed, conn, client_kind, join_storm,
                                               join_timeout)
    start_at = plan["start_at"]
    # (participant_id, choice, ok, sent_at, latency, ack_at, error, attempts, tapped_at, waited)
    results: list[tuple] = []

    async def answer_one(phone):
        first = rng.randrange(CHOICES)
        plan = [first] + ([(first + 1 + rng.randrange(CHOICES - 1)) % CHOICES] if rng.random() < 0.2 else [])
        for choice, moment in zip(plan, sorted(rng.uniform(0, seconds) for _ in plan)):
            delay = start_at + moment - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            r = await phone.send("quiz_answer", {"question": 0, "choice": choice}, timeout=60)
            ok = r["error"] is None
            latency = r["latency"] if ok else time.time() - r["sent"]
            results.append((phone.id, choice, ok, r["sent"], latency, r["sent"] + latency,
                            None if ok else r["error"], r["attempts"], r["tapped"], r["waited"]))

    await asyncio.gather(*(answer_one(p) for p in phones))
    await phones_report(phones, storm, conn, "answers", results)


def worker(url, code, event_id, count, seed, seconds, conn, client_kind="lean", client_nice=0, cpus=None,
           join_storm=True, join_timeout=30.0) -> None:
    raise_open_file_limit()
    if client_nice:
        os.nice(client_nice)
    if cpus:
        os.sched_setaffinity(0, cpus)
    try:
        asyncio.run(_worker_main(url, code, event_id, count, seed, seconds, conn, client_kind, join_storm,
                                 join_timeout))
    except Exception as exc:  # noqa: BLE001
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))


class Projector:
    """The projector screen: records every coalesced `quiz` counts message."""

    def __init__(self, url: str, token: str, event_id: int) -> None:
        self.url, self.token, self.event_id = url, token, event_id
        self.counts: list[tuple[float, list[int]]] = []
        self.ready, self.done = threading.Event(), threading.Event()
        self.error: str | None = None
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        import socketio

        client = socketio.AsyncClient(reconnection=False)

        @client.on("quiz", namespace="/live")
        def on_quiz(message):
            if message.get("kind") == "counts":
                self.counts.append((time.time(), message["counts"]))

        try:
            await client.connect(self.url, namespaces=["/live"], transports=["websocket"], auth={"token": self.token},
                                 wait_timeout=30)
            ack = await client.call("join", {"event_id": self.event_id}, namespace="/live", timeout=30)
            if not ack.get("ok"):
                raise RuntimeError(f"projector join refused: {ack}")
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

    def final_at(self, expected: list[int]) -> float | None:
        return next((at for at, counts in list(self.counts) if counts == expected), None)


def create_quiz_forum(url: str, topics: int = TOPICS) -> dict:
    api = url + "/api/v1"
    r = requests.post(api + "/auth/token", json={"email": EMAIL, "password": PASSWORD}, timeout=10)
    r.raise_for_status()
    headers = {"Authorization": "Bearer " + r.json()["token"]}
    event = requests.post(api + "/events", headers=headers, timeout=10,
                          json={"title": "Banc d'essai : quiz en direct", "quiz": "style-innovation"}).json()
    requests.put(f"{api}/events/{event['id']}/quiz/settings", headers=headers, json={"mode": "live"},
                 timeout=10).raise_for_status()
    requests.put(f"{api}/events/{event['id']}/phase", headers=headers, json={"phase": "icebreaker"},
                 timeout=10).raise_for_status()
    add_topics(url, event["id"], headers, None, topics)  # the organiser's: no proposals during the icebreaker
    token = [part for part in urlparse(event["projector_url"]).path.split("/") if part][-1]
    return {"id": event["id"], "code": event["join_code"], "projector_token": "v_" + token, "headers": headers}


def run(participants: int, seconds: float, processes: int, client_kind: str = "lean", nice: int = 0,
        client_nice: int = 0, server_cpus: list[int] | None = None, client_cpus: list[int] | None = None,
        settle: float = 5.0, topics: int = TOPICS, join_storm: bool = True, reconnect_fraction: float = 0.5,
        join_timeout: float = 30.0) -> dict:
    raise_open_file_limit()
    if client_kind != "lean":
        reconnect_fraction = 0.0  # python-socketio's client cannot drop a connection without a goodbye
    prioritise(nice)
    workdir = Path(tempfile.mkdtemp(prefix="barcamp-quiz-bench-"))
    server = None
    try:
        server, url, _env = start_server(workdir, None, participants)
        pin([server], server_cpus)
        forum = create_quiz_forum(url, topics)
        rss = PeakRss(server.pid)
        context = mp.get_context("spawn")
        pipes, children = [], []
        shares = [participants // processes + (1 if i < participants % processes else 0) for i in range(processes)]
        setup_started = time.monotonic()
        for i, share in enumerate(shares):
            parent, child = context.Pipe()
            proc = context.Process(target=worker, daemon=True,
                                   args=(url, forum["code"], forum["id"], share, 2000 + i, seconds, child,
                                         client_kind, client_nice, client_cpus, join_storm, join_timeout))
            proc.start()
            pipes.append(parent)
            children.append(proc)

        def receive(pipe, timeout):
            if not pipe.poll(timeout):
                raise RuntimeError(f"a client process did not answer within {timeout:.0f} s")
            kind, value = pipe.recv()
            if kind == "failed":
                raise RuntimeError("client process failed: " + value)
            return kind, value

        projector = Projector(url, forum["projector_token"], forum["id"])
        phase = join_phase(pipes, receive, [url], [server], join_storm, join_timeout, setup_started, projector.start)
        connected, setup_seconds = phase["connected"], phase["setup_seconds"]
        requests.post(f"{url}/api/v1/events/{forum['id']}/quiz/control", headers=forum["headers"],
                      json={"action": "open"}, timeout=10).raise_for_status()
        print(f"{connected} participants connected in {setup_seconds:.1f} s; answering for {seconds:g} s",
              file=sys.stderr, flush=True)
        acks_before = server_ack_buckets(url, label='event="quiz_answer"')
        rejoins_before = server_ack_buckets(url, label='event="join"')
        gcs_before = server_ack_buckets(url, "barcamp_gc_pause_seconds", 'generation="2"')
        start_at = time.time() + max(1.0, settle)
        for pipe in pipes:
            pipe.send({"start_at": start_at, "reconnect_at": start_at + seconds / 2,
                       "reconnect_fraction": reconnect_fraction})
        answers, reconnects = [], []
        for pipe in pipes:
            reported = receive(pipe, seconds + 600)[1]
            answers.extend(reported["results"])
            reconnects.extend(reported["reconnects"])
        acked = [a for a in answers if a[2]]
        last_choice: dict[int, int] = {}
        for pid, choice, *_rest in sorted(acked, key=lambda a: a[5]):
            last_choice[pid] = choice
        expected = [0] * CHOICES
        for choice in last_choice.values():
            expected[choice] += 1
        last_ack = max((a[5] for a in acked), default=time.time())
        final_at, deadline = None, time.time() + 10
        while time.time() < deadline and final_at is None:
            final_at = projector.final_at(expected)
            time.sleep(0.02)
        projector.done.set()
        peak = rss.stop()
        server_acks = {bound: count - acks_before.get(bound, 0)
                       for bound, count in server_ack_buckets(url, label='event="quiz_answer"').items()}
        server_rejoins = {bound: count - rejoins_before.get(bound, 0)
                          for bound, count in server_ack_buckets(url, label='event="join"').items()}
        full_gcs = {bound: count - gcs_before.get(bound, 0) for bound, count in
                    server_ack_buckets(url, "barcamp_gc_pause_seconds", 'generation="2"').items()}
        for pipe in pipes:
            pipe.send("stop")

        from sqlalchemy import create_engine, text

        engine = create_engine(f"sqlite:///{workdir / 'barcamp.sqlite3'}")
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT participant_id, choice FROM quiz_answers WHERE event_id = :e"),
                                      {"e": forum["id"]}).all()
        engine.dispose()
        stored = {pid: choice for pid, choice in rows}
        latencies = [a[4] * 1000 for a in acked]
        delayed = [a for a in answers if a[9]]
        delayed_tap_to_ack = [(a[5] - a[8]) * 1000 for a in delayed if a[2]]
        figures = {
            "participants": participants, "connected": connected, "client_processes": processes,
            "seconds": seconds, "topics": topics, "join_storm": join_storm, **join_figures(phase),
            "reconnect_fraction": reconnect_fraction, **reconnect_summary(reconnects),
            "server_rejoin_p50_bucket_ms": bucket_percentile(server_rejoins, 50),
            "server_rejoin_p99_bucket_ms": bucket_percentile(server_rejoins, 99),
            "answers_delayed_by_drop": len(delayed),
            "answers_resent_after_drop": sum(1 for a in answers if a[7] > 1),
            "answers_delayed_tap_to_ack_p99_ms": round(percentile(delayed_tap_to_ack, 99), 1)
            if delayed_tap_to_ack else None,
            "answers_sent": len(answers), "answers_acknowledged": len(acked),
            "answers_refused_or_timed_out": len(answers) - len(acked),
            "participants_acknowledged": len(last_choice), "rows_in_database": len(rows),
            # lost: the stored choice is neither the last acknowledged one nor one sent after it
            # (an answer that timed out may still have been committed after the acknowledged one)
            "lost": sum(1 for pid, choice in last_choice.items() if stored.get(pid) not in {choice} | {
                a[1] for a in answers if a[0] == pid and not a[2] and a[3] >= max(
                    b[3] for b in acked if b[0] == pid)}),
            "duplicated": len(rows) - len(stored),
            "ack_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "ack_p95_ms": round(percentile(latencies, 95), 1),
            "ack_p99_ms": round(percentile(latencies, 99), 1),
            "ack_max_ms": round(max(latencies), 1) if latencies else None,
            "server_ack_p50_bucket_ms": bucket_percentile(server_acks, 50),
            "server_ack_p99_bucket_ms": bucket_percentile(server_acks, 99),
            "full_gcs_answering": full_gcs.get(float("inf"), 0),
            "client": client_kind,
            "last_answer_to_distribution_ms": round((final_at - last_ack) * 1000, 1) if final_at else None,
            "counts_messages": len(projector.counts),
            "server_rss_peak_mb": round(peak / 2**20, 1),
            "setup_seconds": round(setup_seconds, 1),
            "errors": sorted({str(a[6]) for a in answers if not a[2]})[:5],
        }
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
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except Exception:  # noqa: BLE001
                server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10.0, help="answering window")
    parser.add_argument("--processes", type=int, default=3, help="client processes (2-4)")
    parser.add_argument("--json", action="store_true")
    add_forum_options(parser)
    add_load_options(parser)
    args = parser.parse_args()
    if not 0 <= args.reconnect_storm <= 1:
        parser.error("--reconnect-storm is a fraction between 0 and 1")
    f = run(args.participants, args.seconds, max(1, args.processes), args.client, args.nice, args.client_nice,
            cpu_list(args.server_cpus), cpu_list(args.client_cpus), args.settle, args.topics, args.join_storm,
            args.reconnect_storm, args.join_timeout)
    lines = [
        ("phones (connected) x topics", f"{f['participants']} ({f['connected']}) x {f['topics']}"),
        *join_lines(f),
        ("answer ack p50 / p95 / p99 / max (ms)", side_by_side(
            f"{f['ack_p50_ms']} / {f['ack_p95_ms']} / {f['ack_p99_ms']} / {f['ack_max_ms']}",
            server_buckets(f["server_ack_p50_bucket_ms"], f["server_ack_p99_bucket_ms"]))),
        ("last answer -> projector distribution (ms)", str(f["last_answer_to_distribution_ms"])),
        *reconnect_lines(f, f["seconds"]),
        ("answers sent / acknowledged", f"{f['answers_sent']} / {f['answers_acknowledged']}"),
        ("answers held by a drop / of them resent (tap -> ack p99)",
         f"{f['answers_delayed_by_drop']} / {f['answers_resent_after_drop']} "
         f"({f['answers_delayed_tap_to_ack_p99_ms']} ms)"),
        ("participants acknowledged / rows stored", f"{f['participants_acknowledged']} / {f['rows_in_database']}"),
        ("lost / duplicated", f"{f['lost']} / {f['duplicated']}"),
        ("full GCs, last join to the end", str(f["full_gcs_answering"])),
        ("counts messages received by the projector", str(f["counts_messages"])),
        ("server RSS peak (MB)", str(f["server_rss_peak_mb"])),
        ("setup: join with the code + connect (s)", str(f["setup_seconds"])),
    ]
    print(f"barcamp quiz benchmark — sqlite, {f['client_processes']} {args.client} client processes, "
          f"{f['seconds']:g} s window, {os.cpu_count()} CPUs"
          + (f", server on CPUs {args.server_cpus}" if args.server_cpus else "")
          + (f", clients on CPUs {args.client_cpus}" if args.client_cpus else ""))
    for label, value in lines:
        print(f"  {label:<50} {value}")
    if f["errors"]:
        print("  first errors:", *f["errors"], sep="\n    ")
    if args.json:
        print(json.dumps(f))


if __name__ == "__main__":
    main()
