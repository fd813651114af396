"""Three real workers on PostgreSQL + Redis: messages, tallies and votes across processes."""
from __future__ import annotations

import threading
import time

import pytest
import requests

from tests.conftest import fire_concurrently, wait_for
from tests.scaleout.conftest import Forum, score

pytestmark = [pytest.mark.server, pytest.mark.scaleout]


def test_vote_on_worker_a_reaches_a_projector_on_worker_c(cluster, live_clients):
    a, _b, c = cluster.workers
    forum = Forum(cluster)
    projector = live_clients(c, forum.projector_token, forum.id)
    phone = live_clients(c, forum.join()["token"], forum.id)
    voter = live_clients(a, forum.join()["token"], forum.id)

    ack = voter.call("vote", {"proposal_id": forum.topics[1], "value": 2})

    assert ack == {"ok": True, "value": 2, "remaining": 1}
    for screen in (projector, phone):  # the big screen at once, the phone at its own pace
        tally = wait_for(lambda s=screen: [t for t in s.named("tally") if score(t).get(forum.topics[1]) == 2], timeout=5)[-1]
        assert score(tally) == {forum.topics[0]: 0, forum.topics[1]: 2, forum.topics[2]: 0}
        assert tally["participants_voted"] == 1
        assert tally["version"] > screen.state["streams"]["tally"]


def test_votes_on_every_worker_give_one_coalesced_tally_stream_in_version_order(cluster, live_clients):
    forum = Forum(cluster, topics=4)
    watchers = [live_clients(worker, forum.projector_token, forum.id) for worker in cluster.workers]
    voters = [live_clients(cluster.workers[i % 3], forum.join()["token"], forum.id) for i in range(9)]

    acks = fire_concurrently([lambda v=v, i=i: v.call("vote", {"proposal_id": forum.topics[i % 4], "value": 1})
                              for i, v in enumerate(voters)], workers=9)

    assert [ack["ok"] for ack in acks] == [True] * 9
    expected = {forum.topics[0]: 3, forum.topics[1]: 2, forum.topics[2]: 2, forum.topics[3]: 2}
    for watcher in watchers:
        wait_for(lambda w=watcher: w.named("tally") and score(w.named("tally")[-1]) == expected, timeout=5)
    time.sleep(0.5)  # any late duplicate would arrive now
    # tallies are a stream of their own: every screen, whatever its worker, hears the same tallies
    # in the same order, each version above the last, never twice
    joined_at = max(watcher.state["streams"]["tally"] for watcher in watchers)
    streams = [[m["version"] for m in watcher.named("tally") if m["version"] > joined_at] for watcher in watchers]
    assert streams[0] == streams[1] == streams[2]
    assert streams[0] == sorted(set(streams[0])) and streams[0]
    assert all(m["stream"] == "tally" for m in watchers[0].named("tally"))
    # coalesced: 9 votes in one burst give far fewer tallies, and never the same ranking twice in a row
    tallies = watchers[0].named("tally")
    assert len(tallies) < 9
    assert all(score(x) != score(y) for x, y in zip(tallies, tallies[1:]))


def test_fifty_concurrent_votes_of_one_participant_across_workers_leave_one_ballot(cluster, live_clients):
    forum = Forum(cluster, voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})
    token = forum.join()["token"]
    clients = [live_clients(worker, token, forum.id) for worker in cluster.workers]
    calls = [lambda i=i: clients[i % 3].call("vote", {"proposal_id": forum.topics[i % 2], "value": 1 + i % 2})
             for i in range(50)]

    acks = fire_concurrently(calls, workers=15)

    assert all(ack["ok"] or ack["error"]["code"] == "budget_exceeded" for ack in acks), acks
    rows = cluster.db("SELECT proposal_id, value FROM ballots WHERE event_id = :e ORDER BY proposal_id", e=forum.id)
    assert len({topic for topic, _value in rows}) == len(rows)  # one ballot per topic
    assert sum(value for _topic, value in rows) <= 3  # never overspent
    assert all(value <= 2 for _topic, value in rows)
    results = forum.results()
    assert sum(entry["score"] for entry in results["ranking"]) == sum(value for _topic, value in rows)


def test_cli_phase_change_reaches_screens_on_every_worker(cluster, live_clients):
    forum = Forum(cluster)
    screens = [live_clients(worker, forum.projector_token, forum.id) for worker in cluster.workers]

    result = cluster.barcamp("phase", str(forum.id), "closed")

    assert f"forum {forum.id} is now in phase closed" in result.stdout
    for screen in screens:
        message = wait_for(lambda s=screen: s.named("phase"), timeout=5)[-1]
        assert message["phase"] == "closed"
        assert message["version"] > screen.state["version"]


def test_healthz_and_metrics_on_a_worker(cluster, live_clients):
    worker = cluster.workers[1]
    forum = Forum(cluster)
    voter = live_clients(worker, forum.join()["token"], forum.id)
    before = samples(requests.get(worker.url + "/metrics", timeout=10).text)
    assert voter.call("vote", {"proposal_id": forum.topics[0], "value": 1})["ok"] is True

    health = requests.get(worker.url + "/healthz", timeout=10)
    response = requests.get(worker.url + "/metrics", timeout=10)

    assert (health.status_code, health.json()) == (200, {"status": "ok", "checks": {"database": "ok", "redis": "ok"}})
    assert response.headers["Content-Type"].startswith("text/plain")
    after = samples(response.text)
    worker_label = f'worker="127.0.0.1:{worker.port}"'
    vote = f'{{event="vote",outcome="ok",{worker_label}}}'
    assert after["barcamp_socket_events_total" + vote] - before.get("barcamp_socket_events_total" + vote, 0) == 1
    count = f'barcamp_ack_latency_seconds_count{{event="vote",{worker_label}}}'
    assert after[count] - before.get(count, 0) == 1
    assert after[f"barcamp_connected_clients{{{worker_label}}}"] >= 1


def samples(text: str) -> dict[str, float]:
    """Prometheus text format as {"name{labels}": value}."""
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
            if line and not line.startswith("#")}


def test_worker_killed_mid_burst_loses_no_acknowledged_vote_and_its_clients_resync_elsewhere(cluster, live_clients):
    doomed = cluster.start_worker()
    survivor, watcher_worker = cluster.workers[0], cluster.workers[1]
    forum = Forum(cluster, voting={"mode": "dots", "dots": 3, "max_per_proposal": 2}, topics=4)
    projector = live_clients(watcher_worker, forum.projector_token, forum.id)
    voters = [forum.join() for _ in range(12)]
    clients = [live_clients(doomed, voter["token"], forum.id) for voter in voters]
    acked: list[tuple[int, int, int]] = []  # (participant, topic, value) acknowledged
    lock = threading.Lock()

    def burst(index: int):
        # three different topics at 1 dot each: no vote overrides another, so every ack must stay
        for step in range(3):
            topic = forum.topics[(index + step) % 4]
            try:
                ack = clients[index].call("vote", {"proposal_id": topic, "value": 1}, timeout=5)
            except Exception:  # noqa: BLE001 - the worker died under this call: not acknowledged
                return
            if ack.get("ok"):
                with lock:
                    acked.append((voters[index]["participant_id"], topic, 1))
            time.sleep(0.05)

    threads = [threading.Thread(target=burst, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(acked) >= 6, timeout=20)
    cluster.kill(doomed)
    cluster.workers.remove(doomed)
    for thread in threads:
        thread.join(timeout=30)

    stored = set(cluster.db("SELECT participant_id, proposal_id, value FROM ballots WHERE event_id = :e", e=forum.id))
    assert set(acked) <= stored  # no acknowledged vote lost
    # the phones reconnect to another worker: their snapshot holds every vote the database has
    for voter in voters:
        again = live_clients(survivor, voter["token"], forum.id)
        mine = {(voter["participant_id"], int(topic), value) for topic, value in again.state["me"]["votes"].items()}
        assert mine == {row for row in stored if row[0] == voter["participant_id"]}
        assert again.state["me"]["remaining"] == 3 - len(mine)
    # and the projector on a third worker converges on the database's totals
    totals = {topic: sum(v for _p, t, v in stored if t == topic) for topic in forum.topics}
    if stored:
        wait_for(lambda: projector.named("tally") and score(projector.named("tally")[-1]) == totals, timeout=10)
    assert score(forum.results()) == totals


def test_card_on_worker_a_reaches_the_board_of_a_phone_on_worker_c_in_version_order(cluster, live_clients):
    a, _b, c = cluster.workers
    forum = Forum(cluster, topics=1)
    forum.set_phase("closed")
    forum.set_phase("workshops")
    workshop = forum.api("post", f"/events/{forum.id}/workshops", expect=201, headers=forum.organiser,
                         json={"title": "Transition numérique", "proposal_ids": [forum.topics[0]]})
    alice = live_clients(a, forum.join()["token"], forum.id)
    bob = live_clients(c, forum.join()["token"], forum.id)
    joined = bob.call("workshop_join", {"workshop_id": workshop["id"]})
    assert alice.call("workshop_join", {"workshop_id": workshop["id"]})["ok"] is True

    for n in range(3):
        ack = alice.call("card_add", {"workshop_id": workshop["id"], "section": "constat", "text": f"Constat {n}"})
        assert ack["ok"] is True, ack

    def cards(board):
        return sorted(card["text"] for section in board["sections"] for card in section["cards"])

    wait_for(lambda: bob.named("board") and cards(bob.named("board")[-1]["board"]) == ["Constat 0", "Constat 1",
                                                                                     "Constat 2"], timeout=5)
    versions = [m["version"] for m in bob.named("board")]
    assert versions == sorted(set(versions))  # strictly increasing, no duplicate
    assert versions[0] > joined["board"]["version"]
    assert {m["workshop_id"] for m in bob.named("board")} == {workshop["id"]}


def test_quiz_answers_on_two_workers_give_one_count_stream_on_a_third(cluster, live_clients):
    a, b, c = cluster.workers
    forum = Forum.__new__(Forum)  # a forum in the icebreaker, not in the vote
    forum.cluster, forum.url = cluster, a.url
    r = requests.post(f"{a.url}/api/v1/auth/token", json={"email": cluster.email, "password": cluster.password},
                      timeout=10)
    forum.organiser = {"Authorization": f"Bearer {r.json()['token']}"}
    created = forum.api("post", "/events", json={"title": "Brise-glace"}, headers=forum.organiser, expect=201)
    forum.id, forum.code = created["id"], created["join_code"]
    forum.api("put", f"/events/{forum.id}/quiz/settings", json={"mode": "live"}, headers=forum.organiser)
    forum.set_phase("icebreaker", url=b.url)
    projector = live_clients(c, "v_" + created["projector_url"].rstrip("/").rsplit("/", 1)[-1], forum.id)
    forum.api("post", f"/events/{forum.id}/quiz/control", json={"action": "open"}, headers=forum.organiser)
    people = [forum.join() for _ in range(6)]

    for i, person in enumerate(people):
        forum.api("put", f"/events/{forum.id}/quiz/answers/0", json={"choice": i % 3}, headers=person["headers"],
                  url=(a, b)[i % 2].url)

    counts = wait_for(lambda: [m for m in projector.named("quiz") if m.get("kind") == "counts"
                               and m["answered"] == 6], timeout=5)
    assert counts[-1]["counts"][:3] == [2, 2, 2] and counts[-1]["question"] == 0
    stream = [m["version"] for m in projector.named("quiz") if m.get("stream") == "quiz"]
    assert stream == sorted(set(stream))
    sequence = [m["version"] for m in projector.messages_of_sequence()]
    assert sequence == list(range(sequence[0], sequence[0] + len(sequence)))  # the forum's own: +1 each


def test_wrong_join_codes_count_once_across_workers(cluster):
    """Rate limits count in Redis: wrong codes spread over three workers slow the address down together.

    The address's free mistakes are 30 plus one per 20 participants it created this minute (the
    module's other tests joined some): counted per worker, the first refusal would come after about
    three times that many.
    """
    statuses = []
    for i in range(120):
        statuses.append(requests.post(f"{cluster.workers[i % 3].url}/api/v1/join", json={"code": f"ZZ{i:04d}"},
                                      timeout=10).status_code)
        if statuses[-1] == 429:
            break

    assert statuses[-1] == 429
    assert set(statuses[:-1]) == {404} and 30 <= len(statuses) - 1 < 60
