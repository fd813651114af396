"""The optimiser and the greedy baseline on plain data: hard constraints (property test) and objectives."""
from __future__ import annotations

from collections import Counter
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barcamp.schedule.scheduler import Problem, Topic, greedy_baseline, optimise


@st.composite
def forums(draw):
    """A random forum that has a conflict-free grid: persons only share topics of different hidden slots."""
    n_slots = draw(st.integers(1, 4))
    n_rooms = draw(st.integers(1, 3))
    n_topics = draw(st.integers(1, n_slots * n_rooms + 3))
    cells = [(s, r) for s in range(n_slots) for r in range(n_rooms)]
    order = draw(st.permutations(range(len(cells))))
    # rank positions beyond the grid's size stay out, and have no persons
    hidden = {t: cells[order[t]] for t in range(min(n_topics, len(cells)))}
    persons: dict[int, set[int]] = {t: set() for t in range(n_topics)}
    for person in range(draw(st.integers(0, 6))):
        by_slot: dict[int, list[int]] = {}
        for t, (s, _) in hidden.items():
            by_slot.setdefault(s, []).append(t)
        for s in draw(st.lists(st.sampled_from(sorted(by_slot)), unique=True, max_size=n_slots)) if by_slot else []:
            persons[draw(st.sampled_from(by_slot[s]))].add(person)
    locked = {}
    for t in draw(st.lists(st.sampled_from(sorted(hidden)), unique=True, max_size=2)) if hidden else []:
        locked[t] = (100 + hidden[t][0], 200 + hidden[t][1])
    choices = {v: draw(st.lists(st.integers(0, n_topics - 1), unique=True, min_size=1, max_size=3))
               for v in range(draw(st.integers(0, 12)))}
    audience = Counter(t for tops in choices.values() for t in tops)
    ranked = sorted(range(n_topics), key=lambda t: (-audience[t], t))
    # The hidden grid is indexed by rank position: it holds the topics the scheduler will pick, so the
    # persons and locks drawn above stay feasible whatever the votes.
    topics = [Topic(t, audience[t], frozenset(persons[i]), locked.get(i)) for i, t in enumerate(ranked)]
    return Problem([100 + s for s in range(n_slots)], [(200 + r, 10 * (r + 1)) for r in range(n_rooms)],
                   topics, choices)


def check_hard_constraints(problem: Problem, placement: dict[int, tuple[int, int]]) -> None:
    cells = list(placement.values())
    assert len(cells) == len(set(cells)), "a room holds two sessions in one slot"
    assert len(placement) == min(len(problem.topics), len(problem.slots) * len(problem.rooms))
    topics = {t.id: t for t in problem.topics}
    for t in problem.topics:
        if t.locked:
            assert placement[t.id] == t.locked, "a locked session moved"
    busy: set[tuple[int, int]] = set()
    for t, (slot, _room) in placement.items():
        for person in topics[t].persons:
            assert (person, slot) not in busy, f"person {person} is in two sessions of slot {slot}"
            busy.add((person, slot))
    capacity = dict(problem.rooms)
    for slot in problem.slots:
        here = [(topics[t].audience, capacity[room]) for t, (s, room) in placement.items()
                if s == slot and not topics[t].locked]
        here.sort(key=lambda x: (-x[0], -x[1]))
        assert all(a[1] >= b[1] for a, b in pairwise(here) if a[0] > b[0]), "a bigger audience got a smaller room"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forums())
def test_scheduler_never_double_books_rooms_or_persons_and_keeps_locks(problem):
    result = optimise(problem, iterations=300)

    check_hard_constraints(problem, result.placement)
    assert result.figures["person_conflicts"] == 0


@settings(max_examples=80, deadline=None)
@given(forums())
def test_baseline_never_double_books_rooms_and_keeps_locks(problem):
    result = greedy_baseline(problem)

    cells = list(result.placement.values())
    assert len(cells) == len(set(cells))
    assert all(result.placement[t.id] == t.locked for t in problem.topics if t.locked)


def test_optimiser_separates_topics_that_share_voters_where_rank_order_does_not():
    # 2 slots × 2 rooms; everybody wants Alpha and Beta, the two best-ranked topics.
    choices = {v: [1, 2] for v in range(6)} | {6: [3], 7: [4]}
    topics = [Topic(1, 6), Topic(2, 6), Topic(3, 1), Topic(4, 1)]
    problem = Problem([10, 11], [(20, 50), (21, 10)], topics, choices)

    base, ours = greedy_baseline(problem), optimise(problem)

    assert base.placement[1][0] == base.placement[2][0] == 10  # rank order: both in the first slot
    assert base.figures["satisfied_voters"] == 2
    assert ours.placement[1][0] != ours.placement[2][0]
    assert ours.figures == {"voters": 8, "satisfied_voters": 8, "top_choices": 14, "attendable_choices": 14,
                            "person_conflicts": 0, "iterations": 0}
    assert {ours.placement[1][1], ours.placement[2][1]} == {20}  # the big room, in each slot


def test_topics_beyond_the_grid_are_reported_unscheduled():
    problem = Problem([1], [(5, 10)], [Topic(7, 3), Topic(8, 2), Topic(9, 1)], {})

    result = optimise(problem)

    assert result.placement == {7: (1, 5)}
    assert result.unscheduled == [8, 9]
