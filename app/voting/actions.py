"""What every channel (page, API, socket) calls to vote."""
from __future__ import annotations

from app import realtime
from app.common.db import write_transaction
from app.voting.services import cast_vote


def vote(event, participant, proposal_id: int, value: int) -> tuple[int, int | None]:
    """Record a ballot, commit it, then schedule the coalesced tally; return (value, remaining)."""
    with write_transaction():
        result = cast_vote(event, participant, proposal_id, value)
    realtime.tally_changed(event.id)
    return result
