"""What every channel (page, API, socket) calls to vote."""
from __future__ import annotations

from app import realtime
from app.common.db import write_transaction
from app.voting.services import record_ballot


def vote(event_id: int, participant_id: int, proposal_id: int, value: int) -> tuple[int, int | None]:
    """Record a ballot, commit it, then schedule the coalesced tally; return (value, remaining)."""
    with write_transaction():
        result = record_ballot(event_id, participant_id, proposal_id, value)
    realtime.tally_changed(event_id)
    return result
