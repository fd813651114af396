"""One ballot per person: 50 concurrent requests leave one row; without the unique constraint they would not."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import fire_concurrently
from tests.trust.conftest import drop_ballot_uniqueness


def test_fifty_concurrent_requests_on_one_topic_leave_one_row(app, make_event, make_participant, make_proposal,
                                                              fresh_db):
    event = make_event(phase="voting", voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})
    topic = make_proposal(event)
    voter = make_participant(event)
    values = [1 + i % 2 for i in range(50)]

    def call(value):
        return lambda: app.test_client().put(f"/api/v1/events/{event['id']}/votes/{topic}", json={"value": value},
                                             headers=voter["headers"]).status_code

    statuses = fire_concurrently([call(v) for v in values], workers=25)

    assert statuses == [200] * 50
    rows = fresh_db("SELECT count(*), min(value) BETWEEN 1 AND 2 FROM ballots WHERE participant_id = :p",
                    p=voter["id"])
    assert rows == [(1, 1)]


def naive_inserts(url: str, participant_id: int, event_id: int, proposal_id: int, n: int = 50) -> tuple[int, int]:
    """The race of CONSUL #2415: n writers each check "no ballot yet?" and then insert, all at once.

    Each writer has its own connection (like separate workers) and no application lock. Returns
    (rows stored, inserts refused by the database).
    """
    engine = create_engine(url, pool_size=n, max_overflow=0,
                           connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    checked = threading.Barrier(n)
    refused = []

    def writer():
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT count(*) FROM ballots WHERE participant_id = :p AND proposal_id = :t"),
                                  {"p": participant_id, "t": proposal_id}).scalar()
            conn.rollback()
            checked.wait(timeout=30)  # every writer has seen "no ballot" before any inserts
            if exists:
                return
            try:
                conn.execute(text("INSERT INTO ballots (event_id, participant_id, proposal_id, value, updated_at) "
                                  "VALUES (:e, :p, :t, 1, CURRENT_TIMESTAMP)"),
                             {"e": event_id, "p": participant_id, "t": proposal_id})
                conn.commit()
            except IntegrityError:
                conn.rollback()
                refused.append(1)

    threads = [threading.Thread(target=writer) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM ballots WHERE participant_id = :p AND proposal_id = :t"),
                              {"p": participant_id, "t": proposal_id}).scalar()
    engine.dispose()
    return stored, len(refused)


@pytest.mark.parametrize("constraint", [True, False], ids=["with_unique_constraint", "constraint_dropped"])
def test_the_unique_constraint_is_what_stops_doubled_ballots(app, make_event, make_participant, make_proposal,
                                                            constraint):
    event = make_event(phase="voting")
    topic = make_proposal(event)
    voter = make_participant(event)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not constraint:
        engine = create_engine(url)
        drop_ballot_uniqueness(engine)  # a throw-away database: this test's own
        engine.dispose()

    stored, refused = naive_inserts(url, voter["id"], event["id"], topic)

    if constraint:
        assert (stored, refused) == (1, 49)
    else:
        assert (stored, refused) == (50, 0)  # what the constraint prevents: fifty ballots for one person
