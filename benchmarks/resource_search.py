"""Time the resource library search (GET /api/v1/resources) over the whole library.

    python benchmarks/resource_search.py               # 200 rounds of 8 queries, in-process API calls
    python benchmarks/resource_search.py --rounds 50 --forum-resources 200

Each round sends every query through the Flask test client (routing, search, JSON), so the figures
include the request overhead, not only the search loop. Prints median, p95 and max per query, in ms.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERIES = [
    ("q=", "everything (85 entries)"),
    ("q=ecosysteme", "one accentless word"),
    ("q=INNOVATION publique", "two common words"),
    ("q=design&section=design-public", "word + section"),
    ("q=innovation&year=2018", "word + year"),
    ("q=zzzz introuvable", "no match"),
    ("q=laboratoire d'innovation territoriale collaborative", "five words"),
    ("section=moocs", "one section"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--forum-resources", type=int, default=0,
                        help="also add this many forum resources and search with the forum's token")
    args = parser.parse_args()

    from barcamp import create_app
    from barcamp.config import TestConfig
    from barcamp.extensions import db

    tmp = tempfile.mkdtemp(prefix="barcamp-search-")
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3"})
    headers, suffix = {}, ""
    with app.app_context():
        db.create_all()
        if args.forum_resources:
            from barcamp.accounts.identity import issue_organiser_token
            from barcamp.accounts.services import create_organiser
            from barcamp.common.db import write_transaction
            from barcamp.events.schemas import EventCreate
            from barcamp.events.services import create_event
            from barcamp.resources.schemas import ForumResourceIn
            from barcamp.resources.services import add_forum_resource

            with write_transaction():
                organiser = create_organiser("bench@example.org", "motdepasse-bench")
                event = create_event(organiser.id, EventCreate(title="Bench"))
                for i in range(args.forum_resources):
                    add_forum_resource(event, ForumResourceIn(title=f"Ressource {i} sur l'innovation",
                                                              summary="Un retour d'expérience de laboratoire. " * 5))
            headers = {"Authorization": f"Bearer {issue_organiser_token(organiser)}"}
            suffix = f"&event_id={event.id}"
    client = app.test_client()
    for query, _ in QUERIES:  # warm-up (library load, first request)
        client.get(f"/api/v1/resources?{query}{suffix}", headers=headers)

    print(f"resource search: {args.rounds} rounds, library 85 entries"
          + (f" + {args.forum_resources} forum resources" if args.forum_resources else ""))
    print(f"{'query':55} {'hits':>5} {'median':>8} {'p95':>8} {'max':>8}  (ms)")
    worst = 0.0
    for query, label in QUERIES:
        times = []
        hits = 0
        for _ in range(args.rounds):
            start = time.perf_counter()
            response = client.get(f"/api/v1/resources?{query}{suffix}", headers=headers)
            times.append((time.perf_counter() - start) * 1000)
            hits = response.get_json()["count"]
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        worst = max(worst, times[-1])
        print(f"{label + ' [' + query + ']':55} {hits:>5} {statistics.median(times):8.2f} {p95:8.2f} {times[-1]:8.2f}")
    print(f"worst single request: {worst:.2f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
