"""Who may do what with a topic: may_<verb>(participant, proposal)."""
from __future__ import annotations

from barcamp.participants.models import Participant
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal


def may_edit(participant: Participant, proposal: Proposal) -> bool:
    """Its author, while the topic is visible: a hidden, withdrawn or merged topic is nobody's to read back."""
    return proposal.author_id == participant.id and proposal.status == ProposalStatus.VISIBLE
