"""Place topics into a grid of slots × rooms: a greedy baseline and an optimiser (greedy + annealing).

Pure functions on plain data (no database), so that tests and benchmarks can call them directly.

The objective, in the order it matters:
1. hard: every (slot, room) cell holds at most one topic; locked topics stay in their cell;
2. hard (as far as possible): a person (proposer, co-proposer, facilitator, signed-up participant) is
   never in two topics of the same slot — counted as `person_conflicts`, weighted so high that the
   optimiser never trades one for anything else;
3. **satisfied voters**: voters who can attend *all* their top choices among the scheduled topics,
   i.e. whose top choices all sit in different slots;
4. **attendable top choices**: over all voters, how many of their top choices they can attend
   (one per slot) — a smoother figure that guides the search between two satisfied-voter counts.
Inside a slot, bigger expected audiences get bigger rooms (sorting is optimal for that).
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field

#: cost weights: a person conflict outweighs everything, an unsatisfied voter outweighs one lost choice
W_PERSON = 1000
W_UNSATISFIED = 2
W_COLLISION = 1


@dataclass(frozen=True)
class Topic:
    id: int
    #: expected audience (voters for whom it is a top choice); decides room sizes
    audience: int = 0
    #: participants who must attend it: proposers, facilitator, signed-up participants
    persons: frozenset[int] = frozenset()
    #: locked cell (slot_id, room_id): the scheduler keeps it there
    locked: tuple[int, int] | None = None
    #: must be scheduled even if it ranks low (it already has sign-ups)
    must: bool = False


@dataclass
class Problem:
    #: slot ids in time order
    slots: list[int]
    #: (room_id, capacity)
    rooms: list[tuple[int, int]]
    #: candidate topics in rank order (best first)
    topics: list[Topic]
    #: voter -> ids of their top-choice topics
    choices: dict[int, list[int]]


@dataclass
class Result:
    #: topic id -> (slot_id, room_id)
    placement: dict[int, tuple[int, int]]
    #: candidate topics left out of the grid (no cell left)
    unscheduled: list[int]
    figures: dict = field(default_factory=dict)


def select_topics(problem: Problem) -> tuple[list[Topic], list[int]]:
    """The topics that enter the grid: locked ones, then those with sign-ups, then by rank."""
    cells = len(problem.slots) * len(problem.rooms)
    valid_slots, valid_rooms = set(problem.slots), {r for r, _ in problem.rooms}
    locked, taken = [], set()
    for t in problem.topics:
        if t.locked and t.locked[0] in valid_slots and t.locked[1] in valid_rooms and t.locked not in taken:
            locked.append(t)
            taken.add(t.locked)
    chosen = {t.id for t in locked}
    rest = [t for t in problem.topics if t.id not in chosen]
    ordered = [t for t in rest if t.must] + [t for t in rest if not t.must]
    free = cells - len(locked)
    picked = [t if not t.locked else Topic(t.id, t.audience, t.persons, None, t.must) for t in ordered[:free]]
    return locked + picked, [t.id for t in ordered[free:]]


class _State:
    """Slot of each topic with incremental counts for the cost."""

    def __init__(self, problem: Problem, topics: list[Topic]) -> None:
        self.slot_index = {s: i for i, s in enumerate(problem.slots)}
        self.n_slots = len(problem.slots)
        self.capacity = [len(problem.rooms)] * self.n_slots
        self.topics = {t.id: t for t in topics}
        scheduled = set(self.topics)
        self.voters_of: dict[int, list[int]] = {t: [] for t in scheduled}
        self.n_choices: list[int] = []
        for v, (_, tops) in enumerate(problem.choices.items()):
            kept = [t for t in dict.fromkeys(tops) if t in scheduled]
            self.n_choices.append(len(kept))
            for t in kept:
                self.voters_of[t].append(v)
        n_voters = len(self.n_choices)
        self.count = [[0] * self.n_slots for _ in range(n_voters)]
        self.collisions = [0] * n_voters
        self.person_count: dict[int, list[int]] = {}
        for t in topics:
            for p in t.persons:
                self.person_count.setdefault(p, [0] * self.n_slots)
        self.slot_of: dict[int, int] = {}
        self.members: list[set[int]] = [set() for _ in range(self.n_slots)]
        self.coll_total = 0
        self.unsatisfied = 0
        self.person_conflicts = 0
        #: topics the annealing may move (not locked)
        self._movable: set[int] = set()

    # -- incremental updates --------------------------------------------------------------
    def place(self, t: int, s: int) -> None:
        self.slot_of[t] = s
        self.members[s].add(t)
        for v in self.voters_of[t]:
            row = self.count[v]
            row[s] += 1
            if row[s] > 1:
                if self.collisions[v] == 0:
                    self.unsatisfied += 1
                self.collisions[v] += 1
                self.coll_total += 1
        for p in self.topics[t].persons:
            row = self.person_count[p]
            row[s] += 1
            if row[s] > 1:
                self.person_conflicts += 1

    def remove(self, t: int) -> int:
        s = self.slot_of.pop(t)
        self.members[s].discard(t)
        for v in self.voters_of[t]:
            row = self.count[v]
            if row[s] > 1:
                self.collisions[v] -= 1
                self.coll_total -= 1
                if self.collisions[v] == 0:
                    self.unsatisfied -= 1
            row[s] -= 1
        for p in self.topics[t].persons:
            row = self.person_count[p]
            if row[s] > 1:
                self.person_conflicts -= 1
            row[s] -= 1
        return s

    def cost(self) -> int:
        return W_PERSON * self.person_conflicts + W_UNSATISFIED * self.unsatisfied + W_COLLISION * self.coll_total

    def added_cost(self, t: int, s: int) -> int:
        """Cost of placing t in slot s, without placing it."""
        coll = unsat = 0
        for v in self.voters_of[t]:
            if self.count[v][s] >= 1:
                coll += 1
                if self.collisions[v] == 0:
                    unsat += 1
        persons = sum(1 for p in self.topics[t].persons if self.person_count[p][s] >= 1)
        return W_PERSON * persons + W_UNSATISFIED * unsat + W_COLLISION * coll

    def free(self, s: int) -> int:
        return self.capacity[s] - len(self.members[s])

    def figures(self) -> dict:
        considered = sum(1 for k in self.n_choices if k > 0)
        return {
            "voters": considered,
            "satisfied_voters": considered - self.unsatisfied,
            "top_choices": sum(self.n_choices),
            "attendable_choices": sum(self.n_choices) - self.coll_total,
            "person_conflicts": self.person_conflicts,
        }


def _assign_rooms(problem: Problem, state: _State, locked: dict[int, tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """Within each slot, the bigger the expected audience, the bigger the room; locked topics stay."""
    placement = dict(locked)
    by_capacity = sorted(problem.rooms, key=lambda r: (-r[1], problem.rooms.index(r)))
    for s_index, slot_id in enumerate(problem.slots):
        used = {room for (slot, room) in locked.values() if slot == slot_id}
        rooms = [r for r, _ in by_capacity if r not in used]
        movable = sorted((t for t in state.members[s_index] if t not in locked),
                         key=lambda t: (-state.topics[t].audience, t))
        for t, room in zip(movable, rooms):
            placement[t] = (slot_id, room)
    return placement


def _start(problem: Problem) -> tuple[_State, dict[int, tuple[int, int]], list[Topic], list[int]]:
    topics, unscheduled = select_topics(problem)
    state = _State(problem, topics)
    locked = {t.id: t.locked for t in topics if t.locked}
    for t, (slot_id, _room) in locked.items():
        s = state.slot_index[slot_id]
        state.place(t, s)
    return state, locked, [t for t in topics if not t.locked], unscheduled


def greedy_baseline(problem: Problem) -> Result:
    """What an organiser does by hand: fill the grid in rank order, slot by slot.

    Each topic goes to the earliest slot with a free room where none of its persons is busy
    (or the earliest slot with a free room if there is none); it ignores who voted for what.
    """
    state, locked, movable, unscheduled = _start(problem)
    for topic in movable:
        open_slots = [s for s in range(state.n_slots) if state.free(s) > 0]
        clean = [s for s in open_slots
                 if not any(state.person_count[p][s] for p in topic.persons)]
        state.place(topic.id, (clean or open_slots)[0])
    return Result(_assign_rooms(problem, state, locked), unscheduled, state.figures())


def optimise(problem: Problem, *, iterations: int = 5000, seed: int = 0, time_limit: float = 1.0) -> Result:
    """Greedy construction guided by voter overlap, then simulated annealing over slot moves and swaps."""
    state, locked, movable, unscheduled = _start(problem)
    # Construction: biggest audiences first, each into the open slot where it costs least.
    for topic in sorted(movable, key=lambda t: (-len(t.persons) * 1000 - t.audience, t.id)):
        open_slots = [s for s in range(state.n_slots) if state.free(s) > 0]
        best = min(open_slots, key=lambda s: (state.added_cost(topic.id, s), -state.free(s), s))
        state.place(topic.id, best)
    ids = [t.id for t in movable]
    state._movable = set(ids)
    done = 0
    if len(ids) >= 1 and state.n_slots > 1 and iterations > 0:
        done = _anneal(state, ids, iterations, random.Random(seed), time_limit)
    figures = state.figures()
    figures["iterations"] = done
    return Result(_assign_rooms(problem, state, locked), unscheduled, figures)


def _anneal(state: _State, ids: list[int], iterations: int, rng: random.Random, time_limit: float) -> int:
    """Move or swap topics between slots; keep the best state seen; return the steps run."""
    current = state.cost()
    best_cost, best = current, dict(state.slot_of)
    t0, t1 = 2.0, 0.05
    deadline = time.perf_counter() + time_limit
    steps = 0
    for i in range(iterations):
        if current == 0:
            break
        if i % 256 == 0 and time.perf_counter() > deadline:
            break
        steps += 1
        temperature = t0 * (t1 / t0) ** (i / iterations)
        t = rng.choice(ids)
        a = state.slot_of[t]
        b = rng.randrange(state.n_slots - 1)
        b = b + 1 if b >= a else b
        if state.free(b) > 0:
            state.remove(t)
            state.place(t, b)
            swapped = None
        else:
            candidates = [u for u in state.members[b] if u in state._movable]
            if not candidates:
                continue
            swapped = rng.choice(candidates)
            state.remove(t)
            state.remove(swapped)
            state.place(t, b)
            state.place(swapped, a)
        new = state.cost()
        delta = new - current
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            current = new
            if current < best_cost:
                best_cost, best = current, dict(state.slot_of)
        else:  # undo
            state.remove(t)
            if swapped is not None:
                state.remove(swapped)
                state.place(swapped, b)
            state.place(t, a)
    if best_cost < current:
        for t in ids:
            if state.slot_of[t] != best[t]:
                state.remove(t)
        for t in ids:
            if t not in state.slot_of:
                state.place(t, best[t])
    return steps
