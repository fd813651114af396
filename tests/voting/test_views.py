"""Ballots over the API and the no-JavaScript form, including concurrent requests of one participant."""
from __future__ import annotations

import random

import pytest

from tests.conftest import error_of, fire_concurrently


def vote_url(event, pid):
    return f"/api/v1/events/{event['id']}/votes/{pid}"


@pytest.fixture
def ballot(make_event, make_participant, make_proposal):
    event = make_event(phase="voting", voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})
    topics = [make_proposal(event, title=t) for t in ("Alpha", "Beta", "Gamma")]
    return event, make_participant(event), topics


def mine(client, event, voter):
    return client.get(f"/api/v1/events/{event['id']}/votes/mine", headers=voter["headers"]).get_json()


def test_vote_sets_an_absolute_value_and_returns_remaining_dots(client, ballot):
    event, voter, (alpha, beta, _) = ballot

    first = client.put(vote_url(event, alpha), json={"value": 2}, headers=voter["headers"])
    second = client.put(vote_url(event, beta), json={"value": 1}, headers=voter["headers"])
    lowered = client.put(vote_url(event, alpha), json={"value": 1}, headers=voter["headers"])

    assert [r.get_json() for r in (first, second, lowered)] == [
        {"value": 2, "remaining": 1}, {"value": 1, "remaining": 0}, {"value": 1, "remaining": 1}]
    assert mine(client, event, voter) == {"votes": {str(alpha): 1, str(beta): 1}, "remaining": 1}


def test_retried_vote_changes_nothing(client, ballot, fresh_db):
    event, voter, (alpha, _, _) = ballot

    responses = [client.put(vote_url(event, alpha), json={"value": 2}, headers=voter["headers"]) for _ in range(3)]

    assert [r.get_json() for r in responses] == [{"value": 2, "remaining": 1}] * 3
    assert fresh_db("SELECT proposal_id, value FROM ballots") == [(alpha, 2)]


def test_vote_zero_removes_the_ballot(client, ballot, fresh_db):
    event, voter, (alpha, _, _) = ballot
    client.put(vote_url(event, alpha), json={"value": 2}, headers=voter["headers"])

    response = client.put(vote_url(event, alpha), json={"value": 0}, headers=voter["headers"])

    assert response.get_json() == {"value": 0, "remaining": 3}
    assert fresh_db("SELECT count(*) FROM ballots") == [(0,)]


def test_vote_over_budget_is_409_and_changes_nothing(client, ballot):
    event, voter, (alpha, beta, gamma) = ballot
    client.put(vote_url(event, alpha), json={"value": 2}, headers=voter["headers"])
    client.put(vote_url(event, beta), json={"value": 1}, headers=voter["headers"])

    response = client.put(vote_url(event, gamma), json={"value": 1}, headers=voter["headers"])

    assert error_of(response) == (409, "budget_exceeded")
    assert mine(client, event, voter) == {"votes": {str(alpha): 2, str(beta): 1}, "remaining": 0}


def test_vote_above_max_per_topic_is_409(client, ballot):
    event, voter, (alpha, _, _) = ballot

    response = client.put(vote_url(event, alpha), json={"value": 3}, headers=voter["headers"])

    assert error_of(response) == (409, "max_per_proposal")
    assert mine(client, event, voter) == {"votes": {}, "remaining": 3}


@pytest.mark.parametrize("phase", ["draft", "proposals", "closed"])
def test_vote_outside_voting_phase_is_409(client, make_event, make_participant, make_proposal, phase):
    event = make_event(phase=phase)
    pid = make_proposal(event)
    voter = make_participant(event)

    response = client.put(vote_url(event, pid), json={"value": 1}, headers=voter["headers"])

    assert error_of(response) == (409, "wrong_phase")


@pytest.mark.parametrize("body", [{"value": -1}, {"value": "deux"}, {}, {"value": 1, "extra": 1}],
                         ids=["negative", "not_a_number", "missing", "unknown_field"])
def test_vote_schema_violation_is_422(client, ballot, body):
    event, voter, (alpha, _, _) = ballot

    assert error_of(client.put(vote_url(event, alpha), json=body, headers=voter["headers"])) == (422, "invalid_input")


@pytest.mark.parametrize(("mode", "values", "expected"),
                         [("approval", [1, 1, 0], [("Alpha", 1), ("Beta", 1), ("Gamma", 0)]),
                          ("majority", [4, 2, 0], [("Alpha", 4.0), ("Beta", 2.0), ("Gamma", 0.0)])],
                         ids=["approval", "majority"])
def test_results_follow_the_forum_mode(client, make_event, make_participant, make_proposal, mode, values, expected):
    event = make_event(phase="voting", voting={"mode": mode})
    topics = [make_proposal(event, title=t) for t in ("Alpha", "Beta", "Gamma")]
    voter = make_participant(event)
    for pid, value in zip(topics, values):
        client.put(vote_url(event, pid), json={"value": value}, headers=voter["headers"])

    results = client.get(f"/api/v1/events/{event['id']}/results", headers=event["organiser"]["headers"]).get_json()

    assert results["mode"] == mode
    assert [(r["title"], r["score"]) for r in results["ranking"]] == expected
    assert results["participants_voted"] == 1
    assert mine(client, event, voter)["remaining"] is None


def test_participant_of_another_forum_cannot_vote_or_read(client, ballot, make_event, make_participant):
    event, voter, (alpha, _, _) = ballot
    stranger = make_participant(make_event(phase="voting"))

    vote = client.put(vote_url(event, alpha), json={"value": 1}, headers=stranger["headers"])
    results = client.get(f"/api/v1/events/{event['id']}/results", headers=stranger["headers"])

    assert error_of(vote) == (403, "not_in_event")
    assert error_of(results) == (403, "not_in_event")
    assert client.get(f"/api/v1/events/{event['id']}/results",
                      headers=voter["headers"]).get_json()["participants_voted"] == 0


def test_vote_on_topic_of_another_forum_is_404(client, ballot, make_event, make_proposal):
    event, voter, _ = ballot
    foreign = make_proposal(make_event(phase="voting"))

    assert error_of(client.put(vote_url(event, foreign), json={"value": 1}, headers=voter["headers"])) == (
        404, "proposal_not_found")


def test_organiser_cannot_vote(client, ballot):
    event, _, (alpha, _, _) = ballot

    response = client.put(vote_url(event, alpha), json={"value": 1}, headers=event["organiser"]["headers"])

    assert error_of(response) == (403, "forbidden")


def test_no_js_vote_form_records_the_ballot(client, make_event):
    event = make_event(phase="proposals")
    client.post(f"/j/{event['join_code']}", data={"name": "Sans JS"})
    client.post(f"/e/{event['id']}/proposals", data={"title": "Jardins partagés"})
    client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "voting"}, headers=event["organiser"]["headers"])
    topics = client.get(f"/api/v1/events/{event['id']}/results", headers=event["organiser"]["headers"]).get_json()
    pid = topics["ranking"][0]["proposal_id"]

    response = client.post(f"/e/{event['id']}/votes/{pid}", data={"value": "2"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/e/{event['id']}#proposal-{pid}")
    results = client.get(f"/api/v1/events/{event['id']}/results", headers=event["organiser"]["headers"]).get_json()
    assert [(r["title"], r["score"], r["voters"]) for r in results["ranking"]] == [("Jardins partagés", 2, 1)]


def test_no_js_vote_form_with_bad_value_changes_nothing(client, make_event, make_proposal):
    event = make_event(phase="voting")
    pid = make_proposal(event)
    client.post(f"/j/{event['join_code']}", data={"name": "Sans JS"})

    response = client.post(f"/e/{event['id']}/votes/{pid}", data={"value": "beaucoup"})

    assert response.status_code == 302
    results = client.get(f"/api/v1/events/{event['id']}/results", headers=event["organiser"]["headers"]).get_json()
    assert results["participants_voted"] == 0


# -- one participant, many concurrent requests ------------------------------------------------------
def test_concurrent_votes_of_one_participant_never_overspend(app, make_event, make_participant, make_proposal,
                                                             fresh_db):
    event = make_event(phase="voting", voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})
    topics = [make_proposal(event) for _ in range(5)]
    voter = make_participant(event)
    rng = random.Random(2017)
    plan = [(rng.choice(topics), rng.choice([0, 1, 2, 2])) for _ in range(50)]

    def call(pid, value):
        return lambda: app.test_client().put(vote_url(event, pid), json={"value": value},
                                             headers=voter["headers"]).status_code

    statuses = fire_concurrently([call(pid, value) for pid, value in plan])

    assert set(statuses) <= {200, 409}
    assert statuses.count(200) >= 1
    rows = fresh_db("SELECT proposal_id, count(*), sum(value) FROM ballots WHERE participant_id = :p "
                    "GROUP BY proposal_id", p=voter["id"])
    assert all(count == 1 for _, count, _ in rows)
    assert sum(total for _, _, total in rows) <= 3
    api = mine(app.test_client(), event, voter)
    assert api["votes"] == {str(pid): total for pid, _, total in rows}
    assert api["remaining"] == 3 - sum(total for _, _, total in rows)
