"""Acknowledged = durable: kill -9 a real `barcamp run` during a burst of votes and quiz answers.

    python benchmarks/crash_votes.py [--participants 200] [--rounds 50]
                                     [--synchronous FULL|NORMAL] [--no-kill] [--json]

One SQLite database in a temporary folder, one `barcamp run` process on it. Each round:
1. creates two forums through the API: one in the vote (dots: 3 dots, at most 2 per topic,
   8 topics) and one in the icebreaker (the 6-question style-innovation quiz, self-paced);
2. N participants join both (POST /api/v1/join) and connect to /live twice (WebSocket), one
   connection per forum; a projector listens to the vote forum;
3. burst: every participant sends, at once and one after the other awaiting each
   acknowledgement, its 2-3 votes (`vote`, absolute values on distinct topics) and its 6 quiz
   answers (`quiz_answer`) and cards; when a random share (5-95 %) of the burst has been
   acknowledged, the server gets SIGKILL (kill -9): always mid-burst, with writes in flight;
4. with the server dead: `PRAGMA integrity_check`, and every acknowledged vote/answer must be in
   the database with its value ("lost" counts those that are not); rows stored but never
   acknowledged are counted ("stored without ack": the commit happened, the ack did not);
5. restart `barcamp run` on the same database and port; every participant reconnects, joins
   again and resends what was not acknowledged (absolute values: a resend is idempotent);
6. checks: the database holds exactly every participant's plan (no vote or answer missing or
   doubled), `barcamp recount` says OK, a recount of the downloaded pseudonymous ballots equals
   GET /results, the projector's last `tally` equals it too, and the quiz room's counts
   (GET /quiz/results) equal the stored answers.
Prints one line per round and the totals; exits 1 if any round lost, doubled or mismatched.
`--no-kill` runs the same burst without the kill and prints its throughput (to compare
`--synchronous FULL` with `NORMAL`).

Workshop cards too: a third forum in the workshops phase with one board; each participant adds 2
cards (POST /api/v1/workshops/{id}/cards, acknowledged = HTTP 201) with a client-generated
`client_key`, so a card resent after a lost acknowledgement is the same card, never a second one.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EMAIL = "crash@example.org"
PASSWORD = "mot-de-passe-crash-test"
TOPICS = 8
QUESTIONS = 6
CARDS = 2
CALL_TIMEOUT = 30.0
#: rounds of resending after the restart (a call that timed out is resent in the next one)
RESEND_ATTEMPTS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def barcamp(*args: str, env: dict, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "barcamp.entrypoint", *args], env=env, input=stdin, text=True,
                          capture_output=True, cwd=ROOT, timeout=120)


class Server:
    """A `barcamp run` subprocess on one SQLite file, which can be killed and restarted."""

    def __init__(self, workdir: Path, participants: int, synchronous: str) -> None:
        self.workdir = workdir
        self.db_path = workdir / "barcamp.sqlite3"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "BARCAMP_DATABASE_URL": f"sqlite:///{self.db_path}",
            "BARCAMP_SECRET_KEY": "crash-secret",
            "BARCAMP_PUBLIC_URL": self.url,
            "BARCAMP_JOIN_RATE_LIMIT": f"{max(600, participants * 4)} per minute",
            "BARCAMP_SQLITE_SYNCHRONOUS": synchronous,
            "BARCAMP_PURGE_FIRST_DELAY": "86400",
        }
        self.env.pop("BARCAMP_REDIS_URL", None)
        self.process: subprocess.Popen | None = None
        self.restarts = 0

    def prepare(self) -> None:
        for args, stdin in ((("db", "upgrade", "--revision", "heads"), None), (("organiser", "create", EMAIL), PASSWORD + "\n")):
            result = barcamp(*args, env=self.env, stdin=stdin)
            if result.returncode:
                raise RuntimeError(f"barcamp {' '.join(args)} failed: {result.stderr[-2000:]}")

    def start(self) -> None:
        log = open(self.workdir / "server.log", "a")
        self.process = subprocess.Popen([sys.executable, "-m", "barcamp.entrypoint", "run", "--port", str(self.port)],
                                        env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120  # a loaded machine can take its time to import everything
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("barcamp run exited: " + (self.workdir / "server.log").read_text()[-2000:])
            try:
                requests.get(self.url + "/api/v1/openapi.json", timeout=10)
                return
            except requests.RequestException:  # not listening yet, or too busy importing to answer
                time.sleep(0.05)
        raise RuntimeError("barcamp run did not answer within 120 s")

    def kill9(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()

    def query(self, sql: str, *params) -> list[tuple]:
        conn = sqlite3.connect(self.db_path, timeout=30)
        try:
            return [tuple(row) for row in conn.execute(sql, params)]
        finally:
            conn.close()


# -- forums -----------------------------------------------------------------------------------------
def api(server: Server, method: str, path: str, headers=None, expect=200, **kw):
    response = requests.request(method, f"{server.url}/api/v1{path}", headers=headers, timeout=30, **kw)
    if response.status_code != expect:
        raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
    return response.json() if response.content and response.headers.get("content-type", "").startswith(
        "application/json") else response.text


def create_forums(server: Server) -> dict:
    token = api(server, "POST", "/auth/token", json={"email": EMAIL, "password": PASSWORD})["token"]
    headers = {"Authorization": f"Bearer {token}"}
    vote = api(server, "POST", "/events", headers, 201, json={
        "title": "Crash : vote", "voting": {"mode": "dots", "dots": 3, "max_per_proposal": 2}})
    api(server, "PUT", f"/events/{vote['id']}/phase", headers, json={"phase": "proposals"})
    topics = [api(server, "POST", f"/events/{vote['id']}/proposals", headers, 201,
                  json={"title": f"Sujet de crash {n}"})["id"] for n in range(TOPICS)]
    api(server, "PUT", f"/events/{vote['id']}/phase", headers, json={"phase": "voting"})
    quiz = api(server, "POST", "/events", headers, 201, json={"title": "Crash : quiz"})
    api(server, "PUT", f"/events/{quiz['id']}/phase", headers, json={"phase": "icebreaker"})
    board = api(server, "POST", "/events", headers, 201, json={"title": "Crash : ateliers"})
    for phase in ("proposals", "voting", "closed", "workshops"):
        api(server, "PUT", f"/events/{board['id']}/phase", headers, json={"phase": phase})
    workshop = api(server, "POST", f"/events/{board['id']}/workshops", headers, 201,
                   json={"title": "Atelier de crash"})
    projector = "v_" + vote["projector_url"].rstrip("/").rsplit("/", 1)[-1]
    return {"headers": headers, "vote": vote, "quiz": quiz, "topics": topics, "projector": projector,
            "board": board, "workshop": workshop["id"]}


def plan_for(rng: random.Random, topics: list[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list]:
    """Votes on distinct topics (3 dots: three 1s, or a 2 and a 1), the 6 quiz answers, 2 cards."""
    if rng.random() < 0.5:
        votes = [(t, 1) for t in rng.sample(topics, 3)]
    else:
        first, second = rng.sample(topics, 2)
        votes = [(first, 2), (second, 1)]
    answers = [(q, rng.randrange(4)) for q in range(QUESTIONS)]
    cards = [(uuid.UUID(int=rng.getrandbits(128)).hex, f"Constat {rng.randrange(10**6)}") for _ in range(CARDS)]
    return votes, answers, cards


# -- clients --------------------------------------------------------------------------------------------
class Person:
    """One participant: a token and a socket per forum, a plan, and what was acknowledged."""

    def __init__(self, vote_join: dict, quiz_join: dict, board_join: dict, votes, answers, cards) -> None:
        self.vote_token, self.vote_pid = vote_join["token"], vote_join["participant_id"]
        self.quiz_token, self.quiz_pid = quiz_join["token"], quiz_join["participant_id"]
        self.board_token, self.board_pid = board_join["token"], board_join["participant_id"]
        self.votes = votes  # [(topic, value)]
        self.answers = answers  # [(question, choice)]
        self.cards = cards  # [(client_key, text)]
        self.acked_votes: list[tuple[int, int]] = []
        self.acked_answers: list[tuple[int, int]] = []
        self.acked_cards: list[tuple[str, str]] = []
        self.sockets: dict = {}


async def open_socket(url: str, token: str, event_id: int):
    import socketio

    client = socketio.AsyncClient(reconnection=False, request_timeout=30)
    gone = asyncio.Event()
    client.on("disconnect", lambda *a: gone.set(), namespace="/live")
    await client.connect(url, namespaces=["/live"], transports=["websocket"], auth={"token": token}, wait_timeout=30)
    ack = await client.call("join", {"event_id": event_id}, namespace="/live", timeout=CALL_TIMEOUT)
    if not ack.get("ok"):
        raise RuntimeError(f"join refused: {ack}")
    return client, gone


async def call(sock, event: str, payload: dict):
    """Emit and wait for the ack; None when the connection dies first (the server was killed)."""
    client, gone = sock
    if gone.is_set() or not client.connected:
        return None
    task = asyncio.ensure_future(client.call(event, payload, namespace="/live", timeout=CALL_TIMEOUT))
    waiter = asyncio.ensure_future(gone.wait())
    done, _pending = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    if task in done and not task.exception():
        return task.result()
    task.cancel()
    return None


async def send_all(person: Person, pending_votes, pending_answers, pending_cards=(), http=None,
                   url: str = "", workshop: int = 0) -> None:
    """Send the pending votes, answers and cards (three sequences in parallel), recording each ack."""

    async def votes():
        for topic, value in pending_votes:
            ack = await call(person.sockets["vote"], "vote", {"proposal_id": topic, "value": value})
            if not (ack and ack.get("ok")):
                if ack is not None:
                    raise RuntimeError(f"vote refused: {ack}")
                return
            person.acked_votes.append((topic, value))

    async def answers():
        for question, choice in pending_answers:
            ack = await call(person.sockets["quiz"], "quiz_answer", {"question": question, "choice": choice})
            if not (ack and ack.get("ok")):
                if ack is not None:
                    raise RuntimeError(f"answer refused: {ack}")
                return
            person.acked_answers.append((question, choice))

    async def cards():
        for key, text in pending_cards:
            try:
                async with http.post(f"{url}/api/v1/workshops/{workshop}/cards",
                                     json={"section": "constat", "text": text, "client_key": key},
                                     headers={"Authorization": f"Bearer {person.board_token}"}) as r:
                    if r.status != 201:
                        raise RuntimeError(f"card refused: {r.status} {await r.text()}")
                    await r.json()
            except (OSError, asyncio.TimeoutError, _client_errors()):
                return  # the server died: not acknowledged
            person.acked_cards.append((key, text))

    await asyncio.gather(votes(), answers(), cards())


def _client_errors():
    import aiohttp

    return aiohttp.ClientError


async def connect_all(server: Server, forums: dict, people: list[Person]) -> list[float]:
    """Connect every person to both forums; return each one's seconds from connect to the joined state."""
    gate = asyncio.Semaphore(32)
    delays: list[float] = []

    async def one(person: Person):
        async with gate:
            started = time.monotonic()
            person.sockets["vote"] = await open_socket(server.url, person.vote_token, forums["vote"]["id"])
            delays.append(time.monotonic() - started)
            person.sockets["quiz"] = await open_socket(server.url, person.quiz_token, forums["quiz"]["id"])

    await asyncio.gather(*(one(p) for p in people))
    return delays


async def reconnect_dead(server: Server, forums: dict, people: list[Person]) -> None:
    """Open again the sockets that dropped (a timed-out call leaves the socket up: nothing to do)."""
    for person in people:
        for kind, token, event_id in (("vote", person.vote_token, forums["vote"]["id"]),
                                      ("quiz", person.quiz_token, forums["quiz"]["id"])):
            client, gone = person.sockets[kind]
            if gone.is_set() or not client.connected:
                person.sockets[kind] = await open_socket(server.url, token, event_id)


async def close_all(people: list[Person]) -> None:
    await asyncio.gather(*(s[0].disconnect() for p in people for s in p.sockets.values() if s[0].connected),
                         return_exceptions=True)
    for person in people:
        person.sockets = {}


async def join_all(server: Server, forums: dict, count: int, rng: random.Random) -> list[Person]:
    import aiohttp

    gate = asyncio.Semaphore(16)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        async def join(code: str) -> dict:
            async with gate, http.post(f"{server.url}/api/v1/join", json={"code": code}) as r:
                if r.status != 201:
                    raise RuntimeError(f"join refused: {r.status} {await r.text()}")
                return await r.json()

        vote_joins = await asyncio.gather(*(join(forums["vote"]["join_code"]) for _ in range(count)))
        quiz_joins = await asyncio.gather(*(join(forums["quiz"]["join_code"]) for _ in range(count)))
        board_joins = await asyncio.gather(*(join(forums["board"]["join_code"]) for _ in range(count)))
    return [Person(v, q, b, *plan_for(rng, forums["topics"])) for v, q, b in zip(vote_joins, quiz_joins, board_joins)]


# -- checks ---------------------------------------------------------------------------------------------
def stored(server: Server, forums: dict) -> tuple[dict, dict, int, int]:
    """Ballots and answers in the database: {(participant, key): [values]}; and how many are doubled."""
    ballots: dict = {}
    for pid, topic, value in server.query("SELECT participant_id, proposal_id, value FROM ballots WHERE event_id = ?",
                                          forums["vote"]["id"]):
        ballots.setdefault((pid, topic), []).append(value)
    answers: dict = {}
    for pid, question, choice in server.query(
            "SELECT participant_id, question, choice FROM quiz_answers WHERE event_id = ?", forums["quiz"]["id"]):
        answers.setdefault((pid, question), []).append(choice)
    doubled_votes = sum(1 for v in ballots.values() if len(v) > 1)
    doubled_answers = sum(1 for v in answers.values() if len(v) > 1)
    cards: dict = {}
    for key, text, author in server.query("SELECT client_key, text, author_participant_id FROM cards "
                                          "WHERE workshop_id = ?", forums["workshop"]):
        cards.setdefault(key, []).append((text, author))
    doubled_cards = sum(1 for v in cards.values() if len(v) > 1)
    return ballots, answers, cards, doubled_votes + doubled_answers + doubled_cards


def compare(people: list[Person], ballots: dict, answers: dict, cards: dict, acked_only: bool) -> dict:
    """Acknowledged (or, after the resend, planned) operations missing or wrong in the database."""
    out = Counter()
    for p in people:
        votes = p.acked_votes if acked_only else p.votes
        answers_ = p.acked_answers if acked_only else p.answers
        for topic, value in votes:
            if ballots.get((p.vote_pid, topic)) != [value]:
                out["lost_votes"] += 1
        for question, choice in answers_:
            if answers.get((p.quiz_pid, question)) != [choice]:
                out["lost_answers"] += 1
        for key, text in (p.acked_cards if acked_only else p.cards):
            if cards.get(key) != [(text, p.board_pid)]:
                out["lost_cards"] += 1
        if acked_only:
            unacked_v = p.votes[len(p.acked_votes):]
            unacked_a = p.answers[len(p.acked_answers):]
            out["stored_without_ack_votes"] += sum(1 for t, v in unacked_v if ballots.get((p.vote_pid, t)) == [v])
            out["stored_without_ack_answers"] += sum(
                1 for q, c in unacked_a if answers.get((p.quiz_pid, q)) == [c])
            out["stored_without_ack_cards"] += sum(1 for k, _t in p.cards[len(p.acked_cards):] if k in cards)
        else:
            planned = {(p.vote_pid, t) for t, _v in p.votes}
            out["extra_votes"] += sum(1 for key in ballots if key[0] == p.vote_pid and key not in planned)
    return out


def integrity(server: Server) -> str:
    return server.query("PRAGMA integrity_check")[0][0]


async def projector_tally(server: Server, forums: dict, expected: dict, timeout: float = 10.0) -> bool:
    """Connect a projector after the restart and wait for its tally (join state or message) to equal `expected`."""
    import socketio

    from barcamp.realtime.deltas import TallyFollower  # tallies come as deltas: applied as live.js does

    client = socketio.AsyncClient(reconnection=False)
    follower = TallyFollower()
    client.on("tally", follower.receive, namespace="/live")
    await client.connect(server.url, namespaces=["/live"], transports=["websocket"],
                         auth={"token": forums["projector"]}, wait_timeout=30)
    try:
        state = await client.call("join", {"event_id": forums["vote"]["id"]}, namespace="/live", timeout=30)
        follower.start(state["state"])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if follower.body == expected:
                return True
            await asyncio.sleep(0.05)
        return False
    finally:
        await client.disconnect()


def recount_ok(server: Server, forums: dict, cli: bool = True) -> tuple[bool, bool, dict]:
    """(`barcamp recount` says OK, the downloaded ballots recount to GET /results, the results).

    cli=False skips the `barcamp recount` subprocess (reported as OK): the test suite's rounds.
    """
    from barcamp.privacy.recount import rank

    event_id = forums["vote"]["id"]
    results = api(server, "GET", f"/events/{event_id}/results", forums["headers"])
    box = api(server, "GET", f"/events/{event_id}/ballots", forums["headers"])
    offline = rank(box["mode"], [(t["id"], t["title"]) for t in box["topics"]],
                   [(b["voter"], b["proposal_id"], b["value"]) for b in box["ballots"]])
    if not cli:
        return True, offline == results, results
    done = barcamp("recount", str(event_id), env=server.env)
    return done.returncode == 0 and "OK" in done.stdout, offline == results, results


def quiz_counts_ok(server: Server, forums: dict) -> bool:
    room = api(server, "GET", f"/events/{forums['quiz']['id']}/quiz/results", forums["headers"])
    stored_counts = Counter(server.query("SELECT question, choice FROM quiz_answers WHERE event_id = ?",
                                         forums["quiz"]["id"]))
    for entry in room["questions"]:
        if entry["counts"] != [stored_counts.get((entry["index"], c), 0) for c in range(len(entry["counts"]))]:
            return False
    return True


# -- a round ------------------------------------------------------------------------------------------------------
async def run_round(server: Server, participants: int, rng: random.Random, kill: bool,
                    cli_recount: bool = True) -> dict:
    forums = create_forums(server)
    people = await join_all(server, forums, participants, rng)
    await connect_all(server, forums, people)
    total_votes = sum(len(p.votes) for p in people)
    total_answers = sum(len(p.answers) for p in people)
    total_cards = sum(len(p.cards) for p in people)
    import aiohttp

    http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=CALL_TIMEOUT),
                                 connector=aiohttp.TCPConnector(limit=64))
    board = {"http": http, "url": server.url, "workshop": forums["workshop"]}

    # kill when a random share of the burst has been acknowledged: always mid-burst, whatever the load
    kill_share = rng.uniform(0.05, 0.95) if kill else None
    total_ops = total_votes + total_answers + total_cards
    started = time.monotonic()
    burst = asyncio.ensure_future(asyncio.gather(*(send_all(p, p.votes, p.answers, p.cards, **board)
                                                   for p in people)))
    killed, kill_at = False, None
    if kill_share is not None:
        while not burst.done():
            acked = sum(len(p.acked_votes) + len(p.acked_answers) + len(p.acked_cards) for p in people)
            if acked >= kill_share * total_ops:
                server.kill9()
                killed, kill_at = True, time.monotonic() - started
                break
            await asyncio.sleep(0.005)
    await burst
    burst_seconds = time.monotonic() - started
    acked_votes = sum(len(p.acked_votes) for p in people)
    acked_answers = sum(len(p.acked_answers) for p in people)
    acked_cards = sum(len(p.acked_cards) for p in people)
    row = {"kill_at": round(kill_at, 3) if kill_at is not None else None, "killed_mid_burst": killed,
           "kill_share": round(kill_share, 3) if kill_share is not None else None,
           "votes": total_votes, "answers": total_answers, "cards": total_cards, "acked_votes": acked_votes,
           "acked_answers": acked_answers, "acked_cards": acked_cards, "burst_seconds": round(burst_seconds, 3)}

    # -- the server is dead (or the burst finished): what the disk holds ---------------------------------
    if killed:
        row["integrity"] = integrity(server)
    else:
        server.kill9()  # a kill after the burst: still a crash, nothing in flight
        row["integrity"] = integrity(server)
    ballots, answers, cards, doubled = stored(server, forums)
    before = compare(people, ballots, answers, cards, acked_only=True)
    row.update(lost_votes=before["lost_votes"], lost_answers=before["lost_answers"],
               lost_cards=before["lost_cards"],
               stored_without_ack_votes=before["stored_without_ack_votes"],
               stored_without_ack_answers=before["stored_without_ack_answers"],
               stored_without_ack_cards=before["stored_without_ack_cards"], doubled_before=doubled)
    await close_all(people)

    # -- restart, reconnect, resend what was not acknowledged ---------------------------------------------------
    server.start()
    server.restarts += 1
    resent_from = time.monotonic()
    delays = sorted(await connect_all(server, forums, people))
    row["rejoin_p95"] = round(delays[min(len(delays) - 1, int(0.95 * len(delays)))], 3)
    row["resent"] = 0
    for _attempt in range(RESEND_ATTEMPTS):  # like a phone: resend until acknowledged (a timeout is not a no)
        unacked = [(p, p.votes[len(p.acked_votes):], p.answers[len(p.acked_answers):],
                    p.cards[len(p.acked_cards):]) for p in people]
        pending = sum(len(v) + len(a) + len(c) for _p, v, a, c in unacked)
        if not pending:
            break
        row["resent"] += pending
        await reconnect_dead(server, forums, people)
        await asyncio.gather(*(send_all(p, v, a, c, **board) for p, v, a, c in unacked))
    await http.close()
    row["resend_seconds"] = round(time.monotonic() - resent_from, 3)
    row["unacked_after_resend"] = (total_votes - sum(len(p.acked_votes) for p in people)
                                   + total_answers - sum(len(p.acked_answers) for p in people)
                                   + total_cards - sum(len(p.acked_cards) for p in people))
    await close_all(people)

    ballots, answers, cards, doubled = stored(server, forums)
    after = compare(people, ballots, answers, cards, acked_only=False)
    row.update(missing_after=after["lost_votes"] + after["lost_answers"] + after["lost_cards"],
               extra_after=after["extra_votes"] + max(0, sum(len(v) for v in cards.values()) - total_cards),
               doubled=doubled)
    cli_ok, offline_ok, results = recount_ok(server, forums, cli_recount)
    row.update(recount_cli=cli_ok, recount_offline=offline_ok,
               live_tally=await projector_tally(server, forums, results), quiz_counts=quiz_counts_ok(server, forums))
    row["failed_checks"] = [name for name, good in (
        ("integrity", row["integrity"] == "ok"), ("lost", row["lost_votes"] + row["lost_answers"] + row["lost_cards"] == 0),
        ("doubled", row["doubled_before"] + row["doubled"] == 0), ("missing", row["missing_after"] == 0),
        ("extra", row["extra_after"] == 0), ("unacked_after_resend", row["unacked_after_resend"] == 0),
        ("recount_cli", cli_ok), ("recount_offline", offline_ok), ("live_tally", row["live_tally"]),
        ("quiz_counts", row["quiz_counts"])) if not good]
    row["ok"] = (row["integrity"] == "ok" and row["lost_votes"] == row["lost_answers"] == row["lost_cards"] == 0
                 and row["doubled_before"] == 0 and row["missing_after"] == row["extra_after"] == row["doubled"] == 0
                 and row["unacked_after_resend"] == 0 and cli_ok and offline_ok and row["live_tally"]
                 and row["quiz_counts"])
    return row


async def run(participants: int, rounds: int, kill: bool, synchronous: str, seed: int,
              report=print, cli_recount: bool = True) -> list[dict]:
    rng = random.Random(seed)
    workdir = Path(tempfile.mkdtemp(prefix="barcamp-crash-"))
    server = Server(workdir, participants, synchronous)
    server.prepare()
    server.start()
    rows = []
    try:
        for n in range(1, rounds + 1):
            row = await run_round(server, participants, rng, kill, cli_recount)
            row["round"] = n
            rows.append(row)
            report(format_row(row))
    finally:
        server.stop()
    return rows


def commit_cost(voters: int, synchronous: str) -> dict:
    """Votes per second through the vote's hot path (record_ballot in write_transaction), in-process.

    No sockets, no HTTP: what one SQLite commit costs at this `synchronous` level on this disk.
    """
    from barcamp import create_app
    from barcamp.common.db import write_transaction
    from barcamp.events.schemas import EventCreate
    from barcamp.events.services import create_event, transition_phase
    from barcamp.accounts.services import create_organiser
    from barcamp.extensions import db
    from barcamp.participants.services import join_event
    from barcamp.proposals.schemas import ProposalCreate
    from barcamp.proposals.services import create_proposal
    from barcamp.voting.services import record_ballot

    workdir = Path(tempfile.mkdtemp(prefix="barcamp-commit-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'cost.sqlite3'}", "SECRET_KEY": "cost",
                      "SQLITE_SYNCHRONOUS": synchronous, "SOCKETIO_ASYNC_MODE": "threading"})
    rng = random.Random(1)
    with app.app_context():
        db.create_all()
        with write_transaction():
            organiser = create_organiser("cost@example.org", PASSWORD)
            event = create_event(organiser.id, EventCreate(title="Coût d'un commit"))
            transition_phase(event, "proposals")
            topics = [create_proposal(event, None, ProposalCreate(title=f"Sujet {n}")).id for n in range(TOPICS)]
            transition_phase(event, "voting")
            people = [join_event(event)[0].id for _ in range(voters)]
        event_id = event.id
        plans = [(pid, plan_for(rng, topics)[0]) for pid in people]
        started = time.perf_counter()
        commits = 0
        for pid, votes in plans:
            for topic, value in votes:
                with write_transaction():
                    record_ballot(event_id, pid, topic, value)
                commits += 1
        elapsed = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    app.extensions["barcamp_live"].stop()
    return {"synchronous": synchronous, "commits": commits, "seconds": round(elapsed, 3),
            "votes_per_second": round(commits / elapsed, 1), "ms_per_vote": round(1000 * elapsed / commits, 2)}


def format_row(row: dict) -> str:
    kill = (f"kill -9 at {row['kill_at']:.2f} s ({row['kill_share']:.0%} of the burst acked)"
            if row["killed_mid_burst"] else "no kill")
    return (f"round {row['round']:>2}: {kill} | votes acked {row['acked_votes']}/{row['votes']}, "
            f"answers acked {row['acked_answers']}/{row['answers']}, cards acked {row['acked_cards']}/{row['cards']} | "
            f"lost {row['lost_votes'] + row['lost_answers'] + row['lost_cards']}, stored without ack "
            f"{row['stored_without_ack_votes'] + row['stored_without_ack_answers'] + row['stored_without_ack_cards']}, "
            f"resent {row['resent']} | doubled {row['doubled']} | integrity {row['integrity']} | "
            f"recount {'OK' if row['recount_cli'] and row['recount_offline'] else 'MISMATCH'} | "
            f"live tally {'=' if row['live_tally'] else '≠'} | quiz counts {'=' if row['quiz_counts'] else '≠'} | "
            f"rejoin p95 {row['rejoin_p95']:.2f} s | "
            f"{'OK' if row['ok'] else 'FAILED: ' + ', '.join(row['failed_checks'])}")


def totals(rows: list[dict]) -> dict:
    keys = ("votes", "answers", "cards", "acked_votes", "acked_answers", "acked_cards", "lost_votes",
            "lost_answers", "lost_cards", "stored_without_ack_votes", "stored_without_ack_answers",
            "stored_without_ack_cards", "resent", "doubled", "missing_after")
    out = {k: sum(r[k] for r in rows) for k in keys}
    out.update(rounds=len(rows), killed_mid_burst=sum(r["killed_mid_burst"] for r in rows),
               failed_rounds=sum(not r["ok"] for r in rows),
               integrity_failures=sum(r["integrity"] != "ok" for r in rows),
               rejoin_p95_max=max(r["rejoin_p95"] for r in rows))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--synchronous", default="FULL", choices=["FULL", "NORMAL"])
    parser.add_argument("--no-kill", action="store_true", help="no kill: measure the burst's throughput")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--commit-cost", type=int, metavar="VOTERS",
                        help="only measure votes/s of the hot path in-process, FULL then NORMAL, VOTERS voters")
    args = parser.parse_args()
    if args.commit_cost:
        for level in ("FULL", "NORMAL", "FULL", "NORMAL"):
            print(json.dumps(commit_cost(args.commit_cost, level)))
        return 0
    import logging

    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    logging.getLogger("socketio.client").setLevel(logging.CRITICAL)
    rows = asyncio.run(run(args.participants, args.rounds, not args.no_kill,
                           args.synchronous, args.seed, report=(lambda line: None) if args.json else print))
    summary = totals(rows)
    if args.no_kill:
        bursts = [r["burst_seconds"] for r in rows]
        ops = [(r["votes"] + r["answers"] + r["cards"]) / r["burst_seconds"] for r in rows]
        summary.update(burst_seconds_median=sorted(bursts)[len(bursts) // 2],
                       ops_per_second_median=round(sorted(ops)[len(ops) // 2], 1))
    summary["synchronous"] = args.synchronous
    if args.json:
        print(json.dumps({"rounds": rows, "total": summary}, indent=1))
    else:
        print("total: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    return 1 if summary["failed_rounds"] else 0


if __name__ == "__main__":
    sys.exit(main())
