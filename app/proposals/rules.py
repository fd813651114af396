"""Who may do what with a topic: may_<verb>(participant, proposal)."""
from __future__ import annotations

from app.participants.models import Participant
from app.proposals.enums import ProposalStatus
from app.proposals.models import Proposal


def may_edit(participant: Participant, proposal: Proposal) -> bool:
    """Its author, while the topic is visible: a hidden, withdrawn or merged topic is nobody's to read back."""
    return proposal.author_id == participant.id and proposal.status == ProposalStatus.VISIBLE
