"""Reports: participants flag a topic; past the forum's threshold it is hidden pending review.

The hiding reuses the proposals' hide mechanism (status HIDDEN with a reason), so a reported topic
leaves every screen and the ranking exactly like one the organiser hid by hand.
"""
from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from barcamp.common.errors import Conflict, Forbidden
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.moderation.enums import ReportStatus
from barcamp.moderation.models import Report
from barcamp.participants.models import Participant
from barcamp.privacy.policy import policy_of
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.proposals.services import get_proposal, set_hidden

log = logging.getLogger(__name__)


def auto_hide_reason(count: int) -> str:
    return _("Masqué automatiquement après %(n)s signalements, en attente de revue.", n=count)


def open_reports(proposal_id: int) -> int:
    return db.session.scalar(select(func.count(Report.id)).where(
        Report.proposal_id == proposal_id, Report.status == ReportStatus.OPEN)) or 0


def report_proposal(event: Event, participant: Participant, proposal_id: int, reason: str = "") -> tuple[Proposal, bool]:
    """Record one participant's report of a topic (idempotent); return (topic, hidden just now).

    Run inside write_transaction(): the count and the hiding are one transaction, and the unique
    constraint (participant, topic) makes a second report of the same phone impossible.
    """
    if participant.event_id != event.id:
        raise Forbidden("not_in_event", _("Vous ne participez pas à ce forum."))
    proposal = get_proposal(event, proposal_id)
    if proposal.author_id == participant.id:
        raise Conflict("own_proposal", _("Vous ne pouvez pas signaler votre propre sujet."))
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise Conflict("proposal_unavailable", _("Ce sujet a été retiré."))
    existing = db.session.scalar(select(Report).where(Report.participant_id == participant.id,
                                                      Report.proposal_id == proposal.id))
    if existing is None:
        db.session.add(Report(event_id=event.id, proposal_id=proposal.id, participant_id=participant.id,
                              reason=reason.strip()[:300]))
        db.session.flush()
    count = open_reports(proposal.id)
    hidden_now = False
    if proposal.status == ProposalStatus.VISIBLE and count >= policy_of(event.id).report_threshold:
        set_hidden(proposal, True, auto_hide_reason(count))
        hidden_now = True
        log.info("topic %s of forum %s hidden after %s reports", proposal.id, event.id, count)
    return proposal, hidden_now


def review(event: Event, proposal_id: int, decision: str) -> Proposal:
    """The organiser's decision on a reported topic: `restore` shows it again, `confirm` keeps it hidden."""
    proposal = get_proposal(event, proposal_id)
    if decision == "restore":
        set_hidden(proposal, False)
        status = ReportStatus.RESTORED
    elif decision == "confirm":
        if proposal.status != ProposalStatus.HIDDEN:
            set_hidden(proposal, True, _("Masqué après signalement."))
        status = ReportStatus.CONFIRMED
    else:
        raise Conflict("invalid_decision", _("Décision inconnue."))
    db.session.execute(update(Report).where(Report.proposal_id == proposal.id, Report.status == ReportStatus.OPEN)
                       .values(status=status))
    db.session.flush()
    return proposal


# -- workshop cards --------------------------------------------------------------------------------------
def _card_of(event: Event, card_id: int):
    from barcamp.workshops.models import Card, Workshop

    card = db.session.scalar(select(Card).join(Workshop, Workshop.id == Card.workshop_id)
                             .where(Card.id == card_id, Workshop.event_id == event.id))
    if card is None:
        from barcamp.common.errors import NotFound

        raise NotFound("card_not_found", _("Cette carte n'existe pas dans ce forum."))
    return card


def _hide_card(card, hidden: bool) -> None:
    """Hide a card pending review (it leaves the board) or lift the hiding.

    Only `hidden_at` moves: a card its author deleted (`deleted_at`) or the facilitator merged stays
    off the board whatever moderation decides.
    """
    from barcamp.common.db import utcnow

    card.hidden_at = utcnow() if hidden else None
    card.version += 1


def report_card(event: Event, participant: Participant, card_id: int, reason: str = "") -> tuple[object, bool]:
    """Record one participant's report of a workshop card (idempotent); return (card, hidden just now)."""
    if participant.event_id != event.id:
        raise Forbidden("not_in_event", _("Vous ne participez pas à ce forum."))
    card = _card_of(event, card_id)
    if card.author_participant_id == participant.id:
        raise Conflict("own_card", _("Vous ne pouvez pas signaler votre propre carte."))
    if not card.is_visible and open_card_reports(card.id) == 0:
        raise Conflict("card_gone", _("Cette carte a été retirée ou fusionnée."))
    existing = db.session.scalar(select(Report).where(Report.participant_id == participant.id,
                                                      Report.card_id == card.id))
    if existing is None:
        db.session.add(Report(event_id=event.id, card_id=card.id, participant_id=participant.id,
                              reason=reason.strip()[:300]))
        db.session.flush()
    count = open_card_reports(card.id)
    hidden_now = False
    if card.is_visible and count >= policy_of(event.id).report_threshold:
        _hide_card(card, True)
        hidden_now = True
        log.info("card %s of forum %s hidden after %s reports", card.id, event.id, count)
    db.session.flush()
    return card, hidden_now


def open_card_reports(card_id: int) -> int:
    return db.session.scalar(select(func.count(Report.id)).where(
        Report.card_id == card_id, Report.status == ReportStatus.OPEN)) or 0


def review_card(event: Event, card_id: int, decision: str):
    """The organiser's decision on a reported card: `restore` lifts the hiding, `confirm` keeps it off the board.

    A card its author deleted, or one merged into another, stays where it is either way (the reports close).
    """
    card = _card_of(event, card_id)
    if decision == "restore":
        if card.hidden_at is not None:
            _hide_card(card, False)
            if card.is_visible:
                from barcamp.workshops.services import trim_over_budget

                # its dots count again: nobody may end up over the workshop's budget
                trimmed = trim_over_budget(card)
                if trimmed:
                    log.info("card %s restored: %s participant(s) over budget trimmed by %s dot(s)", card.id,
                             len(trimmed), sum(trimmed.values()))
        status = ReportStatus.RESTORED
    elif decision == "confirm":
        if card.is_visible:
            _hide_card(card, True)
        status = ReportStatus.CONFIRMED
    else:
        raise Conflict("invalid_decision", _("Décision inconnue."))
    db.session.execute(update(Report).where(Report.card_id == card.id, Report.status == ReportStatus.OPEN)
                       .values(status=status))
    db.session.flush()
    return card


def reported_cards(event_id: int) -> list[dict]:
    """Workshop cards with open reports, most reported first (a deleted workshop's cards need no review)."""
    from barcamp.workshops.models import Card, Workshop

    rows = db.session.execute(
        select(Card, func.count(Report.id)).join(Report, Report.card_id == Card.id)
        .join(Workshop, Workshop.id == Card.workshop_id)
        .where(Report.event_id == event_id, Report.status == ReportStatus.OPEN, Workshop.deleted_at.is_(None))
        .group_by(Card.id).order_by(func.count(Report.id).desc(), Card.id)
    ).all()
    out = []
    for card, count in rows:
        reasons = list(db.session.scalars(select(Report.reason).where(
            Report.card_id == card.id, Report.status == ReportStatus.OPEN, Report.reason != "")))
        out.append({"card_id": card.id, "workshop_id": card.workshop_id, "text": card.text,
                    "status": card.status, "reports": count, "reasons": reasons})
    return out


def reported_topics(event_id: int) -> list[dict]:
    """Topics with open reports, most reported first: what the organiser reviews."""
    rows = db.session.execute(
        select(Proposal, func.count(Report.id))
        .join(Report, Report.proposal_id == Proposal.id)
        .where(Report.event_id == event_id, Report.status == ReportStatus.OPEN)
        .group_by(Proposal.id).order_by(func.count(Report.id).desc(), Proposal.id)
    ).all()
    out = []
    for proposal, count in rows:
        reasons = list(db.session.scalars(select(Report.reason).where(
            Report.proposal_id == proposal.id, Report.status == ReportStatus.OPEN, Report.reason != "")))
        out.append({"proposal_id": proposal.id, "title": proposal.title, "status": proposal.status.value,
                    "reports": count, "reasons": reasons})
    return out
