"""Retention: past its period a forum's personal data and free text are erased, its archive kept.

`barcamp run` purges expired forums daily (app/privacy/tasks.py); `barcamp purge` does it by hand.
Services flush; callers commit once (`write_transaction`).
"""
from __future__ import annotations

import logging
import secrets
from datetime import datetime

from sqlalchemy import delete, func, select, update

from barcamp.common.db import utcnow
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.participants.services import people_only
from barcamp.privacy.models import EventPolicy
from barcamp.privacy.policy import ensure_policy, expiry
from barcamp.proposals.models import Proposal
from barcamp.quiz.models import QuizAnswer, QuizRun
from barcamp.voting.models import Ballot

log = logging.getLogger(__name__)


def archive_of(event: Event) -> dict:
    """What a purge keeps: the forum's title and dates, the aggregated ranking and quiz distribution."""
    from barcamp.voting.services import compute_results

    run = db.session.scalar(select(QuizRun).where(QuizRun.event_id == event.id))
    people = db.session.scalar(select(func.count(Participant.id)).where(
        Participant.event_id == event.id, people_only())) or 0
    results = compute_results(event)
    return {
        "title": event.title,
        "starts_at": event.starts_at.isoformat() if event.starts_at else None,
        "place": event.place,
        "participants": people,
        "results": {"mode": results["mode"], "participants_voted": results["participants_voted"],
                    "ranking": [{k: row[k] for k in ("rank", "title", "score", "voters", "grade")}
                                for row in results["ranking"]]},
        "quiz": run.distribution if run and run.distribution else None,
    }


def purge_event(event: Event) -> dict:
    """Erase the forum's personal data and free text, keeping only its archive (see archive_of)."""
    policy = ensure_policy(event.id)
    if policy.purged_at is not None:
        return {"event_id": event.id, "already": True}
    policy.archive = archive_of(event)
    counts = {"event_id": event.id}
    from barcamp.moderation.models import Report

    counts["reports"] = db.session.execute(delete(Report).where(Report.event_id == event.id)).rowcount
    counts["ballots"] = db.session.execute(delete(Ballot).where(Ballot.event_id == event.id)).rowcount
    counts["quiz_answers"] = db.session.execute(delete(QuizAnswer).where(QuizAnswer.event_id == event.id)).rowcount
    counts["cards"] = _purge_workshops(event.id)
    counts["proposals"] = db.session.execute(delete(Proposal).where(Proposal.event_id == event.id)).rowcount
    # people, as every count says (a secret ballot's stand-in voters go too, uncounted)
    counts["participants"] = policy.archive["participants"]
    db.session.execute(delete(Participant).where(Participant.event_id == event.id))
    # the join code and projector secret stop working: nothing is left to join or project
    # (lower-case: a typed code is upper-cased, so it can never match a purged forum again)
    event.join_code = "x" + secrets.token_hex(3)[:5]
    event.projector_token = secrets.token_urlsafe(24)
    policy.purged_at = utcnow()
    db.session.flush()
    log.info("purged forum %s: %s", event.id, counts)
    return counts


def _purge_workshops(event_id: int) -> int:
    """Workshop cards, dots and members of the forum (the workshops themselves keep their titles)."""
    try:
        from barcamp.workshops.models import Card, CardDot, Workshop, WorkshopMember
    except ImportError:  # the workshops area is optional
        return 0
    workshops = select(Workshop.id).where(Workshop.event_id == event_id)
    db.session.execute(delete(CardDot).where(CardDot.workshop_id.in_(workshops)))
    db.session.execute(delete(WorkshopMember).where(WorkshopMember.workshop_id.in_(workshops)))
    db.session.execute(update(Card).where(Card.workshop_id.in_(workshops), Card.merged_into_id.is_not(None))
                       .values(merged_into_id=None))
    return db.session.execute(delete(Card).where(Card.workshop_id.in_(workshops))).rowcount


def expired_events(now: datetime | None = None) -> list[Event]:
    """Forums whose retention period ran out and that are not purged yet."""
    now = now or utcnow()
    purged = select(EventPolicy.event_id).where(EventPolicy.purged_at.is_not(None))
    candidates = db.session.scalars(select(Event).where(Event.id.not_in(purged)).order_by(Event.id))
    return [event for event in candidates if expiry(event) <= now]


def purge_expired(now: datetime | None = None) -> list[dict]:
    """Purge every forum past its retention period, one transaction each; return what was erased."""
    from barcamp.common.db import write_transaction

    done = []
    for event_id in [e.id for e in expired_events(now)]:
        with write_transaction():
            done.append(purge_event(db.session.get(Event, event_id)))
    return done
