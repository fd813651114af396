"""What the voting area does when another area's rows change: a topic shown again never puts a voter
over budget.

A topic comes back from `hidden` through several doors (the organiser's hide/show on the dashboard
and the API, the review of a reported topic); this hook sits under all of them, on the topic row
itself, so that every door trims in the same transaction as the restore. Imported by create_app.
"""
from __future__ import annotations

import logging

from sqlalchemy import event, inspect

from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.voting.services import trim_over_budget

log = logging.getLogger(__name__)


@event.listens_for(Proposal, "after_update")
def _trim_when_shown_again(_mapper, connection, proposal: Proposal) -> None:
    """A topic just became visible again (its UPDATE is on `connection`): trim the over-budget ballots on it.

    Not after a merge is undone: undo_merge refuses (`undo_over_budget`) before moving any ballot,
    and its sources turn visible while the merged topic still holds the carried-over ballots.
    """
    history = inspect(proposal).attrs.status.history
    if ProposalStatus.VISIBLE not in history.added:
        return
    if ProposalStatus.MERGED in history.deleted:
        return
    trimmed = trim_over_budget(connection, proposal.id)
    if trimmed:
        log.info("topic %s shown again: %s voter(s) over budget trimmed by %s dot(s)", proposal.id, len(trimmed),
                 sum(trimmed.values()))
