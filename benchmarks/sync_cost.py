"""Server CPU of one `sync` (a phone's full state) on a forum of N topics, in process, warm and cold.

    python benchmarks/sync_cost.py [--topics 150] [--syncs 2000]

Builds a fresh SQLite forum in a temporary folder (N topics with a 55-character title and a
280-character description, each by its own participant, every third one supported by another),
then times, with the process's CPU clock, what the server does for one phone's `sync`: the ids
check, the snapshot (one statement on a warm cache: the phone's row with its ballots) and the
encoding of the acknowledgement as Socket.IO writes it (`wire.dumps`). "cold" rebuilds the
forum's shared part each time (the first phone after a change); "warm" reuses it. It also prints
the acknowledgement's size and the statements run per sync. Nothing is sent over a network: the
WebSocket write is measured by live_votes.py ("server CPU per join").
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--topics", type=int, default=150)
    parser.add_argument("--syncs", type=int, default=2000)
    args = parser.parse_args()

    from sqlalchemy import event as sa_event

    from _forum import topic_text
    from barcamp import create_app
    from barcamp.common.db import write_transaction
    from barcamp.extensions import db
    from barcamp.live.services import participant_state, snapshot_cache
    from barcamp.realtime import wire

    folder = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench",
                      "SOCKETIO_ASYNC_MODE": "threading", "MAX_TOPICS_PER_FORUM": 10_000})
    with app.app_context():
        db.create_all()
        from barcamp.accounts.services import create_organiser
        from barcamp.events.schemas import EventCreate
        from barcamp.events.services import create_event, transition_phase
        from barcamp.participants.services import join_event
        from barcamp.proposals.schemas import ProposalCreate
        from barcamp.proposals.services import create_proposal, support_proposal

        with write_transaction():
            organiser = create_organiser("bench@example.org", "mot-de-passe-banc")
            event = create_event(organiser.id, EventCreate(title="Forum de la semaine de l'innovation publique"))
            transition_phase(event, "proposals")
        authors = []
        for i in range(args.topics):
            with write_transaction():
                author, _token = join_event(event, f"Participant {i}", None)
                title, description = topic_text(i)
                proposal = create_proposal(event, author, ProposalCreate(title=title, description=description))
                if i % 3 == 0 and authors:
                    support_proposal(event, proposal, authors[-1])
                authors.append(author)
        with write_transaction():
            phone, _token = join_event(event, "Téléphone", None)
            transition_phase(event, "voting")
        event_id, phone_id = event.id, phone.id

    statements = []
    with app.app_context():
        sa_event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    def one_sync() -> int:
        with app.test_request_context():
            state = participant_state(event_id, phone_id)
            size = len(wire.dumps([{"ok": True, "state": state}]))
            db.session.remove()
            return size

    figures = {}
    for label, cold in (("cold", True), ("warm", False)):
        one_sync()  # the tally's first computation and the caches of SQLAlchemy
        times = []
        statements.clear()
        for _ in range(args.syncs if not cold else max(50, args.syncs // 10)):
            if cold:
                with app.app_context():
                    snapshot_cache().clear()
            started = time.process_time()
            size = one_sync()
            times.append((time.process_time() - started) * 1000)
        runs = len(times)
        figures[label] = (statistics.median(times), sorted(times)[int(runs * 0.95) - 1], len(statements) / runs, size)
    print(f"sync of a {args.topics}-topic forum, one phone, in process (CPU ms per sync)")
    for label, (median, p95, per_sync, size) in figures.items():
        print(f"  {label:5} median {median:6.3f} ms   p95 {p95:6.3f} ms   statements {per_sync:4.1f}   ack {size / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
