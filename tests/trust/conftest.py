"""Fixtures of the trust suite: a voting forum with topics and voters, ballots cast through the service."""
from __future__ import annotations

import pytest

from barcamp.common.db import write_transaction
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.voting.services import record_ballot


@pytest.fixture
def cast(app):
    def _cast(event, voter, proposal_id, value):
        with app.app_context(), write_transaction():
            return record_ballot(event["id"], voter["id"], proposal_id, value)

    return _cast


@pytest.fixture
def voted_forum(app, make_event, make_participant, make_proposal, cast):
    """A dots forum (3 dots, 2 per topic) in the voting phase: 3 topics, 3 voters who voted."""

    def _make(**kw):
        kw.setdefault("voting", {"mode": "dots", "dots": 3, "max_per_proposal": 2})
        event = make_event(phase="voting", **kw)
        voters = [make_participant(event, name=f"Votant {i}") for i in range(3)]
        topics = [make_proposal(event, voters[i], title=f"Sujet {i}") for i in range(3)]
        for voter, plan in zip(voters, [{0: 2, 1: 1}, {0: 1, 2: 2}, {1: 1}]):
            for index, value in plan.items():
                cast(event, voter, topics[index], value)
        return {**event, "voters": voters, "topics": topics}

    return _make


@pytest.fixture
def barcamp_cli(app):
    """Invoke the `barcamp` command group on the test app (its database)."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from barcamp.cli import cli

    def _invoke(*args, input=None):
        return CliRunner().invoke(cli, list(args), input=input, obj=ScriptInfo(create_app=lambda: app))

    return _invoke


def phase(app, event, target):
    from barcamp.events.views import change_phase

    with app.app_context():
        change_phase(db.session.get(Event, event["id"]), target)


def drop_ballot_uniqueness(engine) -> None:
    """In a THROW-AWAY database, remove the one-ballot-per-(participant, topic) constraint.

    PostgreSQL drops it; SQLite cannot drop a table constraint, so the table is rebuilt without it.
    """
    from sqlalchemy import text

    with engine.begin() as conn:
        if engine.dialect.name != "sqlite":
            conn.execute(text("ALTER TABLE ballots DROP CONSTRAINT uq_ballots_participant_id_proposal_id"))
            return
        conn.execute(text("ALTER TABLE ballots RENAME TO ballots_old"))
        conn.execute(text("CREATE TABLE ballots (id INTEGER NOT NULL PRIMARY KEY, event_id INTEGER NOT NULL, "
                          "participant_id INTEGER NOT NULL, proposal_id INTEGER NOT NULL, value INTEGER NOT NULL, "
                          "updated_at DATETIME NOT NULL)"))
        conn.execute(text("INSERT INTO ballots SELECT id, event_id, participant_id, proposal_id, value, updated_at "
                          "FROM ballots_old"))
        conn.execute(text("DROP TABLE ballots_old"))
