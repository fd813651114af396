"""Against a real `barcamp run` (gevent, SQLite/PostgreSQL) with real HTTP and Socket.IO clients."""
from __future__ import annotations

import random
import threading
import time

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text

from barcamp.realtime.deltas import TallyFollower

from tests.conftest import fire_concurrently, hang_up, start_server, wait_for

pytestmark = pytest.mark.server
NS = "/live"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module: each test builds its own forum on it."""
    # a budget large enough for the stalled phone's 60 resyncs (10 tokens each) in a row
    live = start_server(tmp_path_factory.mktemp("server"), {"BARCAMP_SOCKET_EVENT_BURST": "1000"})
    yield live
    live.stop()


class Forum:
    """A forum on the live server, driven through the public API."""

    def __init__(self, server, voting=None, topics=3, description=""):
        self.url = server.url
        self.organiser = {"Authorization": f"Bearer {server.organiser_token()}"}
        created = self.api("post", "/events", json={"title": "Forum réel", "voting": voting or {"mode": "dots"}},
                           headers=self.organiser, expect=201)
        self.id, self.code = created["id"], created["join_code"]
        self.set_phase("proposals")
        self.topics = [self.api("post", f"/events/{self.id}/proposals",
                                json={"title": f"Sujet {i}", "description": description},
                                headers=self.join()["headers"], expect=201)["id"] for i in range(topics)]
        self.set_phase("voting")

    def api(self, method, path, expect=200, **kw):
        response = getattr(requests, method)(f"{self.url}/api/v1{path}", timeout=30, **kw)
        assert response.status_code == expect, response.text
        return response.json() if response.content else None

    def set_phase(self, phase):
        self.api("put", f"/events/{self.id}/phase", json={"phase": phase}, headers=self.organiser)

    def join(self, name=""):
        body = self.api("post", "/join", json={"code": self.code.lower(), "name": name}, expect=201)
        return {**body, "headers": {"Authorization": f"Bearer {body['token']}"}}

    def results(self):
        return self.api("get", f"/events/{self.id}/results", headers=self.organiser)


class LiveClient:
    """A python-socketio client on /live (websocket transport) recording every message."""

    def __init__(self, server, token):
        self.messages: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.tallies = TallyFollower()
        self.sio = socketio.Client(reconnection=False)
        for name in ("tally", "proposal", "phase"):
            self.sio.on(name, self._recorder(name), namespace=NS)
        self.sio.connect(server.url, namespaces=[NS], auth={"token": token}, transports=["websocket"],
                         wait_timeout=10)

    def _recorder(self, name):
        def record(payload):
            with self.lock:
                if name == "tally":  # as the phone shows it: deltas applied (app.realtime.deltas)
                    payload = self.tallies.receive(payload)
                if payload is not None:
                    self.messages.append((name, payload))
        return record

    def named(self, name):
        with self.lock:
            return [payload for n, payload in self.messages if n == name]

    def call(self, event, payload):
        ack = self.sio.call(event, payload, namespace=NS, timeout=10)
        if event in ("join", "sync") and isinstance(ack, dict) and ack.get("ok"):
            with self.lock:
                self.messages += [("tally", shown) for shown in self.tallies.start(ack["state"])]
        return ack

    def close(self):
        if self.sio.connected:
            hang_up(self.sio)


@pytest.fixture
def live_clients(server):
    opened = []

    def _open(token):
        client = LiveClient(server, token)
        opened.append(client)
        return client

    yield _open
    for client in opened:
        client.close()


def tally_body(message):
    return {k: v for k, v in message.items() if k not in ("event_id", "version", "stream")}


def server_db(server, sql, **params):
    engine = create_engine(server.env["BARCAMP_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("auth", [None, {"token": "p_inconnu"}], ids=["no_token", "bad_token"])
def test_real_client_connect_without_valid_token_is_refused(server, auth):
    sio = socketio.Client(reconnection=False)

    with pytest.raises(socketio.exceptions.ConnectionError):
        sio.connect(server.url, namespaces=[NS], auth=auth, transports=["websocket"], wait_timeout=10)

    assert sio.connected is False


def test_real_client_cannot_join_another_forums_room(server, live_clients):
    mine, theirs = Forum(server, topics=1), Forum(server, topics=1)
    client = live_clients(mine.join()["token"])

    ack = client.call("join", {"event_id": theirs.id})

    assert ack["ok"] is False
    assert ack["error"]["code"] == "not_in_event"


def test_vote_ack_means_committed(server, live_clients):
    forum = Forum(server, topics=2)
    voter = forum.join()
    client = live_clients(voter["token"])
    client.call("join", {"event_id": forum.id})

    ack = client.call("vote", {"proposal_id": forum.topics[1], "value": 2})

    assert ack == {"ok": True, "value": 2, "remaining": 1}
    assert forum.api("get", f"/events/{forum.id}/votes/mine", headers=voter["headers"]) == {
        "votes": {str(forum.topics[1]): 2}, "remaining": 1}
    assert server_db(server, "SELECT proposal_id, value FROM ballots WHERE participant_id = :p",
                     p=voter["participant_id"]) == [(forum.topics[1], 2)]


def test_tally_reaches_other_clients_and_resync_after_reconnect(server, live_clients):
    forum = Forum(server, topics=2)
    alpha, beta = forum.topics
    a_token, b_token = forum.join("A")["token"], forum.join("B")["token"]
    a, b = live_clients(a_token), live_clients(b_token)
    assert a.call("join", {"event_id": forum.id})["ok"] is True
    b_state = b.call("join", {"event_id": forum.id})["state"]

    assert a.call("vote", {"proposal_id": alpha, "value": 2})["ok"] is True

    tally = wait_for(lambda: [t for t in b.named("tally") if t["ranking"][0]["score"] == 2], timeout=10)[-1]
    assert tally["stream"] == "tally" and tally["version"] > b_state["streams"]["tally"]
    assert [(r["proposal_id"], r["score"], r["voters"]) for r in tally["ranking"]] == [(alpha, 2, 1), (beta, 0, 0)]

    b.close()
    assert a.call("vote", {"proposal_id": beta, "value": 1})["ok"] is True
    assert a.call("vote", {"proposal_id": alpha, "value": 1})["ok"] is True
    b_again = live_clients(b_token)
    resync = b_again.call("join", {"event_id": forum.id})

    assert resync["ok"] is True
    assert resync["state"]["streams"]["tally"] >= tally["version"]

    # what the phone shows: the snapshot's tally, then any tally message newer than its stream version
    # (the snapshot carries the tally last sent; votes committed after it follow within TALLY_INTERVAL)
    def shown():
        newer = [t for t in b_again.named("tally") if t["version"] > resync["state"]["streams"]["tally"]]
        body = newer[-1] if newer else resync["state"]["tally"]
        return {k: v for k, v in body.items() if k not in ("event_id", "version", "stream")}

    # polled at 10 a second: the API answers a caller 20 reads a second (API_READ_LIMIT), then 429
    final = wait_for(lambda: shown() == forum.results() and shown(), timeout=10, interval=0.1)
    assert [(r["proposal_id"], r["score"]) for r in final["ranking"]] == [(alpha, 1), (beta, 1)]


def test_coalesced_tallies_over_real_sockets(server, live_clients):
    forum = Forum(server, topics=3)
    watcher = live_clients(forum.organiser["Authorization"][7:])
    state = watcher.call("join", {"event_id": forum.id})["state"]
    voters = [forum.join() for _ in range(10)]
    phone = live_clients(voters[0]["token"])
    phone_state = phone.call("join", {"event_id": forum.id})["state"]

    started = time.monotonic()
    for i, voter in enumerate(voters):
        for j, pid in enumerate(forum.topics):
            forum.api("put", f"/events/{forum.id}/votes/{pid}", json={"value": (i + j) % 2}, headers=voter["headers"])
    final = forum.results()
    tallies = wait_for(lambda: (t := watcher.named("tally")) and tally_body(t[-1]) == final and t, timeout=10)
    phone_tallies = wait_for(lambda: (t := phone.named("tally")) and tally_body(t[-1]) == final and t, timeout=10)
    elapsed = time.monotonic() - started

    assert len(tallies) <= elapsed / 0.2 + 2  # Config.TALLY_INTERVAL of the server
    assert len(tallies) < 30
    versions = [state["streams"]["tally"]] + [t["version"] for t in tallies]
    assert all(b > a for a, b in zip(versions, versions[1:]))
    # phones hear at most one tally per PHONE_TALLY_INTERVAL (0.5 s), always the latest, in order,
    # and a skipped tally is no gap in the forum's sequence: no resync
    assert len(phone_tallies) <= elapsed / 0.5 + 2
    phone_versions = [phone_state["streams"]["tally"]] + [t["version"] for t in phone_tallies]
    assert all(b > a for a, b in zip(phone_versions, phone_versions[1:]))


def test_fifty_concurrent_requests_of_one_participant_never_overspend(server):
    forum = Forum(server, voting={"mode": "dots", "dots": 3, "max_per_proposal": 2}, topics=5)
    voter = forum.join()
    rng = random.Random(17)
    plan = [(rng.choice(forum.topics), rng.choice([0, 1, 2, 2])) for _ in range(50)]

    def call(pid, value):
        return lambda: requests.put(f"{forum.url}/api/v1/events/{forum.id}/votes/{pid}", json={"value": value},
                                    headers=voter["headers"], timeout=60).status_code

    statuses = fire_concurrently([call(pid, value) for pid, value in plan], workers=50)

    assert set(statuses) <= {200, 409}
    rows = server_db(server, "SELECT proposal_id, count(*), sum(value) FROM ballots WHERE participant_id = :p "
                             "GROUP BY proposal_id", p=voter["participant_id"])
    assert all(count == 1 for _, count, _ in rows)
    spent = sum(total for _, _, total in rows)
    assert spent <= 3
    mine = forum.api("get", f"/events/{forum.id}/votes/mine", headers=voter["headers"])
    assert mine == {"votes": {str(pid): total for pid, _, total in rows}, "remaining": 3 - spent}
    assert sum(r["score"] for r in forum.results()["ranking"]) == spent


class StalledPhone:
    """A phone on a raw WebSocket (wsproto) that can stop reading: its kernel buffers fill up."""

    def __init__(self, server, token):
        import json
        import socket as socket_module

        from wsproto import WSConnection
        from wsproto.connection import ConnectionType
        from wsproto.events import AcceptConnection, Request

        self.json = json
        self.sock = socket_module.socket()
        self.sock.setsockopt(socket_module.SOL_SOCKET, socket_module.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", server.port))
        self.sock.settimeout(30)
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.sock.sendall(self.ws.send(Request(host=f"127.0.0.1:{server.port}",
                                               target="/socket.io/?EIO=4&transport=websocket")))
        self.texts: list[str] = []
        self._pending = ""
        accepted = False
        while not accepted:
            self.ws.receive_data(self.sock.recv(65536))
            accepted = any(isinstance(event, AcceptConnection) for event in self._events())
        self.send(f"40{NS},{json.dumps({'token': token})}")
        self.read_until(lambda: any(t.startswith(f"40{NS},") for t in self.texts))

    def _events(self):
        from wsproto.events import Ping, TextMessage

        for event in self.ws.events():
            if isinstance(event, TextMessage):
                self._pending += event.data
                if event.message_finished:
                    self.texts.append(self._pending)
                    self._pending = ""
            elif isinstance(event, Ping):
                self.sock.sendall(self.ws.send(event.response()))
            yield event

    def send(self, text):
        from wsproto.events import TextMessage

        self.sock.sendall(self.ws.send(TextMessage(data=text)))

    def emit(self, ack_id, event, payload):
        self.send(f"42{NS},{ack_id}{self.json.dumps([event, payload])}")

    def read_until(self, done):
        while not done():
            data = self.sock.recv(65536)
            assert data, "the server closed the connection"
            self.ws.receive_data(data)
            for _ in self._events():
                pass

    def acks(self):
        prefix = f"43{NS},"
        return [(int(t[len(prefix):t.index("[")]), self.json.loads(t[t.index("["):])[0])
                for t in self.texts if t.startswith(prefix)]

    def received(self, prefix):
        """How many whole messages start with `prefix` (cheap: read_until asks after every chunk)."""
        return sum(1 for t in self.texts if t.startswith(prefix))

    def events(self, name):
        prefix = f'42{NS},["{name}",'
        return [self.json.loads(t[len(f"42{NS},"):])[1] for t in self.texts if t.startswith(prefix)]

    def dropped_by_server(self):
        """Read on until the server ends the connection (True) or 30 s pass (a socket timeout)."""
        from wsproto.events import CloseConnection

        while True:
            data = self.sock.recv(65536)
            if not data:
                return True
            self.ws.receive_data(data)
            if any(isinstance(event, CloseConnection) for event in self._events()):
                return True

    def close(self):
        self.sock.close()


def test_a_phone_that_stops_reading_holds_up_no_one_and_gets_everything_in_order(server, live_clients):
    forum = Forum(server, topics=40, description="Une description détaillée. " * 70)  # a state of ~80 KB
    topic = forum.topics[0]
    stalled = StalledPhone(server, forum.join()["token"])
    calls = 60  # about 5 MB of acknowledgements the phone does not read: more than the kernel buffers
    try:
        stalled.emit(1, "join", {"event_id": forum.id})
        for ack_id in range(2, calls + 1):
            stalled.emit(ack_id, "sync", {"event_id": forum.id})
        other = live_clients(forum.join()["token"])
        other.call("join", {"event_id": forum.id})

        # while the first phone reads nothing, another votes and hears the new tally
        assert other.call("vote", {"proposal_id": topic, "value": 1})["ok"] is True
        wait_for(lambda: any(r["proposal_id"] == topic and r["score"] == 1
                             for t in other.named("tally") for r in t["ranking"]), timeout=10)

        stalled.read_until(lambda: stalled.received(f"43{NS},") == calls and stalled.received(f'42{NS},["tally",'))
    finally:
        stalled.close()
    # every acknowledgement whole, once (handlers that wait on the database may finish in any
    # order: Socket.IO matches acks by id), and the broadcasts in the order they were sent
    acks = stalled.acks()
    assert sorted(ack_id for ack_id, _ in acks) == list(range(1, calls + 1))
    assert all(ack["ok"] and len(ack["state"]["proposals"]) == 40 for _, ack in acks)
    versions = [tally["version"] for tally in stalled.events("tally")]
    assert versions == sorted(set(versions))


def test_a_quiet_phone_stays_connected_and_a_silent_one_is_dropped(tmp_path):
    # a 1 s heartbeat: a phone with nothing to send or receive for several heartbeats stays, one
    # that stops answering the server's pings is dropped
    quick = start_server(tmp_path, {"BARCAMP_PING_INTERVAL": "1", "BARCAMP_PING_TIMEOUT": "1"})
    phones = []
    try:
        forum = Forum(quick, topics=1)
        quiet = LiveClient(quick, forum.join()["token"])
        phones.append(quiet)
        assert quiet.call("join", {"event_id": forum.id})["ok"] is True
        silent = StalledPhone(quick, forum.join()["token"])
        phones.append(silent)

        time.sleep(3)  # past PING_INTERVAL + PING_TIMEOUT: the writer used to give up on an empty queue then

        assert quiet.call("vote", {"proposal_id": forum.topics[0], "value": 1})["ok"] is True
        assert quiet.sio.connected
        assert silent.dropped_by_server()
    finally:
        for phone in phones:
            phone.close()
        quick.stop()


def test_a_client_sending_without_waiting_is_closed_and_the_room_is_still_served(server, live_clients):
    """Hundreds of messages sent in one go (no phone does that: it waits for its acks) close that connection."""
    forum = Forum(server, topics=2)
    flooder = StalledPhone(server, forum.join()["token"])
    honest = live_clients(forum.join()["token"])
    honest.call("join", {"event_id": forum.id})
    try:
        from wsproto.events import TextMessage

        vote = flooder.json.dumps(["vote", {"proposal_id": forum.topics[0], "value": 1}])
        flooder.sock.sendall(b"".join(flooder.ws.send(TextMessage(data=f"42{NS},{i}{vote}")) for i in range(2000)))

        assert flooder.dropped_by_server() is True
    finally:
        flooder.close()
    ack = honest.call("vote", {"proposal_id": forum.topics[1], "value": 1})
    assert ack["ok"] is True
    # the flooder's unread messages were dropped unacknowledged (a vote is an absolute value: one ballot at most)
    assert server_db(server, "SELECT count(*) FROM ballots WHERE proposal_id = :p", p=forum.topics[0]) in ([(0,)], [(1,)])


def test_a_payload_nested_1000_deep_is_refused_without_a_traceback(server, live_clients):
    """Issue 19 #3, over Socket.IO: the packet is not parsed, the event is unknown, the server logs no error."""
    forum = Forum(server, topics=1)
    phone = StalledPhone(server, forum.join()["token"])
    log_size = server.log_path.stat().st_size
    try:
        deep = '{"a":' * 1000 + "1" + "}" * 1000
        phone.send(f'42{NS},7["sync",{deep}]')
        phone.emit(8, "sync", {"event_id": forum.id})
        phone.read_until(lambda: len(phone.acks()) == 2)
    finally:
        phone.close()
    acks = dict(phone.acks())
    assert acks[7]["ok"] is False and acks[7]["error"]["code"] == "unknown_event"
    assert acks[8]["ok"] is True  # the connection goes on
    logged = server.log_path.read_text()[log_size:]
    assert "Traceback" not in logged and "RecursionError" not in logged
