"""Measure what one flooding client costs the others: vote ack p95 without and with a flooder.

    python benchmarks/socket_flood.py [--clients 20] [--seconds 10] [--rate 500] [--vote-rate 2]

What it does, all on 127.0.0.1 with one `barcamp run` (gevent, fresh SQLite in a temporary folder):
1. creates an organiser, a forum with 4 topics in dots mode, opens the vote;
2. phase "calm": --clients participants (one asyncio loop, WebSocket transport) each emit `vote`
   --vote-rate times per second for --seconds, alternating value 1 and 0 on one topic (so the dot
   budget never runs out), each awaiting its acknowledgement; records every ack latency;
3. phase "flood": the same, while another process runs one more participant that emits `vote` at
   --rate events per second without waiting for acks, and reconnects (a fresh connection, a fresh
   token bucket) each time the server cuts it;
4. prints, for both phases, the normal clients' acknowledged votes and ack latency p50/p95/max,
   the p95 ratio flood/calm, and what the flooder sent, had acknowledged, had refused
   (`rate_limited`) and how many times it was cut.

The server's socket guard (app/security/sockets.py) allows SOCKET_EVENT_RATE events per second per
connection with bursts of SOCKET_EVENT_BURST, refuses the rest in the ack, and cuts a connection
after SOCKET_FLOOD_CUTOFF refusals. Every wait is bounded; the server is stopped at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing as mp
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mot-de-passe-banc-essai"
EMAIL = "flood@example.org"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def barcamp(*args: str, env: dict, stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "app.entrypoint", *args], env=env, input=stdin, text=True,
                   capture_output=True, check=True, cwd=ROOT, timeout=120)


def join(url: str, code: str) -> str:
    r = requests.post(f"{url}/api/v1/join", json={"code": code}, timeout=30)
    r.raise_for_status()
    return r.json()["token"]


# -- the flooder, in its own process so that its client work does not slow the measuring loop -----
async def _flood(url: str, token: str, event_id: int, topic: int, rate: float, seconds: float, conn) -> None:
    import socketio

    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    sent = acked = refused = cuts = 0

    def on_ack(ack):
        nonlocal acked, refused
        if isinstance(ack, dict) and ack.get("ok"):
            acked += 1
        elif isinstance(ack, dict) and ack.get("error", {}).get("code") == "rate_limited":
            refused += 1

    conn.send("ready")
    end = conn.recv() + seconds
    interval = 1.0 / rate
    while time.time() < end:
        client = socketio.AsyncClient(reconnection=False)
        try:
            await client.connect(url, namespaces=["/live"], transports=["websocket"], auth={"token": token},
                                 wait_timeout=10)
        except Exception:  # noqa: BLE001 - the server may be busy: try again
            await asyncio.sleep(0.1)
            continue
        next_at = time.time()
        while client.connected and time.time() < end:
            try:
                await client.emit("vote", {"proposal_id": topic, "value": sent % 2}, namespace="/live",
                                  callback=on_ack)
            except Exception:  # noqa: BLE001 - cut while sending
                break
            sent += 1
            next_at += interval
            delay = next_at - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif sent % 50 == 0:
                await asyncio.sleep(0)  # let the socket read acks and the disconnect
        if time.time() < end:
            cuts += 1
        await client.disconnect()
    conn.send({"sent": sent, "acked": acked, "refused": refused, "cuts": cuts})


def flooder(url, token, event_id, topic, rate, seconds, conn) -> None:
    asyncio.run(_flood(url, token, event_id, topic, rate, seconds, conn))


# -- the normal clients --------------------------------------------------------------------------
async def measure(url: str, tokens: list[str], event_id: int, topics: list[int], seconds: float,
                  vote_rate: float, start_at: float) -> dict:
    import socketio

    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    clients = []
    for token in tokens:
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(url, namespaces=["/live"], transports=["websocket"], auth={"token": token},
                             wait_timeout=30)
        ack = await client.call("join", {"event_id": event_id}, namespace="/live", timeout=30)
        assert ack.get("ok"), ack
        clients.append(client)
    latencies: list[float] = []
    failures: dict[str, int] = {}

    async def run(i: int, client) -> None:
        topic = topics[i % len(topics)]
        n = 0
        next_at = start_at + (i / len(clients)) / vote_rate  # spread the clients over the interval
        while True:
            delay = next_at - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if time.time() > start_at + seconds:
                return
            sent = time.perf_counter()
            try:
                ack = await client.call("vote", {"proposal_id": topic, "value": 1 - n % 2}, namespace="/live",
                                        timeout=30)
                code = None if ack.get("ok") else ack.get("error", {}).get("code", "?")
            except Exception as exc:  # noqa: BLE001 - a timeout is a failure to report
                code = type(exc).__name__
            if code is None:
                latencies.append(time.perf_counter() - sent)
            else:
                failures[code] = failures.get(code, 0) + 1
            n += 1
            next_at += 1.0 / vote_rate

    await asyncio.gather(*(run(i, c) for i, c in enumerate(clients)))
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
    return {"acked": len(latencies), "failures": failures, "latencies": latencies}


def phase(url, tokens, event_id, topics, args, flood_token=None) -> tuple[dict, dict | None]:
    parent = child = process = None
    if flood_token:
        parent, child = mp.Pipe()
        process = mp.Process(target=flooder, args=(url, flood_token, event_id, topics[0], args.rate, args.seconds,
                                                   child), daemon=True)
        process.start()
        assert parent.poll(30) and parent.recv() == "ready"
    start_at = time.time() + 2.0
    if parent:
        parent.send(start_at - 0.5)  # the flood is on before the first measured vote
    result = asyncio.run(measure(url, tokens, event_id, topics, args.seconds, args.vote_rate, start_at))
    flood = None
    if parent:
        flood = parent.recv() if parent.poll(args.seconds + 60) else {"error": "flooder did not report"}
        process.join(10)
    return result, flood


def summary(name: str, result: dict) -> str:
    lat = [x * 1000 for x in result["latencies"]]
    if not lat:
        return f"{name:6} no acknowledged vote; failures {result['failures']}"
    return (f"{name:6} acked {result['acked']:5d}  p50 {percentile(lat, 50):7.1f} ms  p95 {percentile(lat, 95):7.1f} ms"
            f"  max {max(lat):7.1f} ms  failures {result['failures'] or 0}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=500.0, help="flooder events per second")
    parser.add_argument("--vote-rate", type=float, default=2.0, help="votes per second of each normal client")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="socket-flood-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "BARCAMP_DATABASE_URL": f"sqlite:///{tmp / 'flood.sqlite3'}", "BARCAMP_SECRET_KEY": "flood",
           "BARCAMP_PUBLIC_URL": url, "BARCAMP_JOIN_RATE_LIMIT": "100000 per minute"}
    env.pop("BARCAMP_REDIS_URL", None)
    barcamp("db", "upgrade", env=env)
    barcamp("organiser", "create", EMAIL, env=env, stdin=PASSWORD + "\n")
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - the server writes it until the end
    server = subprocess.Popen([sys.executable, "-m", "app.entrypoint", "run", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/api/v1/openapi.json", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("barcamp run did not start: " + (tmp / "server.log").read_text()[-2000:])
                time.sleep(0.1)
        token = requests.post(f"{url}/api/v1/auth/token", json={"email": EMAIL, "password": PASSWORD},
                              timeout=30).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        event = requests.post(f"{url}/api/v1/events", json={"title": "Inondation", "voting": {"mode": "dots"}},
                              headers=auth, timeout=30).json()
        requests.put(f"{url}/api/v1/events/{event['id']}/phase", json={"phase": "proposals"}, headers=auth,
                     timeout=30).raise_for_status()
        topics = [requests.post(f"{url}/api/v1/events/{event['id']}/proposals", json={"title": f"Sujet {i}"},
                                headers=auth, timeout=30).json()["id"] for i in range(4)]
        requests.put(f"{url}/api/v1/events/{event['id']}/phase", json={"phase": "voting"}, headers=auth,
                     timeout=30).raise_for_status()
        tokens = [join(url, event["join_code"]) for _ in range(args.clients)]
        flood_token = join(url, event["join_code"])

        calm, _ = phase(url, tokens, event["id"], topics, args)
        flooded, flood = phase(url, tokens, event["id"], topics, args, flood_token=flood_token)
        print(f"socket_flood: {args.clients} clients x {args.vote_rate:g} votes/s for {args.seconds:g} s; "
              f"flooder at {args.rate:g} events/s")
        print(summary("calm", calm))
        print(summary("flood", flooded))
        if calm["latencies"] and flooded["latencies"]:
            ratio = percentile(flooded["latencies"], 95) / percentile(calm["latencies"], 95)
            print(f"p95 flood / calm: {ratio:.2f}  (target <= 1.20)")
        print(f"flooder: {flood}")
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
