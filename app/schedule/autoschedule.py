"""Automatic scheduling: the forum's problem (ranked topics, top choices, persons) solved into the grid."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from barcamp.common.errors import Conflict
from barcamp.events.enums import VotingMode
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Coproposer, Proposal
from barcamp.schedule import scheduler
from barcamp.schedule.editing import add_session
from barcamp.schedule.models import GridSession, Signup
from barcamp.schedule.services import list_rooms, list_sessions, list_slots
from barcamp.schedule.signups import fill_seats
from barcamp.voting.models import Ballot
from barcamp.voting.services import compute_results

#: a majority-judgment grade from which a topic counts as a voter's top choice ("Prioritaire")
TOP_GRADE = 3


def top_choices(event: Event, proposal_ids: list[int] | None = None) -> dict[int, list[int]]:
    """Each voter's top choices: topics given a dot, a "pour", or a grade of Prioritaire or more."""
    threshold = TOP_GRADE if event.voting_mode == VotingMode.MAJORITY else 1
    query = (select(Ballot.participant_id, Ballot.proposal_id)
             .join(Proposal, Proposal.id == Ballot.proposal_id)
             .where(Ballot.event_id == event.id, Proposal.status == ProposalStatus.VISIBLE,
                    Ballot.value >= threshold)
             .order_by(Ballot.participant_id, Ballot.proposal_id))
    choices: dict[int, list[int]] = defaultdict(list)
    for participant_id, proposal_id in db.session.execute(query):
        if proposal_ids is None or proposal_id in proposal_ids:
            choices[participant_id].append(proposal_id)
    return dict(choices)


def _persons(event: Event, sessions: dict[int, GridSession]) -> dict[int, set[int]]:
    """Who must attend each topic: author, co-proposers, facilitator, signed-up participants."""
    persons: dict[int, set[int]] = defaultdict(set)
    for proposal_id, author_id in db.session.execute(
        select(Proposal.id, Proposal.author_id).where(Proposal.event_id == event.id)
    ):
        if author_id is not None:
            persons[proposal_id].add(author_id)
    for proposal_id, participant_id in db.session.execute(  # co-proposers: regroupement's "je soutiens", merges
        select(Coproposer.proposal_id, Coproposer.participant_id)
        .join(Proposal, Proposal.id == Coproposer.proposal_id).where(Proposal.event_id == event.id)
    ):
        persons[proposal_id].add(participant_id)
    by_session = {s.id: s.proposal_id for s in sessions.values()}
    for session in sessions.values():
        if session.facilitator_id is not None:
            persons[session.proposal_id].add(session.facilitator_id)
    for session_id, participant_id in db.session.execute(
        select(Signup.session_id, Signup.participant_id).where(Signup.event_id == event.id)
    ):
        persons[by_session[session_id]].add(participant_id)
    return persons


def build_problem(event: Event) -> scheduler.Problem:
    """The scheduling problem of a forum: its grid, ranked topics, top choices and persons."""
    slots, rooms = list_slots(event), list_rooms(event)
    sessions = {s.proposal_id: s for s in list_sessions(event)}
    ranking = [e["proposal_id"] for e in compute_results(event)["ranking"]]
    choices = top_choices(event)
    audience: dict[int, int] = defaultdict(int)
    for tops in choices.values():
        for proposal_id in tops:
            audience[proposal_id] += 1
    persons = _persons(event, sessions)
    with_signups = set(db.session.scalars(select(GridSession.proposal_id).join(Signup).where(
        GridSession.event_id == event.id)))
    topics = []
    for proposal_id in ranking:
        session = sessions.get(proposal_id)
        cell = (session.slot_id, session.room_id) if session and session.locked and session.room_id else None
        topics.append(scheduler.Topic(proposal_id, audience[proposal_id], frozenset(persons[proposal_id]),
                                      cell, proposal_id in with_signups))
    return scheduler.Problem([s.id for s in slots], [(r.id, r.capacity) for r in rooms], topics, choices)


def auto_schedule(event: Event, *, iterations: int = 5000) -> dict:
    """Place the top-ranked topics into the grid (locked sessions stay); return both figures.

    Sessions that leave the grid are deleted unless they have sign-ups (then they are only
    taken off the grid, which cannot happen while cells remain for them).
    """
    problem = build_problem(event)
    if not problem.slots or not problem.rooms:
        raise Conflict("grid_empty", _("Définissez d'abord au moins une salle et un créneau."))
    baseline = scheduler.greedy_baseline(problem)
    result = scheduler.optimise(problem, iterations=iterations, seed=event.id)
    sessions = {s.proposal_id: s for s in list_sessions(event)}
    for proposal_id, session in sessions.items():  # free every unlocked cell first (unique constraint)
        if not session.locked:
            session.room_id = session.slot_id = None
    db.session.flush()
    signed = set(db.session.scalars(select(Signup.session_id).where(Signup.event_id == event.id)))
    for proposal_id, session in sessions.items():
        if proposal_id not in result.placement and session.id not in signed:
            db.session.delete(session)
    db.session.flush()
    for proposal_id, (slot_id, room_id) in result.placement.items():
        session = sessions.get(proposal_id) or add_session(event, proposal_id)
        session.slot_id, session.room_id = slot_id, room_id
    db.session.flush()
    db.session.expire_all()  # rooms changed under the sessions: capacities are read afresh
    for session in list_sessions(event):
        fill_seats(session)
    return {"scheduler": result.figures, "baseline": baseline.figures, "unscheduled": result.unscheduled}
