"""Privacy by design: pseudonymous ballots, secret ballot, erasure, exports (settings: policy.py; retention:
retention.py).

Services flush; callers commit once (`write_transaction`). Nothing here touches the request.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from barcamp.common.db import utcnow
from barcamp.events.enums import Phase
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.enums import ParticipantKind
from barcamp.participants.models import Participant
from barcamp.participants.services import people_only
from barcamp.privacy.models import EventPolicy
from barcamp.privacy.policy import ensure_policy, policy_of, policy_out
from barcamp.privacy.recount import differences, rank
from barcamp.privacy.retention import purge_event
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.quiz.models import QuizAnswer, QuizRun
from barcamp.schedule.signups import leave_all
from barcamp.voting.models import Ballot

log = logging.getLogger(__name__)

#: token_hash of the stand-in voters a sealed (secret) ballot belongs to: never a SHA-256 hex digest,
#: so no token can ever resolve to one. What makes a row a stand-in is its `kind`, not this prefix.
SEALED_PREFIX = "sealed:"
#: what a participant's withdrawn-and-erased topic reads like
ERASED_TITLE = "—"


# -- pseudonymous ballots and recount --------------------------------------------------------------------
def pseudonym(key: str, participant_id: int) -> str:
    """A per-forum voter id: stable within the forum, unlinkable without the forum's random key."""
    return "v" + hmac.new(key.encode(), str(participant_id).encode(), hashlib.sha256).hexdigest()[:12]


def ballot_rows(event: Event) -> list[dict]:
    """Every ballot on a visible topic, with a pseudonymous voter id instead of the participant."""
    policy = policy_of(event.id)
    key = policy.pseudonym_key or f"{event.id}:{event.projector_token}"
    rows = db.session.execute(
        select(Ballot.participant_id, Ballot.proposal_id, Proposal.title, Ballot.value)
        .join(Proposal, Proposal.id == Ballot.proposal_id)
        .where(Ballot.event_id == event.id, Proposal.status == ProposalStatus.VISIBLE)
        .order_by(Ballot.proposal_id, Ballot.id)
    ).all()
    return [{"voter": pseudonym(key, pid), "proposal_id": topic, "title": title, "value": value}
            for pid, topic, title, value in rows]


def ballots_document(event: Event) -> dict:
    """The downloadable ballot box: rules, visible topics and pseudonymous ballots."""
    topics = db.session.execute(
        select(Proposal.id, Proposal.title)
        .where(Proposal.event_id == event.id, Proposal.status == ProposalStatus.VISIBLE).order_by(Proposal.id)
    ).all()
    return {
        "event_id": event.id,
        "title": event.title,
        "mode": event.voting_mode.value,
        "phase": event.phase.value,
        "topics": [{"id": tid, "title": title} for tid, title in topics],
        "ballots": ballot_rows(event),
    }


def recount(event: Event) -> tuple[dict, dict, list[str]]:
    """Recount the stored ballots and compare with the live results: (recount, live, differences)."""
    from barcamp.voting.services import compute_results  # the live ranking, the one we check

    document = ballots_document(event)
    live = compute_results(event)
    try:
        counted = rank(document["mode"], [(t["id"], t["title"]) for t in document["topics"]],
                       [(b["voter"], b["proposal_id"], b["value"]) for b in document["ballots"]])
    except ValueError as error:  # a doubled ballot: the box itself is wrong, nothing to compare
        return None, live, [str(error)]
    return counted, live, differences(counted, live)


def budget_breaches(event: Event) -> list[str]:
    """Every participant over a budget, one line each (empty when none): what `barcamp recount` checks too.

    Dots mode: a voter's ballots on visible topics above the forum's dots; every mode's workshops: a
    participant's dots on visible cards above the workshop's budget. Voters appear as their pseudonyms
    (the ids of the ballot download). The services never store this; a line here means a row changed
    behind their back or a bug.
    """
    from barcamp.events.enums import VotingMode

    policy = policy_of(event.id)
    key = policy.pseudonym_key or f"{event.id}:{event.projector_token}"
    lines = []
    if event.voting_mode == VotingMode.DOTS:
        spent = db.session.execute(
            select(Ballot.participant_id, func.sum(Ballot.value)).join(Proposal, Proposal.id == Ballot.proposal_id)
            .where(Ballot.event_id == event.id, Proposal.status == ProposalStatus.VISIBLE)
            .group_by(Ballot.participant_id).having(func.sum(Ballot.value) > event.dots_budget)
            .order_by(Ballot.participant_id)).all()
        lines += [f"voter {pseudonym(key, pid)}: {total} dots of {event.dots_budget} on visible topics"
                  for pid, total in spent]
    try:
        from barcamp.workshops.models import Card, CardDot, Workshop
    except ImportError:  # the workshops area is optional
        return lines
    on_cards = db.session.execute(
        select(Workshop.id, Workshop.dots_budget, CardDot.participant_id, func.sum(CardDot.value))
        .join(CardDot, CardDot.workshop_id == Workshop.id).join(Card, Card.id == CardDot.card_id)
        .where(Workshop.event_id == event.id, Workshop.deleted_at.is_(None), Card.deleted_at.is_(None),
               Card.hidden_at.is_(None), Card.merged_into_id.is_(None))
        .group_by(Workshop.id, Workshop.dots_budget, CardDot.participant_id)
        .having(func.sum(CardDot.value) > Workshop.dots_budget)
        .order_by(Workshop.id, CardDot.participant_id)).all()
    lines += [f"workshop {wid}: participant {pseudonym(key, pid)}: {total} dots of {budget} on visible cards"
              for wid, budget, pid, total in on_cards]
    return lines


# -- secret ballot -----------------------------------------------------------------------------------------
def seal_ballots(event: Event) -> int:
    """Delete the link between participants and their ballots; return how many voters were unlinked.

    Each voter's ballots move, unchanged, to a stand-in voter row (token that can never be presented,
    no name, created in random order): counts, per-voter grouping (majority judgment) and the
    one-ballot-per-voter constraint all stay exact, and a recount gives the same ranking.
    """
    voters = list(db.session.scalars(
        select(Ballot.participant_id).join(Participant, Participant.id == Ballot.participant_id)
        .where(Ballot.event_id == event.id, people_only()).distinct()
    ))
    secrets.SystemRandom().shuffle(voters)
    sealed_at = utcnow()
    for voter in voters:
        _move_ballots(event.id, voter, sealed_at)
    policy = ensure_policy(event.id)
    policy.ballots_sealed_at = sealed_at
    db.session.flush()
    return len(voters)


def _move_ballots(event_id: int, participant_id: int, at: datetime) -> None:
    stand_in = Participant(event_id=event_id, kind=ParticipantKind.STAND_IN,
                           token_hash=SEALED_PREFIX + secrets.token_hex(24), display_name="", joined_at=at)
    db.session.add(stand_in)
    db.session.flush()
    db.session.execute(update(Ballot).where(Ballot.participant_id == participant_id)
                       .values(participant_id=stand_in.id, updated_at=at))


def on_phase_changed(event: Event) -> None:
    """Side effect of a phase change (called by transition_phase): seal a secret ballot at the close."""
    if event.phase == Phase.CLOSED and policy_of(event.id).secret_ballot:
        seal_ballots(event)


# -- a participant's own data ---------------------------------------------------------------------------------
def forget_participant(event: Event, participant: Participant) -> dict:
    """Erase a participant and what they contributed, from their phone; return what was done.

    Topics: withdrawn and their text erased (ballots others put on them stop counting, as with any
    withdrawn topic). Quiz answers: deleted. Votes: withdrawn while the vote is open; once it is
    closed they stay in the final count but move to a stand-in voter (the link to the person is gone).
    Workshop sign-ups: given up, each freed seat going to the first on the waiting list (the caller
    then calls `realtime.signups_changed`). Workshop cards and dots: `workshops` lists the boards
    they changed (the caller then calls `realtime.board_changed` for each). The participant row and
    its token go last.
    """
    topics = list(db.session.scalars(select(Proposal).where(Proposal.author_id == participant.id)))
    for proposal in topics:
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.title, proposal.description, proposal.tags = ERASED_TITLE, "", []
        proposal.author_id = None
    votes = db.session.scalar(select(func.count(Ballot.id)).where(Ballot.participant_id == participant.id)) or 0
    if votes and event.phase == Phase.CLOSED:
        _move_ballots(event.id, participant.id, utcnow())
        kept_votes, votes = votes, 0
    else:
        db.session.execute(delete(Ballot).where(Ballot.participant_id == participant.id))
        kept_votes = 0
    _forget_merge_ballots(event.id, participant.id)
    answers = db.session.execute(delete(QuizAnswer).where(QuizAnswer.participant_id == participant.id)).rowcount
    boards = _boards_of(participant.id)
    cards = _erase_cards(participant.id)
    leave_all(event, participant)
    from barcamp.moderation.models import Report

    db.session.execute(delete(Report).where(Report.participant_id == participant.id))
    db.session.execute(delete(Participant).where(Participant.id == participant.id))
    db.session.flush()
    return {"topics": [p.id for p in topics], "votes_withdrawn": votes, "votes_kept_anonymously": kept_votes,
            "quiz_answers": answers, "cards": cards, "workshops": boards}


def _forget_merge_ballots(event_id: int, participant_id: int) -> None:
    """Drop the participant from the ballots the forum's merges keep for their undo (app/regroupement).

    Their votes are withdrawn (or sealed away): an undo must neither bring them back nor insert a
    ballot for a participant who no longer exists.
    """
    from barcamp.regroupement.models import Merge

    for merge in db.session.scalars(select(Merge).where(Merge.event_id == event_id)):
        kept = [row for row in merge.previous_ballots or [] if row[0] != participant_id]
        if len(kept) != len(merge.previous_ballots or []):
            merge.previous_ballots = kept


def _boards_of(participant_id: int) -> list[int]:
    """The workshops whose board shows this participant's cards or dots (their erasure changes it)."""
    try:
        from barcamp.workshops.models import Card, CardDot
    except ImportError:  # the workshops area is optional
        return []
    wrote = select(Card.workshop_id).where(Card.author_participant_id == participant_id,
                                           Card.deleted_at.is_(None))
    dotted = select(CardDot.workshop_id).where(CardDot.participant_id == participant_id)
    return sorted(set(db.session.scalars(wrote.union(dotted))))


def _erase_cards(participant_id: int) -> int:
    """The participant's workshop cards: removed from the board (soft delete), text, author and key erased.

    The idempotency key goes too: authorless cards share the organisers' key scope.
    """
    try:
        from barcamp.workshops.models import Card, CardDot
    except ImportError:  # the workshops area is optional
        return 0
    db.session.execute(delete(CardDot).where(CardDot.participant_id == participant_id))
    return db.session.execute(
        update(Card).where(Card.author_participant_id == participant_id)
        .values(text=ERASED_TITLE, gain=None, indicator=None, author_participant_id=None, client_key=None,
                deleted_at=func.coalesce(Card.deleted_at, utcnow()), version=Card.version + 1)
    ).rowcount


# -- an organiser's account ------------------------------------------------------------------------------------------
def forum_export(event: Event, *, with_participants: bool = False) -> dict:
    """One forum as the organiser exports it; participant ids only as pseudonyms, and only on request."""
    from barcamp.voting.services import compute_results

    policy = policy_of(event.id)
    topics = db.session.scalars(select(Proposal).where(Proposal.event_id == event.id).order_by(Proposal.id))
    key = policy.pseudonym_key or f"{event.id}:{event.projector_token}"
    out = {
        "id": event.id,
        "title": event.title,
        "starts_at": event.starts_at.isoformat() if event.starts_at else None,
        "place": event.place,
        "description": event.description,
        "phase": event.phase.value,
        "themes": [t.name for t in event.themes],
        "voting": {"mode": event.voting_mode.value, "dots": event.dots_budget,
                   "max_per_proposal": event.max_per_proposal},
        "privacy": policy_out(event, policy),
        "topics": [{"id": p.id, "title": p.title, "description": p.description, "tags": list(p.tags or []),
                    "status": p.status.value, **({"author": pseudonym(key, p.author_id) if p.author_id else None}
                                                  if with_participants else {})}
                   for p in topics],
        "results": compute_results(event),
        "archive": policy.archive,
    }
    run = db.session.scalar(select(QuizRun).where(QuizRun.event_id == event.id))
    out["quiz"] = run.distribution if run and run.distribution else None
    if with_participants:
        out["ballots"] = ballot_rows(event)
    return out


def account_export(organiser, *, with_participants: bool = False) -> dict:
    """Everything the organiser's account holds, as JSON (no participant identifiers by default)."""
    from barcamp.events.services import events_of_organiser

    return {
        "account": {"email": organiser.email, "created_at": organiser.created_at.isoformat()},
        "forums": [forum_export(e, with_participants=with_participants) for e in events_of_organiser(organiser.id)],
    }


def delete_account(organiser, password: str) -> int:
    """Delete the organiser's account and every forum of it (with all their data); return the forum count."""
    from barcamp.common.errors import Unauthorized

    if not organiser.check_password(password):
        raise Unauthorized("bad_credentials", _("Mot de passe incorrect."))
    from barcamp.events.services import events_of_organiser

    events = events_of_organiser(organiser.id)
    for event in events:
        delete_event(event)
    db.session.delete(organiser)
    db.session.flush()
    log.info("organiser account %s deleted with %s forum(s)", organiser.id, len(events))
    return len(events)


def delete_event(event: Event) -> None:
    """Delete a forum and everything in it (rows below it go with it, children first)."""
    purge_event(event)
    db.session.execute(delete(QuizRun).where(QuizRun.event_id == event.id))
    db.session.execute(delete(EventPolicy).where(EventPolicy.event_id == event.id))
    db.session.delete(event)
    db.session.flush()
