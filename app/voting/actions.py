"""What every channel (page, API, socket) calls to vote."""
from __future__ import annotations

from barcamp import realtime
from barcamp.voting.ballots import BallotRequest, combiner


def vote(event_id: int, participant_id: int, proposal_id: int, value: int) -> tuple[int, int | None]:
    """Record a ballot, committed (possibly with other concurrent votes), then schedule the tally.

    Return (value, remaining). Concurrent votes share transactions (app/voting/ballots.py): each
    caller returns only once the transaction holding its ballot has committed.
    """
    result = combiner.submit(BallotRequest(event_id, participant_id, proposal_id, value))
    realtime.tally_changed(event_id)
    return result
