"""The socket `vote` event: acknowledged after commit, same rules as the API."""
from __future__ import annotations

import pytest

NS = "/live"


@pytest.fixture
def voting_socket(socket_client, make_event, make_participant, make_proposal):
    event = make_event(phase="voting", voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})
    topics = [make_proposal(event) for _ in range(2)]
    voter = make_participant(event)
    sc = socket_client(voter["token"])
    assert sc.emit("join", {"event_id": event["id"]}, namespace=NS, callback=True)["ok"] is True
    return event, voter, topics, sc


def test_vote_ack_comes_after_commit(voting_socket, fresh_db, client):
    event, voter, (alpha, _), sc = voting_socket

    ack = sc.emit("vote", {"proposal_id": alpha, "value": 2}, namespace=NS, callback=True)

    assert ack == {"ok": True, "value": 2, "remaining": 1}
    assert fresh_db("SELECT participant_id, proposal_id, value FROM ballots") == [(voter["id"], alpha, 2)]
    mine = client.get(f"/api/v1/events/{event['id']}/votes/mine", headers=voter["headers"]).get_json()
    assert mine == {"votes": {str(alpha): 2}, "remaining": 1}


@pytest.mark.parametrize(
    ("first", "payload", "code"),
    [(None, {"value": 3}, "max_per_proposal"), (2, {"value": 2}, "budget_exceeded"),
     (None, {"value": -1}, "invalid_input"), (None, {}, "invalid_input")],
    ids=["max_per_topic", "over_budget", "negative", "missing_value"],
)
def test_vote_refusal_is_an_ack_with_the_error_code(voting_socket, fresh_db, first, payload, code):
    event, voter, (alpha, beta), sc = voting_socket
    if first:
        sc.emit("vote", {"proposal_id": alpha, "value": first}, namespace=NS, callback=True)

    ack = sc.emit("vote", {"proposal_id": beta, **payload}, namespace=NS, callback=True)

    assert ack["ok"] is False
    assert ack["error"]["code"] == code
    assert fresh_db("SELECT proposal_id FROM ballots") == ([(alpha,)] if first else [])


def test_organiser_socket_cannot_vote(socket_client, make_event, make_proposal):
    event = make_event(phase="voting")
    pid = make_proposal(event)
    sc = socket_client(event["organiser"]["token"])

    ack = sc.emit("vote", {"proposal_id": pid, "value": 1}, namespace=NS, callback=True)

    assert (ack["ok"], ack["error"]["code"]) == (False, "participants_only")


def test_vote_in_wrong_phase_is_refused(socket_client, make_event, make_participant, make_proposal):
    event = make_event(phase="closed")
    pid = make_proposal(event)
    sc = socket_client(make_participant(event)["token"])

    ack = sc.emit("vote", {"proposal_id": pid, "value": 1}, namespace=NS, callback=True)

    assert (ack["ok"], ack["error"]["code"]) == (False, "wrong_phase")
