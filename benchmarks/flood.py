"""Measure what flooding participants cost honest voters: their vote ack p95 with 0, 1 and 3 flooders.

    python benchmarks/flood.py [--honest 300] [--topics 60] [--seconds 10] [--flooders 0,1,3]
                               [--connections 3] [--flood-rate 0] [--vote-interval 3]
                               [--server-cpus 0 --client-cpus 1] [--json]

All on 127.0.0.1, one `barcamp run` (gevent, fresh SQLite in a temporary folder), the server and
forum plumbing of benchmarks/live_votes.py:
1. a forum in dots mode (3 dots, at most 2 per topic) with --topics topics (benchmarks/_forum.py:
   55-character titles, 280-character descriptions, proposed by participants), the vote open;
2. --honest phones (the lean client of benchmarks/_phones.py, in --processes client processes)
   join with the code, connect to /live and `join`, and stay connected for every scenario;
3. one scenario per count in --flooders (default 0, 1, 3), each --seconds long, one after the
   other once the server is quiet again (its CPU under 20 % of a core, at most 60 s):
   - every honest phone changes one of its votes at random moments (exponential gaps, mean
     --vote-interval seconds): adds a dot while it has some left, sometimes takes one back (an
     absolute value, so its 3 dots never run out), awaiting each acknowledgement, as forum.js does;
   - each flooding participant is one participant token (a fresh one per scenario) in its own
     process, opening --connections connections; each connection emits `sync` and `vote`
     alternately as fast as the socket takes them (or --flood-rate events/s each), never
     waiting for an ack; when the server cuts it, it connects again at once (0.1 s after a
     refused connection). The flood starts 1 s before the honest votes and stops with them;
4. prints, per scenario: the honest votes acknowledged, their ack p50/p95/p99/max, the p95 ratio to
   the 0-flooder scenario, their refusals and timeouts; for the flooders: events sent,
   acknowledged ok, refused `rate_limited`, refused otherwise, unanswered, connections opened,
   refused and cut; the server's CPU; then whether the database holds every honest vote.

A flooder is another device: its processes run at --flooder-nice (default 10) so that, on one
machine, the CPU they burn is not taken from the honest phones' loop (it would count as server
latency); they still write as fast as the server reads. Pin the server and the clients to separate
cores (--server-cpus 0 --client-cpus 1) on the 2-core machine. Every wait is bounded; the server
is stopped at the end. (This replaces benchmarks/socket_flood.py: --honest 20 --topics 4
--vote-interval 0.5 --flooders 0,1 --connections 1 --flood-rate 500 is its old setting.)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _forum import Phone, connect_and_join, http_join_all, percentile, reconnect_records  # noqa: E402
from live_votes import (DOTS, MAX_PER_TOPIC, TOPICS, bucket_percentile, cpu_list, create_forum,  # noqa: E402
                        histogram_delta, histograms, le, pin, raise_open_file_limit, start_server, stored_ballots)


# -- honest phones -----------------------------------------------------------------------------
def next_vote(rng: random.Random, dots: dict[int, int], topics: list[int]) -> tuple[int, int]:
    """The next absolute value a voter sets: add a dot while some are left, else (or sometimes) take one back."""
    total = sum(dots.values())
    if total < DOTS and (total == 0 or rng.random() < 0.6):
        topic = rng.choice([t for t in topics if dots.get(t, 0) < MAX_PER_TOPIC])
        return topic, dots.get(topic, 0) + 1
    topic = rng.choice([t for t, v in dots.items() if v > 0])
    return topic, dots[topic] - 1


async def _honest_main(url, code, event_id, topics, count, seed, conn, interval, ack_timeout) -> None:
    import logging

    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    loop = asyncio.get_running_loop()
    rng = random.Random(seed)
    infos = await http_join_all(url, code, count, seed=seed)
    phones = [Phone(info, event_id, "lean", join_timeout=60) for info in infos]
    phones, joins = await connect_and_join(phones)
    failed = [j["error"] for j in joins if j["error"]]
    if failed:
        raise RuntimeError(f"{len(failed)} honest joins failed: {sorted(set(failed))}")
    conn.send(("ready", len(phones)))
    dots: dict[int, dict[int, int]] = {p.id: {} for p in phones}
    while True:
        message = await loop.run_in_executor(None, conn.recv)
        if message == "stop":
            break
        start_at, end_at = message["start_at"], message["start_at"] + message["seconds"]
        # (participant, topic, value, ok, sent, latency, error, timed_out)
        records: list[tuple] = []

        async def vote(phone: Phone) -> None:
            mine = dots[phone.id]
            moment = start_at + rng.expovariate(1 / interval)
            while moment < end_at:
                delay = moment - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                topic, value = next_vote(rng, mine, topics)
                r = await phone.send("vote", {"proposal_id": topic, "value": value}, timeout=ack_timeout)
                ok = r["error"] is None
                if ok:
                    mine[topic] = value
                records.append((phone.id, topic, value, ok, r["sent"], r["latency"], r["error"], r["timed_out"]))
                moment = max(moment, time.time()) + rng.expovariate(1 / interval)

        await asyncio.gather(*(vote(p) for p in phones))
        conn.send(("scenario", {"records": records, "reconnects": reconnect_records(phones)}))
    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)


def honest_worker(url, code, event_id, topics, count, seed, conn, interval, ack_timeout, cpus) -> None:
    raise_open_file_limit()
    if cpus:
        os.sched_setaffinity(0, cpus)
    try:
        asyncio.run(_honest_main(url, code, event_id, topics, count, seed, conn, interval, ack_timeout))
    except Exception as exc:  # noqa: BLE001 - report it to the main process instead of hanging it
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))


# -- a flooding participant --------------------------------------------------------------------
async def _flood_main(url, token, event_id, topic, connections, rate, conn) -> None:
    from _phones import LeanPhone

    loop = asyncio.get_running_loop()
    stats = {"sent": 0, "ok": 0, "rate_limited": 0, "other": {}, "connects": 0, "refused": 0, "cuts": 0,
             "refused_reasons": {}, "cut_reasons": {}}

    def on_ack(body: bytes) -> None:
        if body[:24].replace(b" ", b"").startswith(b'[{"ok":true'):
            stats["ok"] += 1
        elif b'"rate_limited"' in body[:300]:
            stats["rate_limited"] += 1
        elif body.startswith(b'["",400]'):  # Flask-SocketIO's answer to an event of a client it dropped
            stats["other"]["after_cut"] = stats["other"].get("after_cut", 0) + 1
        else:
            try:
                code = json.loads(body)[0]["error"]["code"]
            except Exception:  # noqa: BLE001
                code = "unreadable: " + body[:60].decode(errors="replace")
            stats["other"][code] = stats["other"].get(code, 0) + 1

    def count(kind: str, reason: str) -> None:
        reasons = stats[kind + "_reasons"]
        reason = reason[:80]
        reasons[reason] = reasons.get(reason, 0) + 1

    conn.send("ready")
    start_at, end_at = await loop.run_in_executor(None, conn.recv)
    await asyncio.sleep(max(0.0, start_at - time.time()))

    async def flood(index: int) -> None:
        n = 0
        while time.time() < end_at:
            phone = LeanPhone()
            phone.on_unclaimed_ack = on_ack
            stats["connects"] += 1
            try:
                await phone.connect(url, "/live", {"token": token}, timeout=max(0.1, min(10.0, end_at - time.time())))
            except Exception as exc:  # noqa: BLE001 - refused (barred, capped) or timed out: try again
                stats["refused"] += 1
                count("refused", f"{type(exc).__name__}: {exc}")
                phone.abort("refused")
                await asyncio.sleep(0.1)
                continue
            paced_at = time.time()
            while not phone.closed and time.time() < end_at:
                if n % 2:
                    phone.emit("sync", {"event_id": event_id})
                else:
                    phone.emit("vote", {"proposal_id": topic, "value": (n // 2) % 2})
                n += 1
                stats["sent"] += 1
                if rate:
                    paced_at += 1 / rate
                    await asyncio.sleep(max(0.0, paced_at - time.time()))
                elif n % 32 == 0:
                    await asyncio.sleep(0)  # read the acks and a close
                    try:  # the kernel's buffer is full: as fast as the server reads, no faster
                        await asyncio.wait_for(phone.drain(), max(0.01, end_at - time.time()))
                    except asyncio.TimeoutError:
                        break
            if phone.closed and time.time() < end_at:
                stats["cuts"] += 1
                count("cut", phone.close_reason)
            else:  # the flood stops now: what asyncio still buffers is dropped, not flushed
                phone.abort("end of the scenario")

    await asyncio.gather(*(flood(i) for i in range(connections)))
    await asyncio.sleep(0.5)  # late acks of the last events
    conn.send(stats)


def flooder(url, token, event_id, topic, connections, rate, conn, nice, cpus) -> None:
    raise_open_file_limit()
    if nice:
        os.nice(nice)
    if cpus:
        os.sched_setaffinity(0, cpus)
    try:
        asyncio.run(_flood_main(url, token, event_id, topic, connections, rate, conn))
    except Exception as exc:  # noqa: BLE001
        conn.send({"failed": f"{type(exc).__name__}: {exc}"})


# -- the run -----------------------------------------------------------------------------------
def wait_until_quiet(process: psutil.Process, limit: float = 120.0) -> float:
    """Wait until the server uses under 20 % of a core (at most `limit` s); return its last CPU %.

    After a flood the server may still be working through what it had read (events queued in
    its buffers): the next scenario must not start on that backlog."""
    deadline = time.monotonic() + limit
    busy = process.cpu_percent(interval=1)
    while busy > 20 and time.monotonic() < deadline:
        busy = process.cpu_percent(interval=1)
    if busy > 20:
        print(f"the server is still busy ({busy:.0f} % of a core) after {limit:g} s: the next scenario starts anyway",
              file=sys.stderr, flush=True)
    return busy


def summarise(records: list[tuple], flood_stats: list[dict]) -> dict:
    acked = [r for r in records if r[3]]
    latencies = [r[5] * 1000 for r in acked]
    failures: dict[str, int] = {}
    for r in records:
        if not r[3]:
            failures[r[6]] = failures.get(r[6], 0) + 1

    def total(key: str) -> int:
        return sum(s.get(key, 0) for s in flood_stats)

    other: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for s in flood_stats:
        for code, n in s.get("other", {}).items():
            other[code] = other.get(code, 0) + n
        for kind in ("refused_reasons", "cut_reasons"):
            for reason, n in s.get(kind, {}).items():
                reasons[reason] = reasons.get(reason, 0) + n
    sent = total("sent")
    answered = total("ok") + total("rate_limited") + sum(other.values())
    return {
        "honest_votes": len(records),
        "honest_acked": len(acked),
        "honest_p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "honest_p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "honest_p99_ms": round(percentile(latencies, 99), 1) if latencies else None,
        "honest_max_ms": round(max(latencies), 1) if latencies else None,
        "honest_failures": failures,
        "flood_sent": sent,
        "flood_ok": total("ok"),
        "flood_rate_limited": total("rate_limited"),
        "flood_other_refusals": other,
        "flood_unanswered": sent - answered,
        "flood_connects": total("connects"),
        "flood_connections_refused": total("refused"),
        "flood_connections_cut": total("cuts"),
        "flood_reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])[:4]),
        "flood_errors": [s["failed"] for s in flood_stats if "failed" in s],
    }


def run(args) -> dict:
    raise_open_file_limit()
    workdir = Path(tempfile.mkdtemp(prefix="barcamp-flood-"))
    server = None
    children: list = []
    server_cpus, client_cpus = cpu_list(args.server_cpus), cpu_list(args.client_cpus)
    try:
        server, url, _env = start_server(workdir, None, args.honest + 10 * len(args.flooders))
        pin([server], server_cpus)
        print(f"server pid {server.pid} at {url}", file=sys.stderr, flush=True)
        forum = create_forum(url, args.topics)
        server_process = psutil.Process(server.pid)
        context = mp.get_context("spawn")

        def receive(pipe, timeout: float):
            if not pipe.poll(timeout):
                raise RuntimeError(f"a client process did not answer within {timeout:.0f} s")
            message = pipe.recv()
            if isinstance(message, tuple) and message[0] == "failed":
                raise RuntimeError("client process failed: " + message[1])
            return message

        pipes = []
        shares = [args.honest // args.processes + (1 if i < args.honest % args.processes else 0)
                  for i in range(args.processes)]
        for i, share in enumerate(shares):
            parent, child = context.Pipe()
            proc = context.Process(target=honest_worker, daemon=True, args=(
                url, forum["code"], forum["id"], forum["proposal_ids"], share, 3000 + i, child, args.vote_interval,
                args.ack_timeout, client_cpus))
            proc.start()
            pipes.append(parent)
            children.append(proc)
        connected = sum(receive(pipe, 300)[1] for pipe in pipes)
        print(f"{connected} honest phones joined", file=sys.stderr, flush=True)

        scenarios = []
        honest_records: list[tuple] = []
        reconnects: list[list[dict]] = [[] for _ in pipes]  # each process's reconnections so far
        for flooders in args.flooders:
            quiet = wait_until_quiet(server_process)
            tokens = []
            for _ in range(flooders):
                r = requests.post(f"{url}/api/v1/join", json={"code": forum["code"]}, timeout=30)
                r.raise_for_status()
                tokens.append(r.json()["token"])
            flood_pipes, flood_procs = [], []
            for n, token in enumerate(tokens):
                parent, child = context.Pipe()
                topic = forum["proposal_ids"][n % len(forum["proposal_ids"])]
                proc = context.Process(target=flooder, daemon=True, args=(
                    url, token, forum["id"], topic, args.connections, args.flood_rate, child, args.flooder_nice,
                    client_cpus))
                proc.start()
                flood_pipes.append(parent)
                flood_procs.append(proc)
            for pipe in flood_pipes:
                if not pipe.poll(60) or pipe.recv() != "ready":
                    raise RuntimeError("a flooder process did not start")
            start_at = time.time() + 2.0
            for pipe in flood_pipes:
                pipe.send((start_at - 1.0, start_at + args.seconds))
            before = histograms([url], ('event="vote"',))['event="vote"']
            cpu_before, wall_before = sum(server_process.cpu_times()[:2]), time.monotonic()
            for pipe in pipes:
                pipe.send({"start_at": start_at, "seconds": args.seconds})
            records = []
            reconnects_before = sum(len(r) for r in reconnects)
            for i, pipe in enumerate(pipes):
                reported = receive(pipe, args.seconds + 3 * args.ack_timeout + 120)[1]
                records.extend(reported["records"])
                reconnects[i] = reported["reconnects"]
            server_cpu = (sum(server_process.cpu_times()[:2]) - cpu_before) / (time.monotonic() - wall_before)
            stats = []
            for pipe in flood_pipes:
                stats.append(pipe.recv() if pipe.poll(60) else {"failed": "flooder did not report"})
            for proc in flood_procs:
                proc.join(10)
                if proc.is_alive():
                    proc.kill()
            server_votes = histogram_delta(histograms([url], ('event="vote"',))['event="vote"'], before)
            honest_records.extend(records)
            scenario = {"flooders": flooders, **summarise(records, stats),
                        "server_vote_p95_bucket_ms": bucket_percentile(server_votes, 95),
                        "server_cpu_percent": round(server_cpu * 100),
                        "server_cpu_percent_before": round(quiet),
                        "honest_reconnects": sum(len(r) for r in reconnects) - reconnects_before}
            base = scenarios[0]["honest_p95_ms"] if scenarios and scenarios[0]["flooders"] == 0 else None
            scenario["p95_ratio"] = round(scenario["honest_p95_ms"] / base, 2) if base and scenario["honest_p95_ms"] \
                else (1.0 if flooders == 0 else None)
            scenarios.append(scenario)
            print(f"scenario with {flooders} flooder(s): honest p95 {scenario['honest_p95_ms']} ms, "
                  f"flooders sent {scenario['flood_sent']}", file=sys.stderr, flush=True)
        for pipe in pipes:
            pipe.send("stop")

        # the honest votes in the database: the last acknowledged value of each (participant, topic),
        # unless a later vote on it went unanswered (then either value may be stored)
        last: dict[tuple[int, int], tuple] = {}
        for r in sorted(honest_records, key=lambda r: r[4]):
            last[(r[0], r[1])] = r
        stored = {(p, t): v for p, t, v in stored_ballots(f"sqlite:///{workdir / 'barcamp.sqlite3'}", forum["id"])}
        certain = {key: r[2] for key, r in last.items() if r[3]}
        lost = sum(1 for key, value in certain.items() if stored.get(key, 0) != value)
        uncertain = sum(1 for r in last.values() if not r[3] and r[7])
        for proc in children:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
        return {"honest": args.honest, "topics": args.topics, "seconds": args.seconds,
                "connections_per_flooder": args.connections, "flood_rate": args.flood_rate,
                "vote_interval": args.vote_interval, "server_cpus": server_cpus, "client_cpus": client_cpus,
                "scenarios": scenarios, "honest_votes_checked": len(certain), "honest_lost": lost,
                "honest_unanswered_last_votes": uncertain,
                "honest_reconnects": sum(len(r) for r in reconnects)}
    except Exception:
        log = workdir / "server.log"
        if log.exists():
            print("server log (end):\n" + log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        for proc in children:
            if proc.is_alive():
                proc.kill()
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except Exception:  # noqa: BLE001
                server.kill()
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--honest", type=int, default=300, help="honest phones (connected for every scenario)")
    parser.add_argument("--topics", type=int, default=TOPICS)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each scenario")
    parser.add_argument("--flooders", default="0,1,3", help="flooding participants in each scenario, in order")
    parser.add_argument("--connections", type=int, default=3, help="connections per flooding participant")
    parser.add_argument("--flood-rate", type=float, default=0.0,
                        help="events per second per flooding connection; 0: as fast as the socket takes them")
    parser.add_argument("--vote-interval", type=float, default=3.0,
                        help="mean seconds between two votes of an honest phone (exponential gaps)")
    parser.add_argument("--ack-timeout", type=float, default=30.0, help="an honest phone's wait for an ack")
    parser.add_argument("--processes", type=int, default=2, help="client processes of the honest phones")
    parser.add_argument("--server-cpus", default="", help="pin the server to these CPUs, e.g. 0")
    parser.add_argument("--client-cpus", default="", help="pin the honest phones and the flooders here, e.g. 1")
    parser.add_argument("--flooder-nice", type=int, default=10,
                        help="niceness of the flooders' processes (another device: not the honest phones' CPU)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args()
    args.flooders = [int(n) for n in args.flooders.split(",") if n.strip()]
    args.processes = max(1, args.processes)
    if args.topics < 3:
        parser.error("--topics must be at least 3")
    figures = run(args)
    print(f"barcamp flood benchmark — sqlite, {args.honest} honest phones (a vote every {args.vote_interval:g} s "
          f"on average) on {args.topics} topics, {args.seconds:g} s per scenario; a flooder = 1 participant x "
          f"{args.connections} connections, sync + vote "
          + (f"at {args.flood_rate:g}/s each" if args.flood_rate else "as fast as it can") + f", {os.cpu_count()} CPUs"
          + (f", server on CPUs {args.server_cpus}" if args.server_cpus else "")
          + (f", clients on CPUs {args.client_cpus}" if args.client_cpus else ""))
    print("| flooders | honest acked / sent | p50 / p95 / p99 / max (ms) | p95 vs 0 | honest failures "
          "| flood sent | ok | rate_limited | other | unanswered | connections: opened / refused / cut "
          "| server vote p95 | server CPU (before) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for s in figures["scenarios"]:
        print(f"| {s['flooders']} | {s['honest_acked']} / {s['honest_votes']} "
              f"| {s['honest_p50_ms']} / {s['honest_p95_ms']} / {s['honest_p99_ms']} / {s['honest_max_ms']} "
              f"| {'-' if s['p95_ratio'] is None else str(s['p95_ratio']) + 'x'} | {s['honest_failures'] or 0} | {s['flood_sent']} | {s['flood_ok']} "
              f"| {s['flood_rate_limited']} | {s['flood_other_refusals'] or 0} | {s['flood_unanswered']} "
              f"| {s['flood_connects']} / {s['flood_connections_refused']} / {s['flood_connections_cut']} "
              f"| {le(s['server_vote_p95_bucket_ms'])} ms | {s['server_cpu_percent']} % "
              f"({s['server_cpu_percent_before']} %) |")
    for s in figures["scenarios"]:
        if s["flood_reasons"] or s["flood_errors"]:
            print(f"  {s['flooders']} flooder(s), why connections ended or were refused: {s['flood_reasons']}"
                  + (f"; errors {s['flood_errors']}" if s["flood_errors"] else ""))
    print(f"  honest votes in the database: {figures['honest_lost']} lost of {figures['honest_votes_checked']} "
          f"checked ({figures['honest_unanswered_last_votes']} whose last vote went unanswered not checked); "
          f"honest phones reconnected {figures['honest_reconnects']} times")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
