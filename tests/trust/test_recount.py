"""Recount: pseudonymous ballot download (CSV, JSON), offline recount, `barcamp recount`."""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import pytest
from sqlalchemy import text

from barcamp.extensions import db
from barcamp.privacy.recount import rank
from tests.conftest import error_of
from tests.trust.conftest import drop_ballot_uniqueness


def offline_ranking(csv_text: str) -> list[tuple[int, int]]:
    """Recount a downloaded CSV with nothing but the csv module: (topic, dots) best first."""
    scores: dict[int, int] = defaultdict(int)
    for row in csv.DictReader(io.StringIO(csv_text)):
        scores[int(row["proposal_id"])] += int(row["value"])
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def test_ballots_csv_recounts_offline_to_the_live_ranking(client, voted_forum):
    forum = voted_forum()
    headers = forum["organiser"]["headers"]

    response = client.get(f"/api/v1/events/{forum['id']}/ballots?format=csv", headers=headers)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.splitlines()[0] == "voter,proposal_id,title,value"
    live = client.get(f"/api/v1/events/{forum['id']}/results", headers=headers).get_json()
    assert offline_ranking(body) == [(r["proposal_id"], r["score"]) for r in live["ranking"] if r["score"]]
    assert offline_ranking(body) == [(forum["topics"][0], 3), (forum["topics"][1], 2), (forum["topics"][2], 2)]


def test_ballots_are_pseudonymous(client, voted_forum):
    forum = voted_forum()

    document = client.get(f"/api/v1/events/{forum['id']}/ballots", headers=forum["organiser"]["headers"]).get_json()

    voters = {b["voter"] for b in document["ballots"]}
    assert len(voters) == 3
    ids = {str(v["id"]) for v in forum["voters"]}
    assert not voters & ids
    assert all(v.startswith("v") and len(v) == 13 for v in voters)
    assert "participant_id" not in json.dumps(document)
    assert "Votant" not in json.dumps(document)
    assert len(document["ballots"]) == 5


def test_ballots_download_is_for_the_owner_only(client, voted_forum, make_organiser, make_participant):
    forum = voted_forum()
    stranger = make_organiser()

    assert error_of(client.get(f"/api/v1/events/{forum['id']}/ballots", headers=stranger["headers"])) == (
        403, "not_your_event")
    voter = forum["voters"][0]
    assert client.get(f"/api/v1/events/{forum['id']}/ballots", headers=voter["headers"]).status_code == 403


@pytest.mark.parametrize("mode,grid", [
    ("dots", {0: [2, 1, 0], 1: [1, 0, 2], 2: [0, 2, 1]}),
    ("approval", {0: [1, 1, 0], 1: [1, 0, 0], 2: [0, 1, 1]}),
    ("majority", {0: [4, 3, 0], 1: [2, 2, 4], 2: [1, 0, 3]}),
], ids=["dots", "approval", "majority"])
def test_recount_of_the_json_equals_the_live_results(client, make_event, make_participant, make_proposal, cast,
                                                     mode, grid):
    event = make_event(phase="voting", voting={"mode": mode, "dots": 3, "max_per_proposal": 2})
    voters = [make_participant(event) for _ in range(3)]
    topics = [make_proposal(event, title=f"Thème {i}") for i in range(3)]
    for t, values in grid.items():
        for voter, value in zip(voters, values):
            if value:
                cast(event, voter, topics[t], value)
    headers = event["organiser"]["headers"]

    document = client.get(f"/api/v1/events/{event['id']}/ballots", headers=headers).get_json()
    counted = rank(document["mode"], [(t["id"], t["title"]) for t in document["topics"]],
                   [(b["voter"], b["proposal_id"], b["value"]) for b in document["ballots"]])

    live = client.get(f"/api/v1/events/{event['id']}/results", headers=headers).get_json()
    assert counted == live


def test_cli_recount_ok(app, barcamp_cli, voted_forum):
    forum = voted_forum()

    result = barcamp_cli(*["recount", str(forum["id"])])

    assert result.exit_code == 0, result.output
    assert "OK: the recount equals the live results" in result.output
    assert "3 voter(s), 3 topic(s)" in result.output


def test_cli_recount_reports_a_doubled_ballot_and_exits_1(app, barcamp_cli, voted_forum):
    """A row the unique constraint would refuse, slipped in behind its back: the recount catches it."""
    forum = voted_forum()
    with app.app_context():
        drop_ballot_uniqueness(db.engine)
        db.session.execute(text("INSERT INTO ballots (event_id, participant_id, proposal_id, value, updated_at) "
                                "SELECT event_id, participant_id, proposal_id, value, updated_at FROM ballots "
                                "WHERE participant_id = :p"), {"p": forum["voters"][2]["id"]})
        db.session.commit()

    result = barcamp_cli("recount", str(forum["id"]))

    assert result.exit_code == 1
    assert "MISMATCH" in result.output
    assert "1 voter/topic pairs have more than one ballot" in result.output


def test_cli_recount_spots_a_tampered_counter(app, barcamp_cli, voted_forum):
    """Live results computed on a changed ballot vs the recount of the stored file: the CLI reports it."""
    forum = voted_forum()
    with app.app_context():
        from barcamp.privacy.recount import differences

        live = {"participants_voted": 3, "ranking": [
            {"proposal_id": forum["topics"][0], "score": 4, "rank": 1, "voters": 2, "grade": None}]}
        counted = {"participants_voted": 3, "ranking": [
            {"proposal_id": forum["topics"][0], "score": 3, "rank": 1, "voters": 2, "grade": None}]}
        assert differences(counted, live) == [f"topic {forum['topics'][0]} score: recount 3, live 4"]


def test_cli_recount_unknown_forum(barcamp_cli):
    result = barcamp_cli(*["recount", "9999"])

    assert result.exit_code == 1
    assert "Ce forum n'existe pas" in result.output


def test_pseudonyms_are_stable_between_downloads_and_differ_between_forums(client, voted_forum):
    one, two = voted_forum(), voted_forum()

    def voters(forum):
        box = client.get(f"/api/v1/events/{forum['id']}/ballots", headers=forum["organiser"]["headers"]).get_json()
        return [b["voter"] for b in box["ballots"]]

    assert voters(one) == voters(one)
    assert not set(voters(one)) & set(voters(two))
