"""Fixtures of the regroupement tests: votes and a snapshot of a forum's topics and ballots."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from barcamp.common.db import write_transaction
from barcamp.extensions import db
from barcamp.proposals.models import Coproposer, Proposal
from barcamp.voting.models import Ballot
from barcamp.voting.services import record_ballot


@pytest.fixture
def cast(app):
    """Record ballots directly through the voting service (the forum must be in the voting phase)."""

    def _cast(event, participant, proposal_id: int, value: int):
        with app.app_context(), write_transaction():
            return record_ballot(event["id"], participant["id"], proposal_id, value)

    return _cast


@pytest.fixture
def snapshot(app):
    """Everything a merge touches and an undo must restore: topics, ballots, co-proposers."""

    def _snapshot(event_id: int) -> dict:
        with app.app_context():
            topics = [
                (p.id, p.title, p.description, p.theme_id, list(p.tags or []), p.status.value, p.author_id)
                for p in db.session.scalars(select(Proposal).where(Proposal.event_id == event_id).order_by(Proposal.id))
            ]
            ballots = [
                (b.participant_id, b.proposal_id, b.value)
                for b in db.session.scalars(select(Ballot).where(Ballot.event_id == event_id)
                                            .order_by(Ballot.participant_id, Ballot.proposal_id))
            ]
            ids = [t[0] for t in topics]
            coproposers = [
                (c.proposal_id, c.participant_id, c.merge_id)
                for c in db.session.scalars(select(Coproposer).where(Coproposer.proposal_id.in_(ids))
                                            .order_by(Coproposer.proposal_id, Coproposer.participant_id))
            ]
            return {"topics": topics, "ballots": ballots, "coproposers": coproposers}

    return _snapshot
