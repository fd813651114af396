"""The /live channel through Flask-SocketIO's test client: auth, rooms, state, broadcasts, tallies."""
from __future__ import annotations

import time

import pytest

from barcamp.accounts.identity import PROJECTOR_TOKEN_PREFIX
from barcamp.realtime.deltas import TallyFollower
from tests.conftest import wait_for

NS = "/live"


class Inbox:
    """Every message a test socket received, kept across polls; tallies as the phone shows them.

    With the join `state`, tally deltas are applied as static/js/live.js applies them (a delta that
    does not apply is counted in `tallies.gaps` and not shown).
    """

    def __init__(self, sc, state: dict | None = None):
        self.sc = sc
        self.messages: list[tuple[str, dict]] = []
        self.raw: list[tuple[str, dict]] = []  # as sent: tallies may be deltas
        self.tallies = TallyFollower()
        if state is not None:
            self.tallies.start(state)

    def poll(self) -> list[tuple[str, dict]]:
        for m in self.sc.get_received(NS):
            payload = m["args"][0]
            self.raw.append((m["name"], payload))
            if m["name"] == "tally":
                payload = self.tallies.receive(payload)
                if payload is None:
                    continue
            self.messages.append((m["name"], payload))
        return self.messages

    def named(self, name: str) -> list[dict]:
        return [payload for n, payload in self.poll() if n == name]


def joined(socket_client, token, event_id):
    sc = socket_client(token)
    ack = sc.emit("join", {"event_id": event_id}, namespace=NS, callback=True)
    assert ack["ok"] is True, ack
    return sc, ack["state"]


@pytest.mark.parametrize("token", [None, "", "p_nope", "o_forged", "v_nope", 42],
                         ids=["no_auth", "empty", "unknown_participant", "forged_organiser", "unknown_projector",
                              "not_a_string"])
def test_connect_without_a_valid_token_is_refused(socket_client, token):
    sc = socket_client(token)

    assert sc.is_connected(NS) is False


@pytest.mark.parametrize("who", ["participant", "organiser", "projector"])
def test_join_returns_the_full_state(socket_client, make_event, make_participant, make_proposal, who):
    event = make_event(phase="proposals")
    participant = make_participant(event)
    make_proposal(event, title="Alpha")
    token = {"participant": participant["token"], "organiser": event["organiser"]["token"],
             "projector": PROJECTOR_TOKEN_PREFIX + event["projector_token"]}[who]

    _, state = joined(socket_client, token, event["id"])

    assert isinstance(state["version"], int)
    assert state["event"]["id"] == event["id"]
    assert state["event"]["phase"] == "proposals"
    assert [p["title"] for p in state["proposals"]] == ["Alpha"]
    assert state["tally"]["ranking"][0]["title"] == "Alpha"
    assert state["me"]["kind"] == who
    if who == "participant":
        assert state["me"]["participant_id"] == participant["id"]
        assert state["me"]["votes"] == {}
        assert state["me"]["remaining"] == 3


@pytest.mark.parametrize("who", ["participant", "organiser"])
def test_join_another_forums_room_is_refused(socket_client, make_event, make_participant, make_organiser, who):
    mine, theirs = make_event(), make_event(organiser=make_organiser())
    token = make_participant(mine)["token"] if who == "participant" else mine["organiser"]["token"]
    sc = socket_client(token)

    ack = sc.emit("join", {"event_id": theirs["id"]}, namespace=NS, callback=True)

    assert ack["ok"] is False
    assert ack["error"]["code"] in ("not_in_event", "not_your_event")
    assert "state" not in ack


@pytest.mark.parametrize("payload", [None, "3", {"event_id": "trois"}, {}], ids=["none", "string", "bad_id", "empty"])
def test_join_with_a_malformed_payload_is_a_clear_refusal(socket_client, make_event, payload):
    event = make_event()
    sc = socket_client(event["organiser"]["token"])

    ack = sc.emit("join", payload, namespace=NS, callback=True)

    assert ack["ok"] is False
    assert ack["error"]["code"] == "invalid_input"


def test_refused_join_receives_nothing_from_that_forum(client, socket_client, make_event, make_participant):
    mine, theirs = make_event(), make_event()
    spy = socket_client(make_participant(mine)["token"])
    spy.emit("join", {"event_id": theirs["id"]}, namespace=NS, callback=True)
    author = make_participant(theirs)

    client.post(f"/api/v1/events/{theirs['id']}/proposals", json={"title": "Secret"}, headers=author["headers"])

    assert Inbox(spy).poll() == []


def test_proposal_messages_reach_other_clients_on_create_edit_and_hide(client, socket_client, make_event,
                                                                       make_participant):
    event = make_event(phase="proposals")
    author, watcher = make_participant(event), make_participant(event)
    sc, state = joined(socket_client, watcher["token"], event["id"])
    inbox = Inbox(sc, state)
    base = f"/api/v1/events/{event['id']}/proposals"

    pid = client.post(base, json={"title": "Covoiturage"}, headers=author["headers"]).get_json()["id"]
    client.patch(f"{base}/{pid}", json={"title": "Covoiturage rural"}, headers=author["headers"])
    client.patch(f"{base}/{pid}", json={"hidden": True, "reason": "doublon"}, headers=event["organiser"]["headers"])

    proposals = wait_for(lambda: len(inbox.named("proposal")) == 3 and inbox.named("proposal"))
    assert [(m["proposal"]["id"], m["proposal"]["status"]) for m in proposals] == [
        (pid, "visible"), (pid, "visible"), (pid, "hidden")]
    assert [m["proposal"]["title"] for m in proposals[:2]] == ["Covoiturage", "Covoiturage rural"]
    assert "Covoiturage" not in str(proposals[2])  # the hidden text is not broadcast again
    versions = [m["version"] for m in proposals]
    assert versions == sorted(versions) and len(set(versions)) == 3 and versions[0] > state["version"]
    _, again = joined(socket_client, watcher["token"], event["id"])
    assert again["proposals"] == []


def test_phase_message_reaches_every_screen(client, socket_client, make_event, make_participant):
    event = make_event(phase="proposals")
    sc, joined_state = joined(socket_client, make_participant(event)["token"], event["id"])
    inbox = Inbox(sc, joined_state)

    client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "voting"}, headers=event["organiser"]["headers"])

    phase = wait_for(lambda: inbox.named("phase"))
    assert [(m["phase"], m["next_phases"]) for m in phase] == [("voting", ["closed"])]


def test_a_phase_change_committed_while_a_phone_joins_reaches_it(app, client, socket_client, make_event,
                                                                 make_participant, monkeypatch):
    """The phone is in the forum's room before its snapshot is read: a change sent meanwhile is not lost."""
    import barcamp.live.sockets as live_sockets

    event = make_event(phase="proposals")
    token = make_participant(event)["token"]
    read_snapshot = live_sockets.participant_state

    def phase_changes_first(*args, **kwargs):  # another request commits and sends, then the snapshot is read
        client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "voting"},
                   headers=event["organiser"]["headers"])
        monkeypatch.setattr(live_sockets, "participant_state", read_snapshot)
        return read_snapshot(*args, **kwargs)

    monkeypatch.setattr(live_sockets, "participant_state", phase_changes_first)
    sc, state = joined(socket_client, token, event["id"])

    phases = [m["phase"] for m in Inbox(sc, state).named("phase")]
    assert phases == ["voting"]  # the page learns of the change by the message (its snapshot may be older)


def test_tallies_are_coalesced_versioned_and_end_on_the_results(app, client, socket_client, make_event,
                                                                make_participant, make_proposal):
    event = make_event(phase="voting", voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})
    topics = [make_proposal(event, title=t) for t in ("Alpha", "Beta", "Gamma")]
    voters = [make_participant(event) for _ in range(10)]
    sc, state = joined(socket_client, event["organiser"]["token"], event["id"])
    inbox = Inbox(sc, state)
    headers = event["organiser"]["headers"]

    started = time.monotonic()
    for i, voter in enumerate(voters):
        for j, pid in enumerate(topics):
            client.put(f"/api/v1/events/{event['id']}/votes/{pid}", json={"value": (i + j) % 2},
                       headers=voter["headers"])
    results = client.get(f"/api/v1/events/{event['id']}/results", headers=headers).get_json()
    tallies = wait_for(lambda: (t := inbox.named("tally")) and {k: v for k, v in t[-1].items()
                                                                if k not in ("event_id", "version", "stream")} == results
                       and t)
    elapsed = time.monotonic() - started

    interval = app.config["TALLY_INTERVAL"]
    assert len(tallies) <= elapsed / interval + 2
    assert len(tallies) < 30
    versions = [t["version"] for t in tallies]
    assert all(b > a for a, b in zip([state["streams"]["tally"], *versions], versions))


def test_no_tally_when_nothing_changed(app, client, socket_client, make_event, make_participant, make_proposal):
    event = make_event(phase="voting")
    pid = make_proposal(event)
    voter = make_participant(event)
    sc, joined_state = joined(socket_client, voter["token"], event["id"])
    inbox = Inbox(sc, joined_state)
    url = f"/api/v1/events/{event['id']}/votes/{pid}"
    client.put(url, json={"value": 1}, headers=voter["headers"])
    wait_for(lambda: inbox.named("tally"))

    client.put(url, json={"value": 1}, headers=voter["headers"])
    app.extensions["barcamp_live"].flush_tallies()

    assert len(inbox.named("tally")) == 1


def test_sync_gives_the_state_after_missed_messages(client, socket_client, make_event, make_participant,
                                                    make_proposal):
    event = make_event(phase="voting")
    pid = make_proposal(event, title="Alpha")
    voter = make_participant(event)
    sc, before = joined(socket_client, voter["token"], event["id"])
    inbox = Inbox(sc, before)
    client.put(f"/api/v1/events/{event['id']}/votes/{pid}", json={"value": 2}, headers=voter["headers"])
    wait_for(lambda: inbox.named("tally"))  # the coalesced tally went out (missed or not)

    ack = sc.emit("sync", {"event_id": event["id"]}, namespace=NS, callback=True)

    assert ack["ok"] is True
    assert ack["state"]["me"]["votes"] == {str(pid): 2}
    assert ack["state"]["tally"]["ranking"][0]["score"] == 2
    assert ack["state"]["streams"]["tally"] == inbox.named("tally")[-1]["version"]
    assert ack["state"]["version"] >= before["version"]


def test_sync_before_the_tally_flush_is_followed_by_the_newer_tally(app, client, socket_client, make_event,
                                                                     make_participant, make_proposal):
    """A snapshot carries the tally last sent with its stream version; the vote's tally follows it."""
    event = make_event(phase="voting")
    pid = make_proposal(event, title="Alpha")
    voter = make_participant(event)
    sc, joined_state = joined(socket_client, voter["token"], event["id"])
    inbox = Inbox(sc, joined_state)
    client.put(f"/api/v1/events/{event['id']}/votes/{pid}", json={"value": 2}, headers=voter["headers"])

    state = sc.emit("sync", {"event_id": event["id"]}, namespace=NS, callback=True)["state"]
    wait_for(lambda: [t for t in inbox.named("tally") if t["ranking"][0]["score"] == 2])
    newer = [t for t in inbox.named("tally") if t["version"] > state["streams"]["tally"]]
    shown = newer[-1] if newer else state["tally"]  # what live.js applies over the snapshot

    assert state["me"]["votes"] == {str(pid): 2}  # one's own votes are always current
    assert shown["ranking"][0]["score"] == 2
    assert all(t["ranking"][0]["score"] == 2 for t in newer[-1:])
