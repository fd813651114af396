"""Cards on a board: who may write, adding (idempotent by client_key), versioned edits, removal, merges."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from barcamp.common.db import is_sqlite, utcnow
from barcamp.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from barcamp.events.enums import Phase
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.workshops.enums import CardSection
from barcamp.workshops.models import Card, Workshop
from barcamp.workshops.schemas import TEXT_MAX
from barcamp.workshops.services.boards import single_card_out, visible_only
from barcamp.workshops.services.workshops import is_facilitator, join_workshop

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

    With a `client_key` this author already used on this board, return that card unchanged: a
    client that resends a card whose acknowledgement was lost (crash, reconnect) never adds it
    twice; the unique constraint (workshop, author, client_key) guarantees it whatever happens.
    The key is scoped to its author (organisers share one scope): someone else's key never
    returns their card, it adds the caller's own.
    """
    _require_writer(workshop, caller)
    author_id = caller.participant_id if caller.kind == "participant" else None
    if client_key:
        existing = _card_by_key(workshop.id, author_id, client_key)
        if existing is not None:
            return existing
    text = _clean(text)
    if not text:
        raise InvalidInput("invalid_input", _("La carte est vide."))
    position = db.session.scalar(select(func.coalesce(func.max(Card.position), -1)).where(
        Card.workshop_id == workshop.id, Card.section == section)) + 1
    card = Card(workshop_id=workshop.id, section=section, text=text, gain=_clean(gain),
                indicator=_clean(indicator), position=position, version=1, client_key=client_key or None,
                author_participant_id=author_id)
    if client_key:
        # Two resends racing on two PostgreSQL workers: the second insert meets the unique
        # constraint inside a savepoint and returns the card the first one stored.
        try:
            with db.session.begin_nested():
                db.session.add(card)
        except IntegrityError:
            return _card_by_key(workshop.id, author_id, client_key)
    else:
        db.session.add(card)
    if caller.kind == "participant":
        join_workshop(workshop, caller.participant_id)
    db.session.flush()
    return card


def _card_by_key(workshop_id: int, author_id: int | None, client_key: str) -> Card | None:
    """The card this author (None: the organisers) added to the board with this idempotency key."""
    author = Card.author_participant_id.is_(None) if author_id is None else Card.author_participant_id == author_id
    return db.session.scalar(select(Card).where(Card.workshop_id == workshop_id, author, Card.client_key == client_key))


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
        update(Card).where(Card.id == card.id, Card.version == version, *visible_only())
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
