"""Workshops themselves: reading and rights, creation, renaming, deletion, facilitators, members."""
from __future__ import annotations

import hashlib
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select

from barcamp.common.db import utcnow
from barcamp.common.errors import Forbidden, InvalidInput, NotFound
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.workshops.models import Workshop, WorkshopMember, WorkshopTopic

#: facilitator link tokens start with this (the rest is 192 random bits)
FACILITATOR_TOKEN_PREFIX = "f_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_workshop(workshop_id: int) -> Workshop:
    """The workshop, or 404 `workshop_not_found` (also once the organiser deleted it)."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or workshop.deleted_at is not None:
        raise NotFound("workshop_not_found", _("Cet atelier n'existe pas."))
    return workshop


def list_workshops(event_id: int) -> list[Workshop]:
    return list(db.session.scalars(
        select(Workshop).where(Workshop.event_id == event_id, Workshop.deleted_at.is_(None))
        .order_by(Workshop.position, Workshop.id)))


def is_facilitator(workshop: Workshop, kind: str, organiser_id: int | None = None,
                   participant_id: int | None = None) -> bool:
    """Whether this caller runs the board: the forum's organiser, the facilitating organiser or participant."""
    if kind == "organiser":
        if organiser_id == workshop.facilitator_organiser_id:
            return True
        owner = db.session.scalar(select(Event.organiser_id).where(Event.id == workshop.event_id))
        return organiser_id == owner
    if kind == "participant":
        return participant_id is not None and participant_id == workshop.facilitator_participant_id
    return False


def may_read(workshop: Workshop, kind: str, organiser_id: int | None = None, event_id: int | None = None) -> bool:
    """Organisers of the forum (or the facilitating organiser); participants and projector of the forum."""
    if kind == "organiser":
        return is_facilitator(workshop, kind, organiser_id=organiser_id)
    return event_id == workshop.event_id


def create_workshop(event: Event, title: str, description: str = "", proposal_ids: list[int] | tuple = (),
                    dots_budget: int = 3, max_per_card: int = 2) -> Workshop:
    """Create a workshop of the forum, gathering zero or more of its visible topics."""
    title = title.strip()
    if not title:
        raise InvalidInput("invalid_input", _("Donnez un titre à l'atelier."))
    if max_per_card > dots_budget:
        raise InvalidInput("invalid_input", _("Le maximum par proposition dépasse le nombre de gommettes."))
    ids = list(dict.fromkeys(proposal_ids))
    if ids:
        found = set(db.session.scalars(select(Proposal.id).where(
            Proposal.id.in_(ids), Proposal.event_id == event.id, Proposal.status == ProposalStatus.VISIBLE)))
        missing = [pid for pid in ids if pid not in found]
        if missing:
            raise NotFound("proposal_not_found", _("Sujet introuvable dans ce forum : %(ids)s.",
                                                   ids=", ".join(map(str, missing))))
    position = db.session.scalar(select(func.coalesce(func.max(Workshop.position), -1))
                                 .where(Workshop.event_id == event.id)) + 1
    workshop = Workshop(event_id=event.id, title=title[:120], description=description.strip(), position=position,
                        dots_budget=dots_budget, max_per_card=max_per_card)
    db.session.add(workshop)
    db.session.flush()
    for pid in ids:
        db.session.add(WorkshopTopic(workshop_id=workshop.id, proposal_id=pid))
    db.session.flush()
    return workshop


def workshops_from_ranking(event: Event, top: int) -> list[Workshop]:
    """One workshop per topic for the top `top` of the ranking, skipping topics that already have one."""
    from barcamp.voting.services import compute_results

    taken = set(db.session.scalars(
        select(WorkshopTopic.proposal_id).join(Workshop, Workshop.id == WorkshopTopic.workshop_id)
        .where(Workshop.event_id == event.id, Workshop.deleted_at.is_(None))))
    created = []
    for entry in compute_results(event)["ranking"][:top]:
        if entry["proposal_id"] in taken:
            continue
        created.append(create_workshop(event, entry["title"][:120], proposal_ids=[entry["proposal_id"]]))
    return created


def rename_workshop(workshop: Workshop, title: str | None = None, description: str | None = None) -> Workshop:
    """Change the title (and, if given, the description) of a workshop; boards and the restitution follow."""
    if title is not None:
        title = title.strip()
        if not title:
            raise InvalidInput("invalid_input", _("Donnez un titre à l'atelier."))
        workshop.title = title[:120]
    if description is not None:
        workshop.description = description.strip()
    db.session.flush()
    return workshop


def delete_workshop(workshop: Workshop) -> Workshop:
    """Delete a workshop (soft): it leaves the lists, its board and the restitution; every row stays.

    Its cards, dots, members and reports are kept as they are (a mistaken deletion can be undone in
    the database, and nothing a participant wrote is destroyed); the privacy purge still erases them
    with the forum's other personal data. Its topics become free for "from the ranking" again.
    """
    workshop.deleted_at = utcnow()
    workshop.facilitator_token_hash = None  # the facilitator link stops working with it
    db.session.flush()
    return workshop


def set_facilitator(workshop: Workshop, organiser_id: int | None, link: bool) -> str | None:
    """Name an organiser as facilitator, or issue a new facilitator link; return the link's token (once)."""
    from barcamp.accounts.models import Organiser

    workshop.facilitator_participant_id = None
    workshop.facilitator_token_hash = None
    workshop.facilitator_organiser_id = None
    if organiser_id is not None:
        if db.session.get(Organiser, organiser_id) is None:
            raise NotFound("organiser_not_found", _("Organisateur introuvable."))
        workshop.facilitator_organiser_id = organiser_id
    token = None
    if link:
        token = FACILITATOR_TOKEN_PREFIX + secrets.token_urlsafe(24)
        workshop.facilitator_token_hash = hash_token(token)
    db.session.flush()
    return token


def claim_facilitator(workshop: Workshop, participant: Participant, token: str) -> None:
    """The participant holding the facilitator link becomes the workshop's facilitator."""
    if participant.event_id != workshop.event_id:
        raise Forbidden("not_in_event", _("Votre jeton ne donne pas accès à ce forum."))
    expected = workshop.facilitator_token_hash
    if expected is None or not secrets.compare_digest(expected, hash_token(token)):
        raise Forbidden("bad_facilitator_link", _("Ce lien d'animation n'est pas (ou plus) valable."))
    workshop.facilitator_participant_id = participant.id
    join_workshop(workshop, participant.id)
    db.session.flush()


def join_workshop(workshop: Workshop, participant_id: int) -> bool:
    """Make the participant a member (idempotent); return True when they were not one yet."""
    if is_member(workshop.id, participant_id):
        return False
    db.session.add(WorkshopMember(workshop_id=workshop.id, participant_id=participant_id))
    db.session.flush()
    return True


def is_member(workshop_id: int, participant_id: int) -> bool:
    return db.session.scalar(select(WorkshopMember.id).where(
        WorkshopMember.workshop_id == workshop_id, WorkshopMember.participant_id == participant_id)) is not None


def member_of(participant_id: int) -> set[int]:
    """Ids of the workshops the participant joined."""
    return set(db.session.scalars(select(WorkshopMember.workshop_id)
                                  .where(WorkshopMember.participant_id == participant_id)))
