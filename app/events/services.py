"""The forum domain: creation, lookup, and the phase state machine."""
from __future__ import annotations

import logging
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from barcamp.common.db import utcnow
from barcamp.common.errors import Conflict, Forbidden, NotFound
from barcamp.events.enums import TRANSITIONS, Phase
from barcamp.events.models import Event, Theme
from barcamp.events.schemas import EventCreate, VotingRules
from barcamp.extensions import db

log = logging.getLogger(__name__)

#: join-code alphabet: no look-alikes (0/O, 1/I/L), no vowels that spell words by accident besides A/E/U
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def generate_join_code() -> str:
    """Return a fresh join code not used by any forum."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if db.session.scalar(select(Event.id).where(Event.join_code == code)) is None:
            return code


def normalise_join_code(raw: str) -> str:
    """Uppercase a typed code and drop spaces and dashes."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def create_event(organiser_id: int, data: EventCreate) -> Event:
    """Create a forum in the draft phase with its join code and projector secret."""
    event = Event(
        organiser_id=organiser_id,
        title=data.title,
        starts_at=data.starts_at,
        place=data.place,
        description=data.description,
        join_code=generate_join_code(),
        projector_token=secrets.token_urlsafe(24),
        phase=Phase.DRAFT,
        voting_mode=data.voting.mode,
        dots_budget=data.voting.dots,
        max_per_proposal=data.voting.max_per_proposal,
    )
    if data.quiz is not None:
        from barcamp.quiz.services import check_quiz_slug  # the quiz area sits above events

        event.quiz_slug = check_quiz_slug(data.quiz)
    seen: set[str] = set()
    for position, name in enumerate(data.themes):
        if name.casefold() not in seen:
            seen.add(name.casefold())
            event.themes.append(Theme(name=name, position=position))
    db.session.add(event)
    db.session.flush()
    return event


def get_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("event_not_found", _("Ce forum n'existe pas."))
    return event


def get_event_for_organiser(event_id: int, organiser_id: int) -> Event:
    """Return the forum if this organiser owns it."""
    event = get_event(event_id)
    if event.organiser_id != organiser_id:
        raise Forbidden("not_your_event", _("Ce forum appartient à un autre organisateur."))
    return event


def find_event_by_code(raw_code: str) -> Event:
    code = normalise_join_code(raw_code)
    event = db.session.scalar(select(Event).where(Event.join_code == code)) if len(code) == JOIN_CODE_LENGTH else None
    if event is None:
        raise NotFound("unknown_code", _("Aucun forum ne correspond au code « %(code)s ».", code=raw_code.strip()[:12]))
    return event


def find_event_by_projector_token(token: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.projector_token == token))
    if event is None:
        raise NotFound("event_not_found", _("Ce lien de projection n'est pas valide."))
    return event


def events_of_organiser(organiser_id: int) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.organiser_id == organiser_id).order_by(Event.id.desc())))


def latest_events(limit: int) -> list[Event]:
    """The forums created last, newest first (what `barcamp run` prints the join links of)."""
    return list(db.session.scalars(select(Event).order_by(Event.id.desc()).limit(limit)))


def transition_phase(event: Event, target: Phase) -> Event:
    """Move the forum to `target`, the one way a phase ever changes.

    Side effects, by target phase:
    - icebreaker: the forum's quiz run is created (quiz choice frozen from then on); answers are
      accepted; in live mode the quiz starts at no question (the organiser opens the first one);
    - proposals (leaving the icebreaker): answers are refused and the room's quiz distribution is
      stored with the forum for the restitution;
    - proposals: participants may propose, edit and withdraw topics;
    - voting: topics are frozen, the voting rules (mode, budgets) are frozen for good
      (`voting_opened_at` is set) and ballots are accepted;
    - closed: ballots are refused; the ranking is final; with the secret ballot option, the links
      between participants and their ballots are deleted (app/privacy/services.py::seal_ballots).
    Callers commit and then broadcast the `phase` message (and a final tally when closing).
    """
    if target == event.phase:
        return event
    if target not in TRANSITIONS[event.phase]:
        raise Conflict(
            "illegal_transition",
            _("Impossible de passer de la phase « %(src)s » à « %(dst)s ».", src=event.phase.label, dst=target.label),
        )
    if target == Phase.VOTING and event.voting_opened_at is None:
        event.voting_opened_at = utcnow()
    if Phase.ICEBREAKER in (target, event.phase):
        from barcamp.quiz.services import close_icebreaker, open_icebreaker  # the quiz area sits above events

        if target == Phase.ICEBREAKER:
            open_icebreaker(event)
        else:
            close_icebreaker(event)
    event.phase = target
    db.session.flush()
    from barcamp.privacy.services import on_phase_changed  # the privacy area sits above events

    on_phase_changed(event)
    return event


def require_phase(event: Event, *phases: Phase) -> None:
    """Refuse an action outside the phases where it is allowed."""
    if event.phase not in phases:
        raise Conflict(
            "wrong_phase",
            _("Action impossible pendant la phase « %(phase)s ».", phase=event.phase.label),
        )


def voting_rules_frozen(event: Event) -> bool:
    return event.voting_opened_at is not None


def change_voting_rules(event: Event, rules: VotingRules) -> Event:
    """Set the voting mode and budgets; refused (409) and logged once the vote has opened.

    The rules are frozen from the first second of the vote: a budget lowered mid-vote would
    make ballots already cast overspend, a mode changed mid-vote would reinterpret them.
    """
    if voting_rules_frozen(event) or event.phase in (Phase.VOTING, Phase.CLOSED):
        log.warning("refused: voting rules change on forum %s after the vote opened (%s -> %s)", event.id,
                    {"mode": event.voting_mode.value, "dots": event.dots_budget, "max": event.max_per_proposal},
                    rules.model_dump(mode="json"))
        raise Conflict("rules_frozen", _("Le vote a commencé : le mode et les budgets ne peuvent plus changer."))
    event.voting_mode = rules.mode
    event.dots_budget = rules.dots
    event.max_per_proposal = rules.max_per_proposal
    db.session.flush()
    return event
