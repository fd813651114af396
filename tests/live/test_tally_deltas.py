"""A tally tick costs the topics that moved: deltas from each audience's last tally, applied exactly."""
from __future__ import annotations

import json
import random

import pytest

from barcamp.realtime.deltas import TallyFollower, apply_delta, ranking_delta
from tests.conftest import wait_for
from tests.live.test_sockets import NS, Inbox, joined


def _ranking(scores: dict[int, int]) -> dict:
    entries = sorted(scores.items(), key=lambda item: -item[1])
    ranking, rank, previous = [], 0, None
    for position, (pid, score) in enumerate(entries, start=1):
        if score != previous:
            rank, previous = position, score
        ranking.append({"proposal_id": pid, "title": f"Sujet {pid}", "voters": score, "grade": None,
                        "score": score, "rank": rank})
    ranking.sort(key=lambda e: (e["rank"], e["proposal_id"]))
    return {"mode": "dots", "ranking": ranking, "participants_voted": sum(scores.values())}


@pytest.mark.parametrize("seed", range(30))
def test_a_delta_applied_gives_the_new_tally_exactly(seed):
    rng = random.Random(seed)
    before = {pid: rng.randint(0, 5) for pid in range(1, rng.randint(2, 40))}
    after = {pid: (rng.randint(0, 5) if rng.random() < 0.3 else score) for pid, score in before.items()
             if rng.random() > 0.05}
    after.update({pid: rng.randint(0, 3) for pid in range(100, 100 + rng.randint(0, 2))})  # new topics
    old, new = _ranking(before), _ranking(after)

    delta = ranking_delta(old, new)

    assert (apply_delta(old, delta) if delta is not None else new) == new


def test_a_delta_carries_only_the_moved_topics_without_their_unchanged_titles():
    scores = {pid: 2 * (61 - pid) for pid in range(1, 61)}
    old, new = _ranking(scores), _ranking({**scores, 30: scores[30] + 1})  # one more dot, same rank

    delta = ranking_delta(old, new)

    assert [(e["proposal_id"], e["score"]) for e in delta["changed"]] == [(30, 63)]
    assert "title" not in delta["changed"][0] and delta["removed"] == []
    assert len(json.dumps(delta)) < len(json.dumps(new)) / 20


def test_phones_and_screens_get_deltas_that_rebuild_the_results(client, socket_client, make_event,
                                                                make_participant, make_proposal):
    event = make_event(phase="voting", voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})
    topics = [make_proposal(event, title=f"Sujet numéro {i}") for i in range(60)]
    voters = [make_participant(event) for _ in range(6)]
    phone, phone_state = joined(socket_client, voters[0]["token"], event["id"])
    screen, screen_state = joined(socket_client, event["organiser"]["token"], event["id"])
    phone_inbox, screen_inbox = Inbox(phone, phone_state), Inbox(screen, screen_state)
    results_url = f"/api/v1/events/{event['id']}/results"

    for round_ in range(3):
        for i, voter in enumerate(voters):
            pid = topics[(i * 7 + round_) % 60]
            r = client.put(f"/api/v1/events/{event['id']}/votes/{pid}", json={"value": 1}, headers=voter["headers"])
            assert r.status_code == 200, r.get_json()
        results = client.get(results_url, headers=event["organiser"]["headers"]).get_json()
        for inbox in (phone_inbox, screen_inbox):
            wait_for(lambda i=inbox: (t := i.named("tally")) and _body(t[-1]) == results, timeout=5)

    assert phone_inbox.tallies.gaps == screen_inbox.tallies.gaps == 0
    # ticks of a few votes on a 60-topic forum are deltas, not whole rankings, for both audiences
    for inbox in (phone_inbox, screen_inbox):
        sent = [message for name, message in inbox.raw if name == "tally"]
        assert sent and all("base" in message and "ranking" not in message for message in sent)


def test_a_delta_on_another_tally_is_a_gap_and_a_resync_repairs_it(client, socket_client, make_event,
                                                                   make_participant, make_proposal):
    event = make_event(phase="voting")
    topics = [make_proposal(event) for _ in range(10)]
    voter = make_participant(event)
    screen, state = joined(socket_client, event["organiser"]["token"], event["id"])
    follower = TallyFollower()
    follower.start(state)
    follower.version -= 1  # as if one tally had been missed

    client.put(f"/api/v1/events/{event['id']}/votes/{topics[3]}", json={"value": 1}, headers=voter["headers"])
    delta = wait_for(lambda: [m["args"][0] for m in screen.get_received(NS) if m["name"] == "tally"])[-1]

    assert "base" in delta and follower.receive(delta) is None and follower.gaps == 1
    again = screen.emit("sync", {"event_id": event["id"]}, namespace=NS, callback=True)["state"]
    follower.start(again)
    assert follower.body["ranking"][0]["proposal_id"] == topics[3]


def _body(tally: dict) -> dict:
    return {k: v for k, v in tally.items() if k not in ("event_id", "version", "stream")}
