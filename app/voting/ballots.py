"""Record many ballots in one transaction: the write path of a live vote under load.

`record_ballots` checks and writes a whole batch of votes with a handful of statements;
`combiner` (app/common/batching.py) forms the batches from concurrent callers and answers each
one after the commit.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from barcamp.common.batching import GroupCommit
from barcamp.common.db import utcnow
from barcamp.common.errors import Conflict, DomainError, InvalidInput, NotFound
from barcamp.events.enums import Phase, VotingMode
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.services import lock_forums_of
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.voting.models import Ballot

#: highest grade of the majority judgment (0 = Pas prioritaire … 4 = Très prioritaire)
MAX_GRADE = 4

_ballots = Ballot.__table__
_insert_ballot = _ballots.insert()
_update_ballot = (
    _ballots.update().where(_ballots.c.id == bindparam("b_id")).values(value=bindparam("b_value"),
                                                                       updated_at=bindparam("b_at"))
)
_delete_ballot = _ballots.delete().where(_ballots.c.id == bindparam("b_id"))


@dataclass(frozen=True, slots=True)
class BallotRequest:
    """One participant's absolute value on one topic of a forum."""

    event_id: int
    participant_id: int
    proposal_id: int
    value: int


def remaining(rules, votes: dict[int, int]) -> int | None:
    """Dots left to spend (mode dots); None where the mode has no budget."""
    if rules.voting_mode != VotingMode.DOTS:
        return None
    return rules.dots_budget - sum(votes.values())


def check_value(rules, value: int) -> None:
    """Refuse a value outside the forum's rules (`rules`: an Event or a row with its rule columns)."""
    if value < 0:
        raise InvalidInput("invalid_value", _l("La valeur d'un vote est positive ou nulle."))
    if rules.voting_mode == VotingMode.DOTS and value > rules.max_per_proposal:
        raise Conflict("max_per_proposal", _l("Au plus %(n)s gommette(s) par sujet.", n=rules.max_per_proposal))
    if rules.voting_mode == VotingMode.APPROVAL and value > 1:
        raise InvalidInput("invalid_value", _l("Un vote d'approbation vaut 0 ou 1."))
    if rules.voting_mode == VotingMode.MAJORITY and value > MAX_GRADE:
        raise InvalidInput("invalid_value", _l("Une mention va de 0 à %(max)s.", max=MAX_GRADE))


def record_ballots(requests: list[BallotRequest]) -> list[tuple[int, int | None] | DomainError]:
    """Check and write a batch of ballots, in order; return (value, remaining) or the refusal of each.

    Run inside write_transaction(). The votes are applied one after the other to an in-memory copy
    of the voters' ballots (two votes of one voter in a batch see each other), then the difference
    is written with one statement per kind of change. On PostgreSQL the voters' rows are locked
    first (in id order: no deadlock between workers), so a voter's concurrent requests on other
    workers wait for this transaction instead of passing the budget check twice.
    Absolute values: a retried request changes nothing.
    """
    if not requests:
        return []
    session = db.session.connection()  # Core statements: no ORM layer on the hot path
    participant_ids = sorted({r.participant_id for r in requests})
    owners = lock_forums_of(participant_ids)
    rules_of = {
        row.id: row
        for row in session.execute(
            select(Event.id, Event.phase, Event.voting_mode, Event.dots_budget, Event.max_per_proposal)
            .where(Event.id.in_({r.event_id for r in requests}))
        )
    }
    topics = {
        row.id: row
        for row in session.execute(
            select(Proposal.id, Proposal.event_id, Proposal.status).where(
                Proposal.id.in_({r.proposal_id for r in requests})
            )
        )
    }
    # every voter's ballots on visible topics: {participant: {topic: [ballot id or None, value]}}
    ballots: dict[int, dict[int, list]] = defaultdict(dict)
    for row in session.execute(
        select(Ballot.id, Ballot.participant_id, Ballot.proposal_id, Ballot.value)
        .join(Proposal, Proposal.id == Ballot.proposal_id)
        .where(Ballot.participant_id.in_(participant_ids), Proposal.status == ProposalStatus.VISIBLE)
    ):
        ballots[row.participant_id][row.proposal_id] = [row.id, row.value]
    stored = {(p, t): tuple(entry) for p, mine in ballots.items() for t, entry in mine.items()}

    outcomes: list[tuple[int, int | None] | DomainError] = []
    touched: dict[tuple[int, int], int] = {}  # (participant, topic) -> event
    for request in requests:
        try:
            outcomes.append(_apply(request, owners, rules_of, topics, ballots[request.participant_id]))
            touched[(request.participant_id, request.proposal_id)] = request.event_id
        except DomainError as refusal:
            outcomes.append(refusal)
    _write_changes(touched, stored, ballots)
    return outcomes


def _apply(request: BallotRequest, owners, rules_of, topics, mine: dict[int, list]) -> tuple[int, int | None]:
    """Check one vote against the rules and the voter's current ballots; apply it to `mine`."""
    if owners.get(request.participant_id) != request.event_id:
        raise Conflict("not_a_participant", _l("Vous ne participez pas à ce forum."))
    rules = rules_of[request.event_id]
    if rules.phase != Phase.VOTING:
        raise Conflict("wrong_phase", _l("Action impossible pendant la phase « %(phase)s ».",
                                         phase=Phase(rules.phase).label))
    topic = topics.get(request.proposal_id)
    if topic is None or topic.event_id != request.event_id:
        raise NotFound("proposal_not_found", _l("Ce sujet n'existe pas dans ce forum."))
    if topic.status != ProposalStatus.VISIBLE:
        raise Conflict("proposal_unavailable", _l("Ce sujet a été retiré ou masqué."))
    check_value(rules, request.value)
    votes = {topic_id: entry[1] for topic_id, entry in mine.items()}
    before = remaining(rules, votes)
    votes[request.proposal_id] = request.value
    left = remaining(rules, votes)
    if left is not None and left < 0:
        raise Conflict("budget_exceeded", _l("Plus assez de gommettes : il vous en reste %(n)s.", n=before))
    if request.value == 0:
        mine.pop(request.proposal_id, None)
    elif request.proposal_id in mine:
        mine[request.proposal_id][1] = request.value
    else:
        mine[request.proposal_id] = [None, request.value]
    return request.value, left


def _write_changes(touched: dict[tuple[int, int], int], stored: dict, ballots: dict) -> None:
    """Write the difference between the stored ballots and the in-memory ones, one statement per kind."""
    now = utcnow()
    inserts, updates, deletes = [], [], []
    for (participant_id, topic_id), event_id in touched.items():
        before = stored.get((participant_id, topic_id))
        after = ballots[participant_id].get(topic_id)
        if after is None:
            if before is not None:
                deletes.append({"b_id": before[0]})
        elif before is None:
            inserts.append({"event_id": event_id, "participant_id": participant_id, "proposal_id": topic_id,
                            "value": after[1], "updated_at": now})
        elif before[1] != after[1]:
            updates.append({"b_id": before[0], "b_value": after[1], "b_at": now})
    session = db.session.connection()
    if deletes:
        session.execute(_delete_ballot, deletes)
    if updates:
        session.execute(_update_ballot, updates)
    if inserts:
        session.execute(_insert_ballot, inserts)


#: the group commit of this process's live votes
combiner = GroupCommit(record_ballots)
