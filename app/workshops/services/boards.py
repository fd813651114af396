"""What screens read: the JSON shapes of workshops and cards, the whole board, one caller's view of it."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.proposals.models import Proposal
from barcamp.workshops.enums import CardSection
from barcamp.workshops.models import Card, CardDot, Workshop, WorkshopMember, WorkshopTopic
from barcamp.workshops.services.workshops import is_facilitator, is_member

def visible_only():
    """SQL conditions of a card on the board (Card.is_visible): neither deleted, hidden nor merged away."""
    return (Card.deleted_at.is_(None), Card.hidden_at.is_(None), Card.merged_into_id.is_(None))


def workshop_topics(workshop_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    rows = db.session.execute(
        select(WorkshopTopic.workshop_id, Proposal.id, Proposal.title)
        .join(Proposal, Proposal.id == WorkshopTopic.proposal_id)
        .where(WorkshopTopic.workshop_id.in_(workshop_ids))
        .order_by(WorkshopTopic.id)
    ).all()
    topics: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for wid, pid, title in rows:
        topics[wid].append((pid, title))
    return topics


def facilitator_out(workshop: Workshop) -> dict:
    from barcamp.participants.services import display_name

    if workshop.facilitator_participant_id is not None:
        participant = db.session.get(Participant, workshop.facilitator_participant_id)
        return {"kind": "participant", "name": display_name(participant)}
    if workshop.facilitator_organiser_id is not None:
        # the board goes to every phone and the projector: never an organiser's e-mail address
        return {"kind": "organiser", "name": ""}
    if workshop.facilitator_token_hash is not None:
        return {"kind": "link", "name": ""}
    return {"kind": None, "name": ""}


def workshops_out(workshops: list[Workshop]) -> list[dict]:
    """JSON shape of several workshops, with their topics and counts (three queries in all)."""
    ids = [w.id for w in workshops]
    topics = workshop_topics(ids)
    members = dict(db.session.execute(
        select(WorkshopMember.workshop_id, func.count()).where(WorkshopMember.workshop_id.in_(ids))
        .group_by(WorkshopMember.workshop_id)).all())
    cards = dict(db.session.execute(
        select(Card.workshop_id, func.count()).where(Card.workshop_id.in_(ids), *visible_only())
        .group_by(Card.workshop_id)).all())
    return [
        {
            "id": w.id, "event_id": w.event_id, "title": w.title, "description": w.description,
            "position": w.position,
            "proposal_ids": [pid for pid, _t in topics.get(w.id, [])],
            "topics": [title for _p, title in topics.get(w.id, [])],
            "facilitator": facilitator_out(w),
            "members": members.get(w.id, 0), "cards": cards.get(w.id, 0),
            "dots_budget": w.dots_budget, "max_per_card": w.max_per_card,
            "deleted": w.deleted_at is not None,
        }
        for w in workshops
    ]


def card_out(card: Card, dots: int = 0, merged_ids: list[int] | None = None) -> dict:
    return {
        "id": card.id, "workshop_id": card.workshop_id, "section": card.section.value, "text": card.text,
        "gain": card.gain, "indicator": card.indicator, "number": card.number, "position": card.position,
        "version": card.version, "author_id": card.author_participant_id, "merged_ids": merged_ids or [],
        "dots": dots, "created_at": card.created_at.isoformat(), "updated_at": card.updated_at.isoformat(),
    }


def visible_cards(workshop_id: int) -> list[Card]:
    """Cards on the board: neither deleted, hidden nor merged away, by section order then position."""
    cards = db.session.scalars(
        select(Card).where(Card.workshop_id == workshop_id, *visible_only()).order_by(Card.position, Card.id))
    order = {s: i for i, s in enumerate(CardSection)}
    return sorted(cards, key=lambda c: order[c.section])


def card_dot_totals(workshop_id: int) -> dict[int, int]:
    return dict(db.session.execute(
        select(CardDot.card_id, func.sum(CardDot.value)).where(CardDot.workshop_id == workshop_id)
        .group_by(CardDot.card_id)).all())


def _merged_ids(workshop_id: int) -> dict[int, list[int]]:
    merged: dict[int, list[int]] = defaultdict(list)
    for cid, target in db.session.execute(
            select(Card.id, Card.merged_into_id).where(Card.workshop_id == workshop_id,
                                                       Card.merged_into_id.is_not(None)).order_by(Card.id)):
        merged[target].append(cid)
    return merged


def single_card_out(card: Card) -> dict:
    dots = db.session.scalar(select(func.coalesce(func.sum(CardDot.value), 0)).where(CardDot.card_id == card.id))
    merged = list(db.session.scalars(select(Card.id).where(Card.merged_into_id == card.id).order_by(Card.id)))
    return card_out(card, int(dots or 0), merged)


def board_state(workshop: Workshop) -> dict:
    """The whole board: the workshop and its visible cards by section, with dot totals (no caller data)."""
    dots = card_dot_totals(workshop.id)
    merged = _merged_ids(workshop.id)
    by_section: dict[CardSection, list[dict]] = {s: [] for s in CardSection}
    for card in visible_cards(workshop.id):
        by_section[card.section].append(card_out(card, int(dots.get(card.id, 0)), merged.get(card.id)))
    return {
        "workshop": workshops_out([workshop])[0],
        "sections": [{"key": s.value, "label": str(s.label), "cards": by_section[s]} for s in CardSection],
    }


def board_me(workshop: Workshop, kind: str, organiser_id: int | None = None,
             participant_id: int | None = None) -> dict:
    """What the board looks like for one caller: facilitator rights, membership, own dots."""
    me = {"kind": kind, "facilitator": is_facilitator(workshop, kind, organiser_id, participant_id),
          "member": False, "participant_id": participant_id, "dots": {}, "remaining": None, "reported": []}
    if kind == "participant" and participant_id is not None:
        me["member"] = is_member(workshop.id, participant_id)
        me["reported"] = _my_reports(workshop.id, participant_id)
        dots = my_dots(workshop.id, participant_id)
        me["dots"] = {str(k): v for k, v in dots.items()}
        me["remaining"] = workshop.dots_budget - sum(dots.values())
    return me


def _my_reports(workshop_id: int, participant_id: int) -> list[int]:
    """Ids of the workshop's cards this participant reported (their button then says so)."""
    from barcamp.moderation.models import Report

    return list(db.session.scalars(
        select(Report.card_id).join(Card, Card.id == Report.card_id)
        .where(Card.workshop_id == workshop_id, Report.participant_id == participant_id).order_by(Report.card_id)))


def my_dots(workshop_id: int, participant_id: int) -> dict[int, int]:
    """The participant's dots on the workshop's visible cards (dots on removed or merged cards are released)."""
    return dict(db.session.execute(
        select(CardDot.card_id, CardDot.value).join(Card, Card.id == CardDot.card_id)
        .where(CardDot.workshop_id == workshop_id, CardDot.participant_id == participant_id, *visible_only())).all())
