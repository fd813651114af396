"""The workshop domain: workshops, facilitators, board cards with optimistic versions, dots.

Plain functions on models and validated data; callers run writes inside write_transaction()
and broadcast after commit (app/workshops/actions.py).
"""
from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.common.db import is_sqlite, utcnow
from app.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.events.enums import Phase
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant
from app.proposals.enums import ProposalStatus
from app.proposals.models import Proposal
from app.workshops.enums import CardSection
from app.workshops.models import Card, CardDot, Workshop, WorkshopMember, WorkshopTopic
from app.workshops.schemas import TEXT_MAX

#: facilitator link tokens start with this (the rest is 192 random bits)
FACILITATOR_TOKEN_PREFIX = "f_"


class CardConflict(Conflict):
    """A change based on a stale version: carries the card as it is now, so nothing is lost."""

    def __init__(self, current: dict):
        super().__init__("card_conflict", _("Cette carte a été modifiée entre-temps : comparez et réappliquez "
                                            "votre modification."))
        self.current = current

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["error"]["current"] = self.current
        return body


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- reading ------------------------------------------------------------------------------------
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
    from app.participants.services import display_name

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
        select(Card.workshop_id, func.count()).where(Card.workshop_id.in_(ids), *_visible())
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


def _visible():
    return (Card.deleted_at.is_(None), Card.merged_into_id.is_(None))


def card_out(card: Card, dots: int = 0, merged_ids: list[int] | None = None) -> dict:
    return {
        "id": card.id, "workshop_id": card.workshop_id, "section": card.section.value, "text": card.text,
        "gain": card.gain, "indicator": card.indicator, "number": card.number, "position": card.position,
        "version": card.version, "author_id": card.author_participant_id, "merged_ids": merged_ids or [],
        "dots": dots, "created_at": card.created_at.isoformat(), "updated_at": card.updated_at.isoformat(),
    }


def visible_cards(workshop_id: int) -> list[Card]:
    """Cards on the board: neither removed nor merged away, by section order then position."""
    cards = db.session.scalars(
        select(Card).where(Card.workshop_id == workshop_id, *_visible()).order_by(Card.position, Card.id))
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
        me["member"] = _is_member(workshop.id, participant_id)
        me["reported"] = _my_reports(workshop.id, participant_id)
        dots = _my_dots(workshop.id, participant_id)
        me["dots"] = {str(k): v for k, v in dots.items()}
        me["remaining"] = workshop.dots_budget - sum(dots.values())
    return me


def _is_member(workshop_id: int, participant_id: int) -> bool:
    return db.session.scalar(select(WorkshopMember.id).where(
        WorkshopMember.workshop_id == workshop_id, WorkshopMember.participant_id == participant_id)) is not None


def _my_reports(workshop_id: int, participant_id: int) -> list[int]:
    """Ids of the workshop's cards this participant reported (their button then says so)."""
    from app.moderation.models import Report

    return list(db.session.scalars(
        select(Report.card_id).join(Card, Card.id == Report.card_id)
        .where(Card.workshop_id == workshop_id, Report.participant_id == participant_id).order_by(Report.card_id)))


def _my_dots(workshop_id: int, participant_id: int) -> dict[int, int]:
    """The participant's dots on the workshop's visible cards (dots on removed or merged cards are released)."""
    return dict(db.session.execute(
        select(CardDot.card_id, CardDot.value).join(Card, Card.id == CardDot.card_id)
        .where(CardDot.workshop_id == workshop_id, CardDot.participant_id == participant_id, *_visible())).all())


# -- workshops --------------------------------------------------------------------------------------
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
    from app.voting.services import compute_results

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
    from app.accounts.models import Organiser

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
    if _is_member(workshop.id, participant_id):
        return False
    db.session.add(WorkshopMember(workshop_id=workshop.id, participant_id=participant_id))
    db.session.flush()
    return True


# -- cards ------------------------------------------------------------------------------------------
class Caller:
    """Who acts on a board, by ids (a socket handler has them without loading any row)."""

    def __init__(self, kind: str, organiser_id: int | None = None, participant_id: int | None = None,
                 event_id: int | None = None):
        self.kind, self.organiser_id, self.participant_id, self.event_id = kind, organiser_id, participant_id, event_id

    def facilitates(self, workshop: Workshop) -> bool:
        return is_facilitator(workshop, self.kind, self.organiser_id, self.participant_id)


def _phase(workshop: Workshop) -> Phase:
    return Phase(db.session.scalar(select(Event.phase).where(Event.id == workshop.event_id)))


def _require_writer(workshop: Workshop, caller: Caller) -> None:
    """Organisers and facilitators write any time; participants of the forum during the workshops phase."""
    if caller.kind == "projector":
        raise Forbidden("forbidden", _("Cette action n'est pas permise avec ce jeton."))
    if caller.facilitates(workshop):
        return
    if caller.kind != "participant" or caller.event_id != workshop.event_id:
        raise Forbidden("not_in_event", _("Votre jeton ne donne pas accès à ce forum."))
    phase = _phase(workshop)
    if phase != Phase.WORKSHOPS:
        raise Conflict("wrong_phase", _("Action impossible pendant la phase « %(phase)s ».", phase=phase.label))


def require_reporter(workshop: Workshop, caller: Caller, card_id: int) -> None:
    """Only a participant of the forum reports a card, and only a card of this board
    (the moderation rules apply next: not one's own card, once per participant)."""
    if caller.kind != "participant" or caller.event_id != workshop.event_id:
        raise Forbidden("participants_only", _("Seuls les participants du forum signalent des cartes."))
    _get_card(workshop, card_id)


def _get_card(workshop: Workshop, card_id: int, lock: bool = False) -> Card:
    query = select(Card).where(Card.id == card_id, Card.workshop_id == workshop.id)
    if lock and not is_sqlite():
        query = query.with_for_update()
    card = db.session.scalar(query)
    if card is None:
        raise NotFound("card_not_found", _("Cette carte n'existe pas dans cet atelier."))
    return card


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def add_card(workshop: Workshop, caller: Caller, section: CardSection, text: str, gain: str | None = None,
             indicator: str | None = None, client_key: str | None = None) -> Card:
    """Add a card at the end of its section; a participant who writes joins the workshop.

    With a `client_key` already used on this board, return that card unchanged: a client that
    resends a card whose acknowledgement was lost (crash, reconnect) never adds it twice; the
    unique constraint (workshop, client_key) guarantees it whatever happens.
    """
    _require_writer(workshop, caller)
    if client_key:
        existing = db.session.scalar(select(Card).where(Card.workshop_id == workshop.id,
                                                        Card.client_key == client_key))
        if existing is not None:
            return existing
    text = _clean(text)
    if not text:
        raise InvalidInput("invalid_input", _("La carte est vide."))
    position = db.session.scalar(select(func.coalesce(func.max(Card.position), -1)).where(
        Card.workshop_id == workshop.id, Card.section == section)) + 1
    card = Card(workshop_id=workshop.id, section=section, text=text, gain=_clean(gain),
                indicator=_clean(indicator), position=position, version=1, client_key=client_key or None,
                author_participant_id=caller.participant_id if caller.kind == "participant" else None)
    if client_key:
        # Two resends racing on two PostgreSQL workers: the second insert meets the unique
        # constraint inside a savepoint and returns the card the first one stored.
        try:
            with db.session.begin_nested():
                db.session.add(card)
        except IntegrityError:
            return db.session.scalar(select(Card).where(Card.workshop_id == workshop.id,
                                                        Card.client_key == client_key))
    else:
        db.session.add(card)
    if caller.kind == "participant":
        join_workshop(workshop, caller.participant_id)
    db.session.flush()
    return card


#: fields only the facilitator may change
FACILITATOR_FIELDS = ("section", "position", "number")
EDITABLE_FIELDS = ("text", "gain", "indicator", *FACILITATOR_FIELDS)


def edit_card(workshop: Workshop, caller: Caller, card_id: int, version: int, changes: dict) -> Card:
    """Change a card if `version` is still its version (optimistic concurrency), else CardConflict.

    `changes` holds only the fields the caller sent (None clears gain, indicator or number).
    The facilitator edits any card; an author edits the text, gain and indicator of their own.
    The version check and the write are one conditional UPDATE: of two saves based on the same
    version, exactly one succeeds, on SQLite and PostgreSQL alike.
    """
    _require_writer(workshop, caller)
    card = _get_card(workshop, card_id)
    if not card.is_visible:
        raise Conflict("card_gone", _("Cette carte a été retirée ou fusionnée."))
    facilitator = caller.facilitates(workshop)
    if not facilitator:
        if caller.participant_id is None or card.author_participant_id != caller.participant_id:
            raise Forbidden("not_facilitator", _("Seul l'animateur ou l'auteur peut modifier cette carte."))
        if any(field in changes for field in FACILITATOR_FIELDS):
            raise Forbidden("not_facilitator", _("Seul l'animateur peut déplacer ou numéroter les cartes."))
    values = {}
    for field in EDITABLE_FIELDS:
        if field not in changes:
            continue
        value = changes[field]
        if field == "text":
            value = _clean(value)
            if not value:
                raise InvalidInput("invalid_input", _("La carte est vide."))
        elif field in ("gain", "indicator"):
            value = _clean(value)
        elif field in ("section", "position") and value is None:
            continue
        values[field] = value
    result = db.session.execute(
        update(Card).where(Card.id == card.id, Card.version == version, Card.deleted_at.is_(None),
                           Card.merged_into_id.is_(None))
        .values(**values, version=Card.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.refresh(card)
    if result.rowcount != 1:
        raise CardConflict(single_card_out(card))
    return card


def remove_card(workshop: Workshop, caller: Caller, card_id: int, version: int | None = None) -> Card:
    """Soft-delete a card (facilitator, or its author): hidden everywhere, kept in the database."""
    _require_writer(workshop, caller)
    card = _get_card(workshop, card_id, lock=True)
    if not caller.facilitates(workshop) and (
            caller.participant_id is None or card.author_participant_id != caller.participant_id):
        raise Forbidden("not_facilitator", _("Seul l'animateur ou l'auteur peut retirer cette carte."))
    if card.deleted_at is not None:
        return card  # removing twice is harmless
    if version is not None and version != card.version:
        raise CardConflict(single_card_out(card))
    card.deleted_at = utcnow()
    card.version += 1
    db.session.flush()
    return card


def merge_cards(workshop: Workshop, caller: Caller, target_id: int, source_ids: list[int],
                target_version: int | None = None) -> Card:
    """Merge cards into one (facilitator): their text is appended to the target's, nothing is lost.

    Each merged card keeps its own text and points to the target (`merged_into_id`), the trail
    the board shows as `merged_ids`. Gains and indicators are appended the same way.
    """
    _require_writer(workshop, caller)
    if not caller.facilitates(workshop):
        raise Forbidden("not_facilitator", _("Seul l'animateur peut fusionner des cartes."))
    target = _get_card(workshop, target_id, lock=True)
    if not target.is_visible:
        raise Conflict("card_gone", _("Cette carte a été retirée ou fusionnée."))
    if target_version is not None and target_version != target.version:
        raise CardConflict(single_card_out(target))
    sources = []
    for sid in dict.fromkeys(source_ids):
        if sid == target.id:
            continue
        source = _get_card(workshop, sid, lock=True)
        if not source.is_visible:
            raise Conflict("card_gone", _("La carte %(id)s a déjà été retirée ou fusionnée.", id=sid))
        sources.append(source)
    if not sources:
        raise InvalidInput("invalid_input", _("Choisissez au moins une autre carte à fusionner."))
    text, gain, indicator = target.text, target.gain, target.indicator
    for source in sources:
        text = _join(text, source.text)
        gain = _join(gain, source.gain)
        indicator = _join(indicator, source.indicator)
    if max(len(text), len(gain or ""), len(indicator or "")) > TEXT_MAX:
        raise Conflict("merge_too_long", _("La carte fusionnée dépasserait %(n)s caractères : raccourcissez "
                                           "d'abord les textes.", n=TEXT_MAX))
    target.text, target.gain, target.indicator = text, gain, indicator
    target.version += 1
    for source in sources:
        source.merged_into_id = target.id
        source.version += 1
    db.session.flush()
    return target


def _join(first: str | None, second: str | None) -> str | None:
    if not second:
        return first
    if not first:
        return second
    return f"{first}\n\n{second}"


# -- dots ---------------------------------------------------------------------------------------------
def record_dots(workshop_id: int, participant_id: int, card_id: int, value: int) -> tuple[int, int]:
    """Set the participant's dots on a proposal card to an absolute value; return (value, remaining).

    The forum vote's rules (app/voting/services.py::record_ballot): run inside write_transaction(),
    the budget check and the write are one transaction; on PostgreSQL the participant row is locked
    first so concurrent requests of one participant queue up; the unique (participant, card)
    constraint makes a second row impossible. Setting the same value twice changes nothing.
    Only dots on visible cards count against the budget: removing or merging a card releases them.
    """
    session = db.session
    owner = select(Participant.event_id).where(Participant.id == participant_id)
    if not is_sqlite():
        owner = owner.with_for_update()
    participant_event = session.execute(owner).scalar()
    rules = session.execute(
        select(Workshop.event_id, Workshop.dots_budget, Workshop.max_per_card, Event.phase)
        .join(Event, Event.id == Workshop.event_id)
        .where(Workshop.id == workshop_id, Workshop.deleted_at.is_(None))).one_or_none()
    if rules is None:
        raise NotFound("workshop_not_found", _("Cet atelier n'existe pas."))
    if participant_event != rules.event_id:
        raise Forbidden("not_in_event", _("Votre jeton ne donne pas accès à ce forum."))
    if rules.phase != Phase.WORKSHOPS:
        raise Conflict("wrong_phase", _("Action impossible pendant la phase « %(phase)s ».",
                                        phase=Phase(rules.phase).label))
    card = session.execute(
        select(Card.section, Card.deleted_at, Card.merged_into_id)
        .where(Card.id == card_id, Card.workshop_id == workshop_id)).one_or_none()
    if card is None:
        raise NotFound("card_not_found", _("Cette carte n'existe pas dans cet atelier."))
    if card.deleted_at is not None or card.merged_into_id is not None:
        raise Conflict("card_gone", _("Cette carte a été retirée ou fusionnée."))
    if card.section != CardSection.PROPOSITIONS:
        raise Conflict("not_a_proposal", _("Les gommettes vont sur les propositions (« Nous proposons de… »)."))
    if value > rules.max_per_card:
        raise Conflict("max_per_card", _("Au plus %(n)s gommette(s) par proposition.", n=rules.max_per_card))
    mine = _my_dots(workshop_id, participant_id)
    before = rules.dots_budget - sum(mine.values())
    existing = mine.get(card_id)
    mine[card_id] = value
    remaining = rules.dots_budget - sum(mine.values())
    if remaining < 0:
        raise Conflict("budget_exceeded", _("Plus assez de gommettes : il vous en reste %(n)s.", n=before))
    if value == 0:
        if existing is not None:
            session.execute(delete(CardDot).where(CardDot.participant_id == participant_id,
                                                  CardDot.card_id == card_id))
    elif existing is None:
        session.execute(insert(CardDot).values(workshop_id=workshop_id, participant_id=participant_id,
                                               card_id=card_id, value=value, updated_at=utcnow()))
        join_workshop(db.session.get(Workshop, workshop_id), participant_id)
    elif existing != value:
        session.execute(update(CardDot).where(CardDot.participant_id == participant_id, CardDot.card_id == card_id)
                        .values(value=value, updated_at=utcnow()))
    return value, remaining


def member_of(participant_id: int) -> set[int]:
    """Ids of the workshops the participant joined."""
    return set(db.session.scalars(select(WorkshopMember.workshop_id)
                                  .where(WorkshopMember.participant_id == participant_id)))
