"""Priorisation: idempotent, budgeted ballots and the three ways of ranking topics."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import bindparam, delete, func, insert, select

from barcamp.common.db import is_sqlite, utcnow
from barcamp.common.errors import DomainError
from barcamp.events.enums import VotingMode
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.voting.ballots import MAX_GRADE, BallotRequest, record_ballots
from barcamp.voting.ballots import remaining as _remaining
from barcamp.voting.models import Ballot



def _visible_ballots(event_id: int, participant_id: int):
    return (
        select(Ballot)
        .join(Proposal, Proposal.id == Ballot.proposal_id)
        .where(
            Ballot.event_id == event_id,
            Ballot.participant_id == participant_id,
            Proposal.status == ProposalStatus.VISIBLE,
        )
    )


def remaining_dots(event: Event, votes: dict[int, int]) -> int | None:
    """Dots left to spend (mode dots); None where the mode has no budget."""
    return _remaining(event, votes)


def my_votes(event: Event, participant: Participant) -> tuple[dict[int, int], int | None]:
    """The participant's own ballots on visible topics, and what remains of their budget."""
    votes = {b.proposal_id: b.value for b in db.session.scalars(_visible_ballots(event.id, participant.id))}
    return votes, remaining_dots(event, votes)


#: a participant's row joined to their ballots on visible topics: built once, run on every join and resync
_MY_BALLOTS = (
    select(Participant.id, Proposal.id, Ballot.value)  # Proposal.id: empty unless the topic is visible
    .select_from(Participant)
    .outerjoin(Ballot, Ballot.participant_id == Participant.id)
    .outerjoin(Proposal, (Proposal.id == Ballot.proposal_id) & (Proposal.status == ProposalStatus.VISIBLE))
    .where(Participant.id == bindparam("participant_id"))
)


def my_ballots(participant_id: int) -> dict[int, int] | None:
    """The participant's ballots on visible topics, in one statement; None when the participant is gone."""
    rows = db.session.execute(_MY_BALLOTS, {"participant_id": participant_id}).all()
    if not rows:
        return None
    return {proposal_id: value for _pid, proposal_id, value in rows if proposal_id is not None}


def cast_vote(event: Event, participant: Participant, proposal_id: int, value: int) -> tuple[int, int | None]:
    """Set the participant's ballot on one topic to an absolute value; return (value, remaining)."""
    return record_ballot(event.id, participant.id, proposal_id, value)


def record_ballot(event_id: int, participant_id: int, proposal_id: int, value: int) -> tuple[int, int | None]:
    """Set a ballot to an absolute value by ids; return (value, remaining).

    Run inside write_transaction(): the budget check and the write are one transaction (see
    app/voting/ballots.py, which live votes go through in batches). A retried request is harmless.
    """
    outcome = record_ballots([BallotRequest(event_id, participant_id, proposal_id, value)])[0]
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def _majority_key(grades: list[int], judges: int) -> tuple[int, float, float]:
    """Majority grade and the usual tie-break of the majority judgment.

    Ungraded counts as the lowest grade. The majority grade is the lower median. Ties are broken
    by the larger of p (share strictly above the median) and q (share strictly below): a topic
    whose larger group is above ranks before one whose larger group is below; among those above,
    larger p wins; among those below, larger q loses. Returns (grade, order key, score).
    """
    if judges == 0:
        return 0, 0.0, 0.0
    counts = [0] * (MAX_GRADE + 1)
    for grade in grades:
        counts[grade] += 1
    counts[0] += judges - len(grades)
    half = (judges - 1) // 2  # index of the lower median in the sorted grades
    cumulative = 0
    median = 0
    for grade, n in enumerate(counts):
        cumulative += n
        if cumulative > half:
            median = grade
            break
    above = sum(counts[median + 1 :]) / judges
    below = sum(counts[:median]) / judges
    gauge = above if above > below else -below
    return median, gauge, round(median + gauge, 4)


def compute_results(event: Event) -> dict:
    """Rank the visible topics of the forum by its voting mode (hidden topics never appear)."""
    proposals = db.session.execute(
        select(Proposal.id, Proposal.title)
        .where(Proposal.event_id == event.id, Proposal.status == ProposalStatus.VISIBLE)
        .order_by(Proposal.id)
    ).all()
    visible_join = (Proposal.id == Ballot.proposal_id) & (Proposal.status == ProposalStatus.VISIBLE)
    voted = db.session.scalar(
        select(func.count(func.distinct(Ballot.participant_id))).join(Proposal, visible_join).where(
            Ballot.event_id == event.id
        )
    ) or 0
    rows = db.session.execute(
        select(Ballot.proposal_id, Ballot.value, func.count())
        .join(Proposal, visible_join)
        .where(Ballot.event_id == event.id)
        .group_by(Ballot.proposal_id, Ballot.value)
    ).all()
    grades: dict[int, list[int]] = defaultdict(list)
    for proposal_id, value, n in rows:
        grades[proposal_id].extend([value] * n)

    entries = []
    for proposal_id, title in proposals:
        values = grades.get(proposal_id, [])
        entry = {"proposal_id": proposal_id, "title": title, "voters": len(values), "grade": None}
        if event.voting_mode == VotingMode.MAJORITY:
            grade, gauge, score = _majority_key(values, voted)
            entry.update(score=score, grade=grade, _key=(grade, gauge))
        else:
            score = sum(values)
            entry.update(score=score, _key=(score,))
        entries.append(entry)
    entries.sort(key=lambda e: e["_key"], reverse=True)  # stable: equal keys keep topic order
    previous_key, rank = None, 0
    for position, entry in enumerate(entries, start=1):
        key = entry.pop("_key")
        if key != previous_key:
            rank, previous_key = position, key
        entry["rank"] = rank
    return {"mode": event.voting_mode.value, "ranking": entries, "participants_voted": voted}


# -- merges (app/regroupement): ballots follow the topics ------------------------------------------
def lock_voters(proposal_ids: list[int]) -> None:
    """On PostgreSQL, lock the participant rows of everyone who voted on these topics.

    record_ballot locks the voter's row before its budget check, so a merge holding these locks
    never interleaves with a concurrent vote of the same participant.
    """
    if is_sqlite() or not proposal_ids:
        return
    voters = select(Ballot.participant_id).where(Ballot.proposal_id.in_(proposal_ids)).distinct()
    db.session.execute(
        select(Participant.id).where(Participant.id.in_(voters)).order_by(Participant.id).with_for_update()
    ).all()


def ballots_on(proposal_ids: list[int]) -> list[tuple[int, int, int, str]]:
    """The ballots on these topics as (proposal_id, participant_id, value, updated_at iso), sorted."""
    rows = db.session.execute(
        select(Ballot.proposal_id, Ballot.participant_id, Ballot.value, Ballot.updated_at)
        .where(Ballot.proposal_id.in_(proposal_ids))
        .order_by(Ballot.proposal_id, Ballot.participant_id)
    ).all()
    return [(r.proposal_id, r.participant_id, r.value, r.updated_at.isoformat()) for r in rows]


def carry_over(event_id: int, result_id: int, group_ids: list[int]) -> dict[int, int]:
    """Give the result topic each voter's highest value on the group; return {participant: value}.

    The maximum, in every mode: dots (the other dots go back to the budget, since only ballots
    on visible topics count), approval (1), majority (the higher grade). A participant's total can
    only go down, so no budget is ever exceeded, and the value stays within max_per_proposal.
    """
    best: dict[int, int] = {}
    for _proposal, participant_id, value, _at in ballots_on(group_ids):
        best[participant_id] = max(value, best.get(participant_id, 0))
    db.session.execute(delete(Ballot).where(Ballot.proposal_id == result_id))
    if best:
        now = utcnow()
        db.session.execute(insert(Ballot), [
            {"event_id": event_id, "participant_id": pid, "proposal_id": result_id, "value": value, "updated_at": now}
            for pid, value in sorted(best.items())
        ])
    return best


def restore_ballots(event_id: int, proposal_id: int, rows: list[list]) -> None:
    """Put back a topic's ballots exactly as recorded: [[participant_id, value, updated_at iso], …]."""
    from datetime import datetime

    db.session.execute(delete(Ballot).where(Ballot.proposal_id == proposal_id))
    if rows:
        db.session.execute(insert(Ballot), [
            {"event_id": event_id, "participant_id": pid, "proposal_id": proposal_id, "value": value,
             "updated_at": datetime.fromisoformat(at)}
            for pid, value, at in rows
        ])


def visible_totals(event_id: int, participant_ids: list[int]) -> dict[int, int]:
    """Each participant's dots currently spent on visible topics."""
    if not participant_ids:
        return {}
    rows = db.session.execute(
        select(Ballot.participant_id, func.sum(Ballot.value))
        .join(Proposal, Proposal.id == Ballot.proposal_id)
        .where(Ballot.event_id == event_id, Ballot.participant_id.in_(participant_ids),
               Proposal.status == ProposalStatus.VISIBLE)
        .group_by(Ballot.participant_id)
    ).all()
    return {pid: int(total) for pid, total in rows}


# -- a topic shown again (app/voting/hooks.py): no voter over budget -------------------------------
def trim_over_budget(connection, proposal_id: int) -> dict[int, int]:
    """Trim the ballots on a topic shown again so that no voter exceeds the forum's dots budget.

    While a topic is hidden its ballots stop counting and its dots go back to the voters, who may
    spend them elsewhere; when the topic is restored, each voter now over budget loses the excess
    from their ballot on *this* topic (the one they could not see when they spent), down to no
    ballot. Voters within budget keep theirs. Deterministic: one pass, by voter id. Return
    {participant: dots removed}. The topic must already be visible in the database; runs on
    `connection` (the flush's own, see app/voting/hooks.py). Modes without a budget keep every ballot.
    """
    rules = connection.execute(
        select(Event.id, Event.voting_mode, Event.dots_budget).join(Proposal, Proposal.event_id == Event.id)
        .where(Proposal.id == proposal_id)).one_or_none()
    if rules is None or rules.voting_mode != VotingMode.DOTS:
        return {}
    on_topic = connection.execute(
        select(Ballot.id, Ballot.participant_id, Ballot.value).where(Ballot.proposal_id == proposal_id)
        .order_by(Ballot.participant_id)).all()
    if not on_topic:
        return {}
    voters = [row.participant_id for row in on_topic]
    if not is_sqlite():  # the lock record_ballots takes first: no concurrent vote of theirs interleaves
        connection.execute(select(Participant.id).where(Participant.id.in_(voters)).order_by(Participant.id)
                           .with_for_update()).all()
    totals = dict(connection.execute(
        select(Ballot.participant_id, func.sum(Ballot.value)).join(Proposal, Proposal.id == Ballot.proposal_id)
        .where(Ballot.event_id == rules.id, Ballot.participant_id.in_(voters),
               Proposal.status == ProposalStatus.VISIBLE)
        .group_by(Ballot.participant_id)).all())
    trimmed: dict[int, int] = {}
    now = utcnow()
    for row in on_topic:
        over = int(totals.get(row.participant_id, 0)) - rules.dots_budget
        if over <= 0:
            continue
        cut = min(over, row.value)
        if cut == row.value:
            connection.execute(delete(Ballot).where(Ballot.id == row.id))
        else:
            connection.execute(Ballot.__table__.update().where(Ballot.__table__.c.id == row.id)
                               .values(value=row.value - cut, updated_at=now))
        trimmed[row.participant_id] = cut
    return trimmed
