"""Dots on proposal cards: absolute values, a budget per participant and workshop, a cap per card."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select, update

from barcamp.common.db import is_sqlite, utcnow
from barcamp.common.errors import Conflict, Forbidden, NotFound
from barcamp.events.enums import Phase
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.participants.services import lock_forums_of
from barcamp.workshops.enums import CardSection
from barcamp.workshops.models import Card, CardDot, Workshop
from barcamp.workshops.services.boards import my_dots, visible_only
from barcamp.workshops.services.workshops import join_workshop

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
        select(Card.section, Card.deleted_at, Card.hidden_at, Card.merged_into_id)
        .where(Card.id == card_id, Card.workshop_id == workshop_id)).one_or_none()
    if card is None:
        raise NotFound("card_not_found", _("Cette carte n'existe pas dans cet atelier."))
    if card.deleted_at is not None or card.hidden_at is not None or card.merged_into_id is not None:
        raise Conflict("card_gone", _("Cette carte a été retirée ou fusionnée."))
    if card.section != CardSection.PROPOSITIONS:
        raise Conflict("not_a_proposal", _("Les gommettes vont sur les propositions (« Nous proposons de… »)."))
    if value > rules.max_per_card:
        raise Conflict("max_per_card", _("Au plus %(n)s gommette(s) par proposition.", n=rules.max_per_card))
    mine = my_dots(workshop_id, participant_id)
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


def trim_over_budget(card: Card) -> dict[int, int]:
    """Trim the dots on a card shown again so that no participant exceeds the workshop's budget.

    The forum vote's rule (app/voting/services.py::trim_over_budget): while a card is hidden its dots
    go back to the participants, who may spend them elsewhere; when it is restored, each participant
    now over budget loses the excess from their dots on *this* card, down to none. Deterministic: one
    pass, by participant id. Return {participant: dots removed}. Call once the card is visible again.
    """
    session = db.session
    session.flush()
    budget = session.scalar(select(Workshop.dots_budget).where(Workshop.id == card.workshop_id))
    on_card = session.execute(
        select(CardDot.id, CardDot.participant_id, CardDot.value).where(CardDot.card_id == card.id)
        .order_by(CardDot.participant_id)).all()
    if not on_card or budget is None:
        return {}
    people = [row.participant_id for row in on_card]
    lock_forums_of(people)  # the lock record_dots takes first: no concurrent dot of theirs interleaves
    totals = dict(session.execute(
        select(CardDot.participant_id, func.sum(CardDot.value)).join(Card, Card.id == CardDot.card_id)
        .where(CardDot.workshop_id == card.workshop_id, CardDot.participant_id.in_(people), *visible_only())
        .group_by(CardDot.participant_id)).all())
    trimmed: dict[int, int] = {}
    for row in on_card:
        over = int(totals.get(row.participant_id, 0)) - budget
        if over <= 0:
            continue
        cut = min(over, row.value)
        if cut == row.value:
            session.execute(delete(CardDot).where(CardDot.id == row.id))
        else:
            session.execute(update(CardDot).where(CardDot.id == row.id)
                            .values(value=row.value - cut, updated_at=utcnow()))
        trimmed[row.participant_id] = cut
    return trimmed
