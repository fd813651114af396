"""Ballots and rankings, through the voting services (no HTTP)."""
from __future__ import annotations

import pytest

from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.voting.services import cast_vote, compute_results, my_votes


def cast(event, participant, proposal_id, value):
    with write_transaction():
        return cast_vote(db.session.get(Event, event["id"]), db.session.get(Participant, participant["id"]),
                         proposal_id, value)


def results(event):
    return compute_results(db.session.get(Event, event["id"]))


def ranking(event):
    return [(e["title"], e["score"], e["rank"], e["voters"]) for e in results(event)["ranking"]]


@pytest.fixture
def ballot_box(ctx, make_event, make_participant, make_proposal):
    """A forum in the voting phase with titled topics and voters casting a grid of values."""

    def _box(mode: str, grid: dict[str, list[int]], **voting):
        event = make_event(phase="voting", voting={"mode": mode, **voting})
        voters = [make_participant(event) for _ in range(max(len(v) for v in grid.values()))]
        for title, values in grid.items():
            pid = make_proposal(event, title=title)
            for voter, value in zip(voters, values):
                if value:
                    cast(event, voter, pid, value)
        return event

    return _box


def test_dots_results_sum_dots_and_share_ranks_on_ties(ballot_box):
    event = ballot_box("dots", {"Alpha": [2, 1, 0], "Beta": [1, 2, 0], "Gamma": [0, 0, 1]}, dots=3,
                       max_per_proposal=2)

    assert ranking(event) == [("Alpha", 3, 1, 2), ("Beta", 3, 1, 2), ("Gamma", 1, 3, 1)]
    assert results(event)["participants_voted"] == 3
    assert results(event)["mode"] == "dots"


def test_approval_results_count_approvals(ballot_box):
    event = ballot_box("approval", {"Alpha": [1, 0, 0], "Beta": [1, 1, 1], "Gamma": [0, 1, 0]})

    assert ranking(event) == [("Beta", 3, 1, 3), ("Alpha", 1, 2, 1), ("Gamma", 1, 2, 1)]


MAJORITY_CASES = {
    # same median 2; Alpha has more grades above it (2/4 vs 1/4): 2 + 0.5 vs 2 + 0.25
    "same_median_more_above_wins": (
        {"Alpha": [2, 2, 3, 4], "Beta": [2, 2, 2, 3]},
        [("Alpha", 2.5, 1, 4), ("Beta", 2.25, 2, 4)],
    ),
    # same median 2; Alpha has a share below (1/4) and none above, Beta is all at 2
    "same_median_more_below_loses": (
        {"Alpha": [1, 2, 2, 2], "Beta": [2, 2, 2, 2]},
        [("Beta", 2.0, 1, 4), ("Alpha", 1.75, 2, 4)],
    ),
    # Alpha's larger group is below (2/5 > 1/5), Beta's too but smaller (1/5): Beta wins
    "larger_group_below_decides": (
        {"Alpha": [1, 1, 2, 2, 3], "Beta": [1, 2, 2, 2, 2]},
        [("Beta", 1.8, 1, 5), ("Alpha", 1.6, 2, 5)],
    ),
    # two judges: the lower median of [1, 3] is 1, so [2, 2] wins
    "lower_median_of_even_count": (
        {"Alpha": [1, 3], "Beta": [2, 2]},
        [("Beta", 2.0, 1, 2), ("Alpha", 1.5, 2, 2)],
    ),
    # ungraded counts as the lowest grade: Alpha's single 4 among 3 judges has median 0
    "ungraded_counts_as_lowest": (
        {"Alpha": [4, 0, 0], "Beta": [1, 1, 1]},
        [("Beta", 1.0, 1, 3), ("Alpha", 0.3333, 2, 1)],
    ),
    # identical distributions share a rank; p == q (1/3 each) counts as the group below: 2 - 1/3
    "ties_share_a_rank": (
        {"Alpha": [3, 1, 2], "Beta": [1, 2, 3], "Gamma": [1, 1, 1]},
        [("Alpha", 1.6667, 1, 3), ("Beta", 1.6667, 1, 3), ("Gamma", 1.0, 3, 3)],
    ),
}


@pytest.mark.parametrize(("grid", "expected"), MAJORITY_CASES.values(), ids=MAJORITY_CASES.keys())
def test_majority_judgment_ranking_matches_hand_computation(ballot_box, grid, expected):
    event = ballot_box("majority", grid)

    assert ranking(event) == expected


def test_majority_judgment_reports_the_majority_grade(ballot_box):
    event = ballot_box("majority", {"Alpha": [2, 2, 3, 4], "Beta": [0, 1, 1, 4]})

    assert [(e["title"], e["grade"]) for e in results(event)["ranking"]] == [("Alpha", 2), ("Beta", 1)]


def test_results_without_ballots_rank_every_topic_first(ballot_box):
    event = ballot_box("dots", {"Alpha": [0], "Beta": [0]})

    assert ranking(event) == [("Alpha", 0, 1, 0), ("Beta", 0, 1, 0)]
    assert results(event)["participants_voted"] == 0


def test_cast_vote_same_value_twice_keeps_one_ballot(ctx, make_event, make_participant, make_proposal, fresh_db):
    event = make_event(phase="voting", voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})
    voter = make_participant(event)
    pid = make_proposal(event)

    first = cast(event, voter, pid, 2)
    second = cast(event, voter, pid, 2)

    assert first == second == (2, 1)
    assert fresh_db("SELECT proposal_id, value FROM ballots") == [(pid, 2)]


def test_cast_vote_zero_removes_the_ballot(ctx, make_event, make_participant, make_proposal, fresh_db):
    event = make_event(phase="voting")
    voter = make_participant(event)
    pid = make_proposal(event)
    cast(event, voter, pid, 1)

    assert cast(event, voter, pid, 0) == (0, 3)
    assert fresh_db("SELECT count(*) FROM ballots") == [(0,)]


@pytest.mark.parametrize(
    ("voting", "existing", "value", "code"),
    [
        ({"mode": "dots", "dots": 3, "max_per_proposal": 2}, 2, 2, "budget_exceeded"),
        ({"mode": "dots", "dots": 3, "max_per_proposal": 2}, 0, 3, "max_per_proposal"),
        ({"mode": "approval"}, 0, 2, "invalid_value"),
        ({"mode": "majority"}, 0, 5, "invalid_value"),
    ],
    ids=["over_budget", "over_max_per_topic", "approval_above_one", "grade_above_four"],
)
def test_cast_vote_refuses_values_outside_the_rules(ctx, make_event, make_participant, make_proposal, voting,
                                                    existing, value, code):
    event = make_event(phase="voting", voting=voting)
    voter = make_participant(event)
    first, second = make_proposal(event), make_proposal(event)
    if existing:
        cast(event, voter, first, existing)

    with pytest.raises(DomainError) as refused:
        cast(event, voter, second, value)

    assert refused.value.code == code
    votes, _ = my_votes(db.session.get(Event, event["id"]), db.session.get(Participant, voter["id"]))
    assert votes == ({first: existing} if existing else {})


def test_hidden_topic_leaves_results_and_frees_its_dots(ctx, make_event, make_participant, make_proposal):
    from barcamp.proposals.models import Proposal
    from barcamp.proposals.services import set_hidden

    event = make_event(phase="voting")
    voter = make_participant(event)
    kept, hidden = make_proposal(event, title="Gardé"), make_proposal(event, title="Masqué")
    cast(event, voter, kept, 1)
    cast(event, voter, hidden, 2)

    with write_transaction():
        set_hidden(db.session.get(Proposal, hidden), True, "hors sujet")

    assert ranking(event) == [("Gardé", 1, 1, 1)]
    votes, remaining = my_votes(db.session.get(Event, event["id"]), db.session.get(Participant, voter["id"]))
    assert (votes, remaining) == ({kept: 1}, 2)
