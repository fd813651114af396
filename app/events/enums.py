"""Phases and voting modes of a forum."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Phase(enum.StrEnum):
    DRAFT = "draft"
    ICEBREAKER = "icebreaker"
    PROPOSALS = "proposals"
    VOTING = "voting"
    CLOSED = "closed"
    WORKSHOPS = "workshops"

    @property
    def label(self):
        return PHASE_LABELS[self]


PHASE_LABELS = {
    Phase.DRAFT: _l("Préparation"),
    Phase.ICEBREAKER: _l("Brise-glace (quiz)"),
    Phase.PROPOSALS: _l("Recensement des sujets"),
    Phase.VOTING: _l("Priorisation (vote)"),
    Phase.CLOSED: _l("Vote clos"),
    Phase.WORKSHOPS: _l("Ateliers de co-conception"),
}

#: the phase state machine: from each phase, the phases it may move to
TRANSITIONS: dict[Phase, tuple[Phase, ...]] = {
    Phase.DRAFT: (Phase.ICEBREAKER, Phase.PROPOSALS),
    Phase.ICEBREAKER: (Phase.PROPOSALS,),
    Phase.PROPOSALS: (Phase.VOTING,),
    Phase.VOTING: (Phase.CLOSED,),
    Phase.CLOSED: (Phase.WORKSHOPS,),
    Phase.WORKSHOPS: (),
}


class VotingMode(enum.StrEnum):
    DOTS = "dots"
    APPROVAL = "approval"
    MAJORITY = "majority"

    @property
    def label(self):
        return VOTING_MODE_LABELS[self]


VOTING_MODE_LABELS = {
    VotingMode.DOTS: _l("Gommettes"),
    VotingMode.APPROVAL: _l("Approbation (un « pour » par sujet)"),
    VotingMode.MAJORITY: _l("Jugement majoritaire"),
}

#: grades of the majority judgment, from 0 (lowest) to 4
MAJORITY_GRADES = (
    _l("Pas prioritaire"),
    _l("Peu prioritaire"),
    _l("Assez prioritaire"),
    _l("Prioritaire"),
    _l("Très prioritaire"),
)
