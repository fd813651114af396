"""Bulk builders of what the API, the join snapshot and the live messages send about topics.

One query per relation (authors, co-proposers, themes, merge counts), whatever the number of
topics: a 150-topic forum costs the same statements as a 5-topic one.
"""
from __future__ import annotations

from collections import defaultdict

from pydantic import TypeAdapter
from sqlalchemy import select

from barcamp.events.models import Theme
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.participants.services import display_name
from barcamp.proposals.models import Coproposer, Proposal
from barcamp.proposals.schemas import ProposalOut

_OUT = TypeAdapter(list[ProposalOut])


def proposals_out(proposals: list[Proposal]) -> list[dict]:
    """The JSON shapes of these topics (all of one forum), in their order."""
    if not proposals:
        return []
    from barcamp.regroupement.services import merged_counts  # regroupement sits above proposals

    ids = [p.id for p in proposals]
    people = _coproposers_of(ids)
    author_ids = {p.author_id for p in proposals if p.author_id}
    authors = {row.id: display_name(row) for row in db.session.scalars(
        select(Participant).where(Participant.id.in_(author_ids)))} if author_ids else {}
    theme_ids = {p.theme_id for p in proposals if p.theme_id}
    themes = dict(db.session.execute(select(Theme.id, Theme.name).where(Theme.id.in_(theme_ids))).all()) \
        if theme_ids else {}
    merged = merged_counts(proposals[0].event_id)
    rows = [{
        "id": p.id,
        "event_id": p.event_id,
        "title": p.title,
        "description": p.description,
        "theme_id": p.theme_id,
        "theme": themes.get(p.theme_id),
        "tags": list(p.tags or []),
        "status": p.status,
        "author_id": p.author_id,
        "author_name": authors.get(p.author_id, ""),
        "coproposer_ids": [pid for pid, _name in people.get(p.id, ())],
        "coproposers": [name for _pid, name in people.get(p.id, ())],
        "merged_count": merged.get(p.id, 0),
        "created_at": p.created_at,
    } for p in proposals]
    return _OUT.dump_python(_OUT.validate_python(rows), mode="json")


def proposal_out(proposal: Proposal) -> dict:
    """The JSON shape of one topic, as the API and the live messages send it."""
    return proposals_out([proposal])[0]


def _coproposers_of(proposal_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each topic's co-proposers (id, display name), in the order they joined."""
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = db.session.execute(
        select(Coproposer.proposal_id, Participant)
        .join(Participant, Coproposer.participant_id == Participant.id)
        .where(Coproposer.proposal_id.in_(proposal_ids)).order_by(Coproposer.id)
    ).all()
    for proposal_id, participant in rows:
        out[proposal_id].append((participant.id, display_name(participant)))
    return out
