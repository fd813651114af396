"""The recensement: propose, edit, withdraw and hide topics."""
from __future__ import annotations

from flask_babel import gettext as _
from flask import current_app
from sqlalchemy import func, select

from barcamp.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from barcamp.events.enums import Phase
from barcamp.events.models import Event, Theme
from barcamp.events.services import require_phase
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.participants.services import display_name
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Coproposer, Proposal
from barcamp.proposals.presenters import proposal_out, proposals_out  # noqa: F401 (re-exported)
from barcamp.proposals.schemas import ProposalCreate, ProposalPatch


def _check_theme(event: Event, theme_id: int | None) -> None:
    if theme_id is not None and db.session.get(Theme, theme_id) not in event.themes:
        raise InvalidInput("unknown_theme", _("Ce thème n'existe pas dans ce forum."))


def _clean_tags(tags: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def _check_topic_caps(event: Event, author: Participant | None) -> None:
    """Refuse a topic past MAX_TOPICS_PER_FORUM, or past MAX_TOPICS_PER_PARTICIPANT for its author.

    Withdrawn topics do not count. A forum flooded with topics would make every phone's state
    heavy and the vote unreadable; a person with more ideas than the cap supports others' topics.
    """
    config = current_app.config
    live = Proposal.status != ProposalStatus.WITHDRAWN
    in_forum = db.session.scalar(select(func.count()).where(Proposal.event_id == event.id, live)) or 0
    if in_forum >= config["MAX_TOPICS_PER_FORUM"]:
        raise Conflict("too_many_topics", _("Ce forum a atteint son nombre maximal de sujets (%(n)d).",
                                            n=config["MAX_TOPICS_PER_FORUM"]))
    if author is not None:
        mine = db.session.scalar(select(func.count()).where(Proposal.event_id == event.id,
                                                            Proposal.author_id == author.id, live)) or 0
        if mine >= config["MAX_TOPICS_PER_PARTICIPANT"]:
            raise Conflict("too_many_topics_by_you", _(
                "Vous avez déjà proposé %(n)d sujets : soutenez plutôt ceux des autres.",
                n=config["MAX_TOPICS_PER_PARTICIPANT"]))


def create_proposal(event: Event, author: Participant | None, data: ProposalCreate) -> Proposal:
    """Add a topic to the forum (participants: only while proposals are open)."""
    if author is not None:
        require_phase(event, Phase.PROPOSALS)
    _check_theme(event, data.theme_id)
    _check_topic_caps(event, author)
    proposal = Proposal(
        event_id=event.id,
        author_id=author.id if author else None,
        title=data.title,
        description=data.description,
        theme_id=data.theme_id,
        tags=_clean_tags(data.tags),
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def get_proposal(event: Event, proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.event_id != event.id:
        raise NotFound("proposal_not_found", _("Ce sujet n'existe pas dans ce forum."))
    return proposal


def _require_author(proposal: Proposal, participant: Participant) -> None:
    if proposal.author_id != participant.id:
        raise Forbidden("not_your_proposal", _("Seul l'auteur de ce sujet peut le modifier."))
    if proposal.status != ProposalStatus.VISIBLE:
        raise NotFound("proposal_not_found", _("Ce sujet a été retiré ou masqué."))


def edit_proposal(event: Event, proposal: Proposal, data: ProposalPatch, *, by_organiser: bool = False,
                  participant: Participant | None = None) -> Proposal:
    """Change a topic's text: its author while proposals are open, or the organiser at any time."""
    if not by_organiser:
        _require_author(proposal, participant)
        require_phase(event, Phase.PROPOSALS)
    if data.title is not None:
        proposal.title = data.title
    if data.description is not None:
        proposal.description = data.description
    if "theme_id" in data.model_fields_set:
        _check_theme(event, data.theme_id)
        proposal.theme_id = data.theme_id
    if data.tags is not None:
        proposal.tags = _clean_tags(data.tags)
    db.session.flush()
    return proposal


def withdraw_proposal(event: Event, proposal: Proposal, participant: Participant) -> Proposal:
    """Let the author take back their own topic while proposals are open."""
    _require_author(proposal, participant)
    require_phase(event, Phase.PROPOSALS)
    proposal.status = ProposalStatus.WITHDRAWN
    db.session.flush()
    return proposal


def set_hidden(proposal: Proposal, hidden: bool, reason: str = "") -> Proposal:
    """Hide a topic (organiser, reason required) or show it again; it stays in the database."""
    if proposal.status == ProposalStatus.MERGED:
        # its state belongs to the merge: undo the merge instead (app/regroupement)
        raise Conflict("proposal_merged", _("Ce sujet a été regroupé : annulez le regroupement pour le modifier."))
    if hidden:
        if not reason.strip():
            raise InvalidInput("reason_required", _("Indiquez la raison pour laquelle ce sujet est masqué."))
        proposal.status = ProposalStatus.HIDDEN
        proposal.hidden_reason = reason.strip()
    elif proposal.status == ProposalStatus.HIDDEN:
        proposal.status = ProposalStatus.VISIBLE
        proposal.hidden_reason = ""
    db.session.flush()
    return proposal


def visible_proposals(event_id: int) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.event_id == event_id, Proposal.status == ProposalStatus.VISIBLE)
            .order_by(Proposal.id)
        )
    )


def hidden_proposals(event_id: int) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.event_id == event_id, Proposal.status == ProposalStatus.HIDDEN)
            .order_by(Proposal.id)
        )
    )


def coproposers(proposal: Proposal) -> list[Participant]:
    """The topic's co-proposers, in the order they joined."""
    return list(db.session.scalars(
        select(Participant).join(Coproposer, Coproposer.participant_id == Participant.id)
        .where(Coproposer.proposal_id == proposal.id).order_by(Coproposer.id)
    ))


def support_proposal(event: Event, proposal: Proposal, participant: Participant) -> bool:
    """"Je soutiens celui-ci": the participant becomes a co-proposer (proposals phase); idempotent.

    Returns True when they were added, False when they already carried the topic (author or co-proposer).
    """
    require_phase(event, Phase.PROPOSALS)
    if participant.event_id != event.id:
        raise Forbidden("not_in_event", _("Vous ne participez pas à ce forum."))
    if proposal.status != ProposalStatus.VISIBLE:
        raise NotFound("proposal_not_found", _("Ce sujet a été retiré ou masqué."))
    if proposal.author_id == participant.id:
        return False
    exists = db.session.scalar(select(Coproposer.id).where(Coproposer.proposal_id == proposal.id,
                                                           Coproposer.participant_id == participant.id))
    if exists:
        return False
    db.session.add(Coproposer(proposal_id=proposal.id, participant_id=participant.id))
    db.session.flush()
    return True


def withdraw_support(event: Event, proposal: Proposal, participant: Participant) -> None:
    """Stop co-proposing a topic one chose to support (not one a merge gave them)."""
    require_phase(event, Phase.PROPOSALS)
    db.session.execute(
        Coproposer.__table__.delete().where(Coproposer.proposal_id == proposal.id,
                                            Coproposer.participant_id == participant.id,
                                            Coproposer.merge_id.is_(None))
    )
    db.session.flush()
