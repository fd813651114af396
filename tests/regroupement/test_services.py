"""Merging topics: votes carried over within budgets, co-proposers, trail, exact undo, phases."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barcamp.common.db import write_transaction
from barcamp.common.errors import Conflict, InvalidInput
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.proposals.models import Proposal
from barcamp.regroupement.models import Merge
from barcamp.regroupement.services import merge_topics, merged_count, trail, undo_merge
from barcamp.voting.services import compute_results, my_votes


def _merge(app, event, ids, title="Sujet regroupé", into=None, description=None):
    with app.app_context(), write_transaction():
        merge = merge_topics(db.session.get(Event, event["id"]), ids, title, description, into=into)
        return merge.id, merge.result_id


def _undo(app, event, merge_id):
    with app.app_context(), write_transaction():
        return undo_merge(db.session.get(Event, event["id"]), db.session.get(Merge, merge_id))


def _votes(app, event, participant):
    with app.app_context():
        return my_votes(db.session.get(Event, event["id"]), db.session.get(Participant, participant["id"]))


def test_merge_new_topic_keeps_highest_dots_and_returns_the_rest(app, make_event, make_participant, make_proposal,
                                                                    cast):
    event = make_event(phase="proposals", voting={"dots": 5, "max_per_proposal": 3})
    lea, max_ = make_participant(event, "Léa"), make_participant(event, "Max")
    a = make_proposal(event, lea, "Télétravail des agents")
    b = make_proposal(event, max_, "Le télétravail pour les agents")
    other = make_proposal(event, None, "Covoiturage")
    with app.app_context(), write_transaction():
        from barcamp.events.services import transition_phase
        transition_phase(db.session.get(Event, event["id"]), "voting")
    cast(event, lea, a, 2)
    cast(event, lea, b, 3)
    cast(event, max_, b, 1)
    cast(event, max_, other, 2)

    _merge_id, result = _merge(app, event, [a, b], "Le télétravail", description="Deux sujets en un")

    assert _votes(app, event, lea) == ({result: 3}, 2)  # 5 dots: max(2, 3) kept, 2 back
    assert _votes(app, event, max_) == ({result: 1, other: 2}, 2)
    with app.app_context():
        ranking = compute_results(db.session.get(Event, event["id"]))["ranking"]
        assert [(e["proposal_id"], e["title"], e["score"]) for e in ranking] == [
            (result, "Le télétravail", 4), (other, "Covoiturage", 2)]
        merged = db.session.get(Proposal, result)
        assert (merged.author_id, merged.description) == (None, "Deux sujets en un")
        assert [o["title"] for o in trail(merged)] == ["Télétravail des agents", "Le télétravail pour les agents"]
        assert merged_count(merged) == 2
        assert [p.status.value for p in (db.session.get(Proposal, a), db.session.get(Proposal, b))] == ["merged"] * 2


def test_merge_into_existing_keeps_its_author_and_adds_others_as_coproposers(app, make_event, make_participant,
                                                                            make_proposal, snapshot):
    event = make_event()
    lea, max_, zoe = (make_participant(event, n) for n in ("Léa", "Max", "Zoé"))
    a = make_proposal(event, lea, "Zéro papier dans l'administration")
    b = make_proposal(event, max_, "Administration zéro papier")
    c = make_proposal(event, zoe, "Une administration sans papier")
    _merge(app, event, [b, c], "Zéro papier", into=a)
    with app.app_context():
        from barcamp.proposals.services import proposal_out
        out = proposal_out(db.session.get(Proposal, a))
    assert (out["title"], out["author_name"], out["coproposers"], out["merged_count"]) == (
        "Zéro papier", "Léa", ["Max", "Zoé"], 3)


def test_undo_restores_topics_ballots_and_coproposers_exactly(app, make_event, make_participant, make_proposal,
                                                               cast, snapshot):
    event = make_event(phase="proposals", voting={"dots": 6, "max_per_proposal": 3})
    people = [make_participant(event, n) for n in ("Léa", "Max", "Zoé")]
    ids = [make_proposal(event, people[i], t, tags=["rh"]) for i, t in
           enumerate(["Bien-être au travail", "Le bien être au travail", "Bien-être des agents"])]
    with app.app_context(), write_transaction():
        from barcamp.events.services import transition_phase
        transition_phase(db.session.get(Event, event["id"]), "voting")
    for person, values in zip(people, ([1, 3, 2], [0, 2, 2], [3, 0, 1])):
        for pid, value in zip(ids, values):
            if value:
                cast(event, person, pid, value)
    before = snapshot(event["id"])

    merge_id, _ = _merge(app, event, ids[1:], "Le bien-être au travail", into=ids[0], description="Tout")
    assert snapshot(event["id"]) != before
    _undo(app, event, merge_id)
    assert snapshot(event["id"]) == before

    new_merge, result = _merge(app, event, ids, "Bien-être")
    _undo(app, event, new_merge)
    assert snapshot(event["id"]) == before
    with app.app_context():
        assert db.session.get(Proposal, result) is None
        assert db.session.get(Merge, new_merge).undone_at is not None


def test_undo_refused_when_returned_dots_were_spent_elsewhere(app, make_event, make_participant, make_proposal, cast,
                                                              snapshot):
    event = make_event(phase="voting", voting={"dots": 3, "max_per_proposal": 2})
    lea = make_participant(event, "Léa")
    a, b, c = (make_proposal(event, None, t) for t in ("Covoiturage des agents", "Le covoiturage", "Cantine bio"))
    cast(event, lea, a, 1)
    cast(event, lea, b, 2)
    merge_id, _ = _merge(app, event, [a, b])
    cast(event, lea, c, 1)  # the dot the merge gave back
    after = snapshot(event["id"])
    with pytest.raises(Conflict) as error:
        _undo(app, event, merge_id)
    assert error.value.code == "undo_over_budget"
    assert snapshot(event["id"]) == after


@pytest.mark.parametrize("phase", ["closed"])
def test_merge_and_undo_refused_once_voting_closed(app, make_event, make_proposal, phase):
    event = make_event(phase="voting")
    a, b = make_proposal(event, None, "Open data"), make_proposal(event, None, "Ouvrir les données")
    merge_id, _ = _merge(app, event, [a, b])
    c, d = make_proposal(event, None, "Zéro papier"), make_proposal(event, None, "Sans papier")
    with app.app_context(), write_transaction():
        from barcamp.events.services import transition_phase
        transition_phase(db.session.get(Event, event["id"]), phase)
    with pytest.raises(Conflict) as error:
        _merge(app, event, [c, d])
    assert (error.value.code, error.value.status) == ("merge_closed", 409)
    with pytest.raises(Conflict):
        _undo(app, event, merge_id)


def test_merge_needs_two_visible_topics_of_the_forum(app, make_event, make_proposal):
    event, other_event = make_event(), make_event()
    a, b = make_proposal(event, None, "Sujet un"), make_proposal(event, None, "Sujet deux")
    foreign = make_proposal(other_event, None, "Ailleurs")
    with pytest.raises(InvalidInput):
        _merge(app, event, [a], into=a)
    with pytest.raises(Exception) as error:
        _merge(app, event, [a, foreign])
    assert error.value.code == "proposal_not_found"
    _merge(app, event, [a, b])
    with pytest.raises(Conflict) as error:
        _merge(app, event, [a, b])
    assert error.value.code == "proposal_unavailable"


def test_nested_merges_unwind_in_reverse_order(app, make_event, make_proposal, snapshot):
    event = make_event()
    a, b, c = (make_proposal(event, None, t) for t in ("Sujet un", "Sujet deux", "Sujet trois"))
    before = snapshot(event["id"])
    inner, result = _merge(app, event, [a, b])
    outer, _ = _merge(app, event, [c], into=result, title="Tout")
    with app.app_context():
        merged = db.session.get(Proposal, result)
        assert ([o["title"] for o in trail(merged)], merged_count(merged)) == (
            ["Sujet un", "Sujet deux", "Sujet trois"], 3)
    with pytest.raises(Conflict) as error:
        _undo(app, event, inner)
    assert error.value.code == "merge_not_latest"
    _undo(app, event, outer)
    _undo(app, event, inner)
    assert snapshot(event["id"]) == before
    with pytest.raises(Conflict) as error:
        _undo(app, event, inner)
    assert error.value.code == "merge_undone"


# -- property: a merge never exceeds a budget and keeps each voter's highest value --------------------
votes_strategy = st.lists(  # per participant: dots on topics 0..3 (0-2 each), trimmed to the budget below
    st.lists(st.integers(min_value=0, max_value=2), min_size=4, max_size=4), min_size=1, max_size=5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(votes=votes_strategy, group_size=st.integers(min_value=2, max_value=4), use_into=st.booleans())
def test_property_merge_keeps_budgets_and_max(app, make_event, make_participant, make_proposal, cast, votes,
                                              group_size, use_into):
    budget = 4
    event = make_event(phase="proposals", voting={"dots": budget, "max_per_proposal": 2})
    topics = [make_proposal(event, None, f"Sujet {i}") for i in range(4)]
    with app.app_context(), write_transaction():
        from barcamp.events.services import transition_phase
        transition_phase(db.session.get(Event, event["id"]), "voting")
    people = []
    for row in votes:
        person = make_participant(event)
        spent = 0
        kept = []
        for pid, value in zip(topics, row):
            value = min(value, budget - spent)
            if value:
                cast(event, person, pid, value)
                spent += value
            kept.append(value)
        people.append((person, kept))
    group = topics[:group_size]
    into = group[0] if use_into else None
    _, result = _merge(app, event, group[1:] if use_into else group, into=into)
    for person, kept in people:
        mine, remaining = _votes(app, event, person)
        assert remaining >= 0 and sum(mine.values()) <= budget
        assert mine.get(result, 0) == max(kept[:group_size])
        for index in range(group_size, 4):
            assert mine.get(topics[index], 0) == kept[index]
