"""Auto-schedule benchmark: 60 topics into 6 rooms × 5 slots with 2,000 voters (issue 5: < 2 s).

Builds a real forum in a fresh SQLite database (topics, voters, dot ballots drawn with a skewed
popularity so that some topics share many voters), then times `auto_schedule` end to end: reading
the ranking and the ballots, the greedy baseline, the optimiser, writing the grid. Prints the time
and the objective of both the scheduler and the baseline.

    .venv/bin/python benchmarks/schedule.py [--topics 60] [--rooms 6] [--slots 5] [--voters 2000] [--cpsat 10]

--cpsat N also solves the same slot assignment exactly with OR-Tools CP-SAT (if installed; it is not
a dependency of barcamp) for at most N seconds, to see how far the annealing is from the optimum.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from barcamp import create_app
from barcamp.accounts.services import create_organiser
from barcamp.common.db import write_transaction
from barcamp.config import TestConfig
from barcamp.events.schemas import EventCreate
from barcamp.events.services import create_event, transition_phase
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.proposals.models import Proposal
from barcamp.schedule import scheduler
from barcamp.schedule.autoschedule import auto_schedule, build_problem
from barcamp.schedule.editing import create_room, create_slot
from barcamp.voting.models import Ballot


def build(args, rng: random.Random) -> int:
    with write_transaction():
        organiser = create_organiser("bench@example.org", "motdepasse-bench")
        event = create_event(organiser.id, EventCreate(title="Bench", voting={"mode": "dots", "dots": 4,
                                                                              "max_per_proposal": 2}))
        transition_phase(event, "proposals")
        for r in range(args.rooms):
            create_room(event, f"Salle {r + 1}", 15 + 10 * r)
        start = datetime(2026, 11, 24, 9, 0)
        for s in range(args.slots):
            create_slot(event, start + timedelta(minutes=75 * s), start + timedelta(minutes=75 * s + 60))
    with write_transaction():
        transition_phase(event, "voting")
        now = datetime.now()
        db.session.execute(insert(Participant), [
            {"event_id": event.id, "token_hash": f"{i:064x}", "display_name": "", "joined_at": now}
            for i in range(args.voters)])
        people = [p.id for p in db.session.query(Participant.id).filter_by(event_id=event.id)]
        db.session.execute(insert(Proposal), [
            {"event_id": event.id, "author_id": rng.choice(people), "title": f"Sujet {t + 1}", "description": "",
             "tags": [], "hidden_reason": "", "created_at": now, "updated_at": now} for t in range(args.topics)])
        topics = [p.id for p in db.session.query(Proposal.id).filter_by(event_id=event.id)]
        weights = [rng.paretovariate(1.2) for _ in topics]
        rows = []
        for voter in people:
            picks: set[int] = set()
            while len(picks) < rng.choice((2, 3, 3, 4)):
                picks.add(rng.choices(topics, weights=weights)[0])
            rows += [{"event_id": event.id, "participant_id": voter, "proposal_id": t, "value": 1, "updated_at": now}
                     for t in picks]
        db.session.execute(insert(Ballot), rows)
        transition_phase(event, "closed")
    return event.id


def cpsat(problem: scheduler.Problem, seconds: float, hint: dict[int, tuple[int, int]]) -> dict:
    """Maximise the voters who can attend all their top choices, exactly (CP-SAT), for comparison."""
    from collections import Counter

    from ortools.sat.python import cp_model

    topics, _ = scheduler.select_topics(problem)
    ids = {t.id for t in topics}
    slots = list(range(len(problem.slots)))
    slot_index = {s: i for i, s in enumerate(problem.slots)}
    model = cp_model.CpModel()
    x = {(t.id, s): model.new_bool_var(f"x{t.id}_{s}") for t in topics for s in slots}
    for t in topics:
        model.add_exactly_one(x[t.id, s] for s in slots)
        if t.locked:
            model.add(x[t.id, slot_index[t.locked[0]]] == 1)
        model.add_hint(x[t.id, slot_index[hint[t.id][0]]], 1)
    for s in slots:
        model.add(sum(x[t.id, s] for t in topics) <= len(problem.rooms))
    by_person: dict[int, list[int]] = {}
    for t in topics:
        for p in t.persons:
            by_person.setdefault(p, []).append(t.id)
    for tids in by_person.values():
        if len(tids) > 1:
            for s in slots:
                model.add(sum(x[t, s] for t in tids) <= 1)
    groups = Counter(tuple(sorted(t for t in set(c) if t in ids)) for c in problem.choices.values())
    objective, always = [], 0
    for group, weight in groups.items():
        if len(group) < 2:
            always += weight if group else 0
            continue
        y = model.new_bool_var("")
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                for s in slots:
                    model.add(x[a, s] + x[b, s] + y <= 2)
        objective.append(weight * y)
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    t0 = time.perf_counter()
    status = solver.solve(model)
    return {"time": time.perf_counter() - t0, "status": solver.status_name(status),
            "satisfied": always + int(solver.objective_value), "bound": always + int(solver.best_objective_bound)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=60)
    parser.add_argument("--rooms", type=int, default=6)
    parser.add_argument("--slots", type=int, default=5)
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--cpsat", type=float, default=0, help="also run OR-Tools CP-SAT for at most N seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
        app = create_app({**config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3"})
        with app.app_context():
            db.create_all()
            event_id = build(args, random.Random(args.seed))
            from barcamp.events.models import Event

            event = db.session.get(Event, event_id)
            t0 = time.perf_counter()
            problem = build_problem(event)
            t1 = time.perf_counter()
            base = scheduler.greedy_baseline(problem)
            t2 = time.perf_counter()
            with write_transaction():
                figures = auto_schedule(event)
            t3 = time.perf_counter()
            exact = None
            if args.cpsat:
                ours = scheduler.optimise(problem, seed=event.id)
                exact = cpsat(problem, args.cpsat, ours.placement)
            app.extensions["barcamp_live"].stop()
    print(f"{args.topics} topics, {args.rooms} rooms × {args.slots} slots, {args.voters} voters "
          f"({sum(len(c) for c in problem.choices.values())} top choices)")
    print(f"read problem from the database: {t1 - t0:.3f} s")
    print(f"greedy baseline alone:          {t2 - t1:.3f} s")
    print(f"auto_schedule end to end:       {t3 - t2:.3f} s (baseline + optimiser + writing the grid)")
    for name in ("scheduler", "baseline"):
        f = figures[name]
        print(f"{name:9}: {f['satisfied_voters']}/{f['voters']} voters can attend all their top choices "
              f"({100 * f['satisfied_voters'] / max(f['voters'], 1):.1f} %), "
              f"{f['attendable_choices']}/{f['top_choices']} top choices attendable, "
              f"{f['person_conflicts']} proposer conflicts"
              + (f", {f['iterations']} annealing steps" if "iterations" in f else ""))
    if exact:
        print(f"CP-SAT   : {exact['satisfied']} voters (bound {exact['bound']}, {exact['status']}) in "
              f"{exact['time']:.2f} s, started from the optimiser's grid")
    assert base.figures == figures["baseline"]


if __name__ == "__main__":
    main()
