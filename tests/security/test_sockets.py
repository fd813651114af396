"""The /live channel: origin check, where tokens are read, forum isolation, message size, flooding."""
from __future__ import annotations

import threading
import time

import pytest
import requests
import socketio as socketio_client

from barcamp.extensions import socketio
from barcamp.realtime import NAMESPACE as NS
from tests.conftest import hang_up

#: events every client may send, with a valid-looking payload (later areas add theirs to the server)
RESERVED = {"connect", "disconnect", "*"}


def _handshake(client, origin: str | None):
    headers = {"Origin": origin} if origin is not None else {}
    return client.get("/socket.io/?EIO=4&transport=polling", headers=headers)


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://localhost.evil.example",
                                    "https://localhost"], ids=["foreign", "null", "suffix", "other_scheme"])
def test_handshake_from_a_foreign_origin_is_refused(client, origin):
    response = _handshake(client, origin)
    assert response.status_code == 400
    assert response.get_data(as_text=True) == '"Not an accepted origin."'


def test_handshake_from_the_own_origin_is_accepted(client):
    response = _handshake(client, "http://localhost")
    assert response.status_code == 200 and response.get_data(as_text=True).startswith('0{"sid":')
    assert '"maxPayload":65536' in response.get_data(as_text=True)  # the message size cap, told to clients


def test_a_token_in_the_query_string_is_never_accepted(app, make_event, make_participant):
    event = make_event()
    person = make_participant(event)
    sc = socketio.test_client(app, namespace=NS, query_string=f"token={person['token']}&auth={person['token']}")
    try:
        assert sc.is_connected(NS) is False
    finally:
        if sc.is_connected(NS):
            sc.disconnect(namespace=NS)


def test_a_participant_of_forum_a_cannot_join_read_or_vote_in_forum_b(socket_client, make_event, make_participant,
                                                                      make_proposal, set_phase):
    forum_a, forum_b = make_event(phase="voting"), make_event()
    topic_b = make_proposal(forum_b, title="Sujet de B")
    set_phase(forum_b, "voting")
    intruder = socket_client(make_participant(forum_a)["token"])
    assert intruder.emit("join", {"event_id": forum_a["id"]}, namespace=NS, callback=True)["ok"] is True

    join_b = intruder.emit("join", {"event_id": forum_b["id"]}, namespace=NS, callback=True)
    sync_b = intruder.emit("sync", {"event_id": forum_b["id"]}, namespace=NS, callback=True)
    vote_b = intruder.emit("vote", {"proposal_id": topic_b, "value": 1}, namespace=NS, callback=True)

    assert (join_b["ok"], join_b["error"]["code"]) == (False, "not_in_event")
    assert (sync_b["ok"], sync_b["error"]["code"]) == (False, "not_in_event")
    assert (vote_b["ok"], vote_b["error"]["code"]) == (False, "proposal_not_found")
    # forum B's messages never reach the intruder
    member_b = socket_client(make_participant(forum_b)["token"])
    assert member_b.emit("join", {"event_id": forum_b["id"]}, namespace=NS, callback=True)["ok"] is True
    assert member_b.emit("vote", {"proposal_id": topic_b, "value": 1}, namespace=NS, callback=True)["ok"] is True
    time.sleep(0.5)  # two tally intervals
    assert [m for m in member_b.get_received(NS) if m["name"] == "tally"] != []
    assert [m for m in intruder.get_received(NS) if m["args"][0].get("event_id") == forum_b["id"]] == []


def test_an_organiser_token_cannot_join_another_organisers_forum(socket_client, make_event, make_organiser):
    mine, theirs = make_organiser(), make_organiser()
    their_event = make_event(organiser=theirs)
    sc = socket_client(mine["token"])
    ack = sc.emit("join", {"event_id": their_event["id"]}, namespace=NS, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "not_your_event"


def test_unknown_event_is_answered_with_an_error(socket_client, make_event, make_participant):
    event = make_event()
    sc = socket_client(make_participant(event)["token"])
    ack = sc.emit("drop_tables", {"event_id": event["id"]}, namespace=NS, callback=True)
    assert ack == {"ok": False, "error": {"code": "unknown_event", "message": "Message inconnu."}}


def _live_events(app) -> list[str]:
    return sorted(set(socketio.server.handlers[NS]) - RESERVED)


def test_every_live_event_is_throttled_per_caller_at_its_cost(app, socket_client, make_event, make_participant):
    """Enumerates the server's /live handlers: an event added later without the guard fails here."""
    event = make_event()
    events = _live_events(app) + ["no_such_event"]
    assert {"join", "sync", "vote", "quiz_answer"} <= set(events)
    # a slow refill, so that the test's own pace does not matter; budgets read it at their first event
    app.config.update(SOCKET_EVENT_RATE=0.01, SOCKET_EVENT_BURST=40)
    costs = app.config["SOCKET_EVENT_COSTS"]
    assert costs["join"] >= 10 and costs["sync"] >= 10  # a whole state is worth many votes
    for name in events:
        sc = socket_client(make_participant(event)["token"])  # opening it took SOCKET_CONNECT_COST
        allowed = int((40 - app.config["SOCKET_CONNECT_COST"]) // costs.get(name, 1))
        acks = [sc.emit(name, {"event_id": event["id"]}, namespace=NS, callback=True) for _ in range(allowed + 3)]
        codes = [(a or {}).get("error", {}).get("code") if isinstance(a, dict) else a for a in acks]
        assert "rate_limited" not in codes[:allowed], (name, codes[:10])
        assert codes[allowed:] == ["rate_limited"] * 3, (name, codes[allowed - 2:])


def test_connections_of_one_token_share_one_budget(app, socket_client, make_event, make_participant):
    event = make_event()
    app.config.update(SOCKET_EVENT_RATE=0.01, SOCKET_EVENT_BURST=40, SOCKET_CONNECT_COST=1)
    token = make_participant(event)["token"]
    phones = [socket_client(token) for _ in range(3)]
    neighbour = socket_client(make_participant(event)["token"])

    acks = [phones[i % 3].emit("vote", {"proposal_id": 1, "value": 0}, namespace=NS, callback=True)
            for i in range(45)]
    codes = [a.get("error", {}).get("code") for a in acks]

    assert codes.count("rate_limited") == 45 - (40 - 3)  # one bucket for the three connections
    ack = neighbour.emit("sync", {"event_id": event["id"]}, namespace=NS, callback=True)
    assert ack["ok"] is True


def test_a_fourth_connection_of_one_token_closes_its_oldest(app, socket_client, make_event, make_participant):
    event = make_event()
    token = make_participant(event)["token"]
    phones = [socket_client(token) for _ in range(3)]
    assert all(p.is_connected(NS) for p in phones)

    newest = socket_client(token)

    assert newest.is_connected(NS)
    assert [p.is_connected(NS) for p in phones] == [False, True, True]
    assert newest.emit("sync", {"event_id": event["id"]}, namespace=NS, callback=True)["ok"] is True


def test_a_flooding_client_is_cut_and_others_are_still_served(app, socket_client, make_event, make_participant,
                                                              make_proposal, set_phase):
    event = make_event()
    topic = make_proposal(event)
    set_phase(event, "voting")
    # a slow refill, so that the bound below does not depend on how fast this machine handles votes
    app.config.update(SOCKET_FLOOD_PENALTY=1.0, SOCKET_EVENT_RATE=1.0)
    flooder_token = make_participant(event)["token"]
    flooders = [socket_client(flooder_token) for _ in range(3)]  # one token, three connections
    neighbour = socket_client(make_participant(event)["token"])
    sent = 0
    while any(f.is_connected(NS) for f in flooders) and sent < 2000:
        flooders[sent % 3].emit("vote", {"proposal_id": topic, "value": 1}, namespace=NS)
        sent += 1
    assert [f.is_connected(NS) for f in flooders] == [False, False, False]
    # one budget for the caller: the burst less three connections' cost, then the cutoff's refusals
    cut_after = (app.config["SOCKET_EVENT_BURST"] - 3 * app.config["SOCKET_CONNECT_COST"]
                 + app.config["SOCKET_FLOOD_CUTOFF"])
    assert cut_after <= sent <= cut_after + 50  # (plus a little refill)
    ack = neighbour.emit("vote", {"proposal_id": topic, "value": 1}, namespace=NS, callback=True)
    assert ack["ok"] is True and ack["value"] == 1
    # a new connection would bring a new bucket: the flooder is barred for SOCKET_FLOOD_PENALTY seconds
    assert socket_client(flooder_token).is_connected(NS) is False
    time.sleep(1.1)
    assert socket_client(flooder_token).is_connected(NS) is True


# -- message size, on a real server (the test client skips Engine.IO's transport limits) ------------
@pytest.mark.server
def test_a_message_over_64_kb_closes_the_connection_on_a_real_server(live_server):
    token = live_server.organiser_token()
    created = requests.post(f"{live_server.url}/api/v1/events", json={"title": "Taille"},
                            headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    person = requests.post(f"{live_server.url}/api/v1/join", json={"code": created["join_code"]}, timeout=10).json()
    gone = threading.Event()
    sio = socketio_client.Client(reconnection=False)
    sio.on("disconnect", lambda *a: gone.set(), namespace=NS)
    sio.connect(live_server.url, namespaces=[NS], auth={"token": person["token"]}, transports=["websocket"],
                wait_timeout=10)
    try:
        small = sio.call("join", {"event_id": created["id"], "pad": "a" * 60_000}, namespace=NS, timeout=10)
        assert small["ok"] is True  # 60 KB passes
        sio.emit("join", {"event_id": created["id"], "pad": "a" * 70_000}, namespace=NS)
        assert gone.wait(10), "a 70 KB message did not close the connection"
    finally:
        hang_up(sio)


def test_self_erasure_closes_the_participants_sockets(client, socket_client, make_event, make_participant):
    """Issue 19 #5: after erasing oneself, the open socket no longer reads the forum nor writes."""
    event = make_event()
    erased = make_participant(event, "Effacée")
    phone = socket_client(erased["token"])
    assert phone.emit("join", {"event_id": event["id"]}, namespace=NS, callback=True)["ok"] is True

    r = client.delete(f"/api/v1/events/{event['id']}/me", headers=erased["headers"])

    assert r.status_code == 200
    assert phone.is_connected(NS) is False
    assert socket_client(erased["token"]).is_connected(NS) is False  # the token is gone too


def test_an_erased_participants_socket_elsewhere_is_refused_at_its_next_event(app, client, socket_client, make_event,
                                                                              make_participant):
    """Another worker held the socket: its next event is refused, never an internal error."""
    event = make_event()
    erased = make_participant(event, "Effacée")
    phone = socket_client(erased["token"])
    app.extensions["barcamp_socket_callers"].clear()  # as if this socket were held by another worker

    assert client.delete(f"/api/v1/events/{event['id']}/me", headers=erased["headers"]).status_code == 200
    acks = {name: phone.emit(name, payload, namespace=NS, callback=True) for name, payload in (
        ("sync", {"event_id": event["id"]}), ("workshop_join", {"workshop_id": 1}),
        ("card_add", {"workshop_id": 1, "column": "constat", "text": "x", "client_key": "k" * 32}))}

    assert all(ack["ok"] is False for ack in acks.values()), acks
    assert {ack["error"]["code"] for ack in acks.values()} <= {"participant_erased", "unauthorized"}, acks

