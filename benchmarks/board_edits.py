"""Measure a live workshop board: one facilitator edits cards, N-1 phones on the same board must see it.

    python benchmarks/board_edits.py [--clients 50] [--edits 40] [--pause 0.3] [--cards 30]
                                     [--database-url URL] [--json]

What it does, all on 127.0.0.1:
1. starts `barcamp run` on a fresh SQLite database (the same start-up as live_votes.py: migrate,
   create an organiser, free port);
2. through the API: a forum moved to the `workshops` phase, one workshop, and --cards cards spread
   over the seven sections (a realistic board payload);
3. connects --clients Socket.IO clients over WebSocket, all in one asyncio loop: one organiser
   (the facilitator) and clients-1 participants, each `workshop_join`-ing the board;
4. the facilitator emits --edits `card_edit` calls, one after the other, each writing a unique
   marker into one card, waits until every other client has received a `board` message carrying
   that marker (or 5 s), then pauses --pause seconds;
5. prints, over every (edit, client) pair, the delay from the moment the edit was sent to the
   moment the client received the board that shows it: p50 / p95 / max, plus ack latency and
   how many `board` messages each client received (coalescing).

The clients run in the same process, so their receive times share one clock; their own JSON
decoding (49 boards per edit) is included in the figures, which makes them an upper bound.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_votes import EMAIL, PASSWORD, percentile, raise_open_file_limit, start_server  # noqa: E402

SECTIONS = ["constat", "questions", "propositions", "pistes", "conseils", "prochaine_etape", "indicateurs"]


def create_board(url: str, cards: int) -> dict:
    api = url + "/api/v1"
    token = requests.post(api + "/auth/token", json={"email": EMAIL, "password": PASSWORD}, timeout=10).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    event = requests.post(api + "/events", json={"title": "Banc d'essai : tableau d'atelier"}, headers=headers,
                          timeout=10).json()
    for phase in ("proposals", "voting", "closed", "workshops"):
        requests.put(f"{api}/events/{event['id']}/phase", json={"phase": phase}, headers=headers,
                     timeout=10).raise_for_status()
    workshop = requests.post(f"{api}/events/{event['id']}/workshops", json={"title": "Transition numérique"},
                             headers=headers, timeout=10).json()
    ids = []
    for n in range(cards):
        r = requests.post(f"{api}/workshops/{workshop['id']}/cards", headers=headers, timeout=10, json={
            "section": SECTIONS[n % len(SECTIONS)],
            "text": f"Carte {n} : une borne numérique avec un tutoriel pour répondre aux principales situations",
        })
        r.raise_for_status()
        ids.append(r.json()["id"])
    return {"event": event, "workshop_id": workshop["id"], "card_ids": ids, "organiser_token": token}


async def run_clients(url: str, board: dict, clients: int, edits: int, pause: float) -> dict:
    import logging

    import aiohttp
    import socketio

    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    wid = board["workshop_id"]
    async with aiohttp.ClientSession() as http:
        tokens = []
        for _ in range(clients - 1):
            async with http.post(f"{url}/api/v1/join", json={"code": board["event"]["join_code"]}) as r:
                tokens.append((await r.json())["token"])

    seen: dict[str, dict[int, float]] = {}  # marker -> {client index: receive time}
    counts = [0] * clients

    def listener(index: int):
        def on_board(message):
            now = time.perf_counter()
            counts[index] += 1
            for section in message["board"]["sections"]:
                for card in section["cards"]:
                    marker = card["text"].rsplit("#", 1)[-1]
                    if marker in seen and index not in seen[marker]:
                        seen[marker][index] = now
        return on_board

    sockets = []
    gate = asyncio.Semaphore(16)

    async def connect(index: int, token: str):
        async with gate:
            client = socketio.AsyncClient(reconnection=False, request_timeout=30)
            if index:
                client.on("board", listener(index), namespace="/live")
            await client.connect(url, namespaces=["/live"], transports=["websocket"], auth={"token": token},
                                 wait_timeout=30)
            ack = await client.call("workshop_join", {"workshop_id": wid}, namespace="/live", timeout=30)
            if not ack.get("ok"):
                raise RuntimeError(f"workshop_join refused: {ack}")
            sockets.append(client)
            return client, ack["board"]

    editor, state = await connect(0, board["organiser_token"])
    await asyncio.gather(*(connect(i + 1, token) for i, token in enumerate(tokens)))
    versions = {c["id"]: c["version"] for s in state["sections"] for c in s["cards"]}
    delays: list[float] = []
    acks: list[float] = []
    missed = 0
    for n in range(edits):
        card_id = board["card_ids"][n % len(board["card_ids"])]
        marker = f"e{n}"
        seen[marker] = {}
        sent = time.perf_counter()
        ack = await editor.call("card_edit", {"workshop_id": wid, "card_id": card_id, "version": versions[card_id],
                                              "text": f"Carte modifiée par l'animateur #{marker}"},
                                namespace="/live", timeout=30)
        acks.append(time.perf_counter() - sent)
        if not ack.get("ok"):
            raise RuntimeError(f"card_edit refused: {ack}")
        versions[card_id] = ack["card"]["version"]
        deadline = time.perf_counter() + 5
        while len(seen[marker]) < clients - 1 and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        missed += clients - 1 - len(seen[marker])
        delays += [at - sent for at in seen[marker].values()]
        await asyncio.sleep(pause)
    await asyncio.gather(*(c.disconnect() for c in sockets), return_exceptions=True)
    return {"delays": delays, "acks": acks, "missed": missed, "boards_per_client": sum(counts[1:]) / (clients - 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--pause", type=float, default=0.3)
    parser.add_argument("--cards", type=int, default=30)
    parser.add_argument("--database-url")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    raise_open_file_limit()
    with tempfile.TemporaryDirectory(prefix="board-bench-") as tmp:
        server, url, _env = start_server(Path(tmp), args.database_url, args.clients)
        try:
            board = create_board(url, args.cards)
            result = asyncio.run(run_clients(url, board, args.clients, args.edits, args.pause))
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except Exception:  # noqa: BLE001 - stop it whatever happens
                server.kill()
    ms = [d * 1000 for d in result["delays"]]
    summary = {
        "clients": args.clients, "edits": args.edits, "cards": args.cards,
        "deliveries": len(ms), "missed": result["missed"],
        "edit_to_screen_ms": {"p50": round(percentile(ms, 50), 1), "p95": round(percentile(ms, 95), 1),
                              "max": round(max(ms), 1) if ms else None},
        "ack_ms": {"p50": round(percentile([a * 1000 for a in result["acks"]], 50), 1),
                   "p95": round(percentile([a * 1000 for a in result["acks"]], 95), 1)},
        "boards_per_client": round(result["boards_per_client"], 1),
    }
    if args.json:
        print(json.dumps(summary))
        return
    print(f"{args.clients} clients on one board ({args.cards} cards), {args.edits} edits, pause {args.pause} s")
    print(f"edit -> other screens: p50 {summary['edit_to_screen_ms']['p50']} ms, "
          f"p95 {summary['edit_to_screen_ms']['p95']} ms, max {summary['edit_to_screen_ms']['max']} ms "
          f"({summary['deliveries']} deliveries, {summary['missed']} missed)")
    print(f"edit ack: p50 {summary['ack_ms']['p50']} ms, p95 {summary['ack_ms']['p95']} ms")
    print(f"board messages per client: {summary['boards_per_client']}")


if __name__ == "__main__":
    main()
