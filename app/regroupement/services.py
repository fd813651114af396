"""Regroupement: find similar topics, merge a group into one topic, undo a merge.

A merge hides the absorbed topics (status `merged`) without touching their ballots: only ballots
on visible topics count, so their dots return to the budgets by themselves, and an undo finds them
intact. The result topic gets each voter's highest value on the group (app/voting/services.py:
carry_over). What an undo cannot find elsewhere (the `into` topic's text and ballots before the
merge) is stored in the Merge row. Callers run merge/undo in write_transaction() and broadcast after.
"""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import delete, select

from barcamp.common.db import is_sqlite, utcnow
from barcamp.common.errors import Conflict, InvalidInput, NotFound
from barcamp.events.enums import Phase, VotingMode
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.participants.services import display_name
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Coproposer, Proposal
from barcamp.proposals.services import visible_proposals
from barcamp.regroupement.models import Merge, MergeSource
from barcamp.regroupement.similarity import (
    GROUP_THRESHOLD,
    SUGGEST_THRESHOLD,
    Topic,
    group_similar,
    similar_to,
)
from barcamp.voting.services import (
    ballots_on,
    carry_over,
    lock_voters,
    restore_ballots,
    visible_totals,
)

#: phases in which topics may be merged and merges undone: until the vote closes
MERGE_PHASES = (Phase.DRAFT, Phase.ICEBREAKER, Phase.PROPOSALS, Phase.VOTING)


def _topics(event_id: int) -> list[Topic]:
    return [Topic(p.id, p.title) for p in visible_proposals(event_id)]


def similar_topics(event: Event, text: str, *, limit: int = 5, threshold: float = SUGGEST_THRESHOLD) -> list[dict]:
    """Up to `limit` visible topics similar to `text`, best first."""
    return [
        {"proposal_id": topic.id, "title": topic.title, "similarity": score}
        for topic, score in similar_to(text, _topics(event.id), limit=limit, threshold=threshold)
    ]


def similar_groups(event: Event, threshold: float = GROUP_THRESHOLD) -> list[list[dict]]:
    """Groups of similar visible topics for the organiser's Regroupement page."""
    proposals = {p.id: p for p in visible_proposals(event.id)}
    groups = group_similar([Topic(p.id, p.title) for p in proposals.values()], threshold)
    return [[{"proposal": proposals[topic.id], "cohesion": cohesion} for topic, cohesion in group] for group in groups]


def _require_merge_phase(event: Event) -> None:
    if event.phase not in MERGE_PHASES:
        raise Conflict("merge_closed", _("Le vote est clos : les regroupements ne peuvent plus être modifiés."))


def _lock(statement):
    return statement if is_sqlite() else statement.with_for_update()


def _group_members(event: Event, into: int | None, proposal_ids: list[int]) -> tuple[Proposal | None, list[Proposal]]:
    ids = list(dict.fromkeys(proposal_ids))
    if into is not None and into in ids:
        ids.remove(into)
    if len(ids) + (1 if into is not None else 0) < 2:
        raise InvalidInput("group_too_small", _("Choisissez au moins deux sujets à regrouper."))
    wanted = ids + ([into] if into is not None else [])
    rows = {p.id: p for p in db.session.scalars(_lock(select(Proposal).where(Proposal.id.in_(wanted))))}
    for pid in wanted:
        proposal = rows.get(pid)
        if proposal is None or proposal.event_id != event.id:
            raise NotFound("proposal_not_found", _("Ce sujet n'existe pas dans ce forum."))
        if proposal.status != ProposalStatus.VISIBLE:
            raise Conflict("proposal_unavailable", _("« %(title)s » n'est plus visible : il ne peut pas être regroupé.",
                                                     title=proposal.title))
    return (rows[into] if into is not None else None), [rows[pid] for pid in ids]


def _people(proposals: list[Proposal]) -> list[int]:
    """Authors and co-proposers of the topics, in a stable order."""
    people = [p.author_id for p in proposals if p.author_id is not None]
    people += db.session.scalars(
        select(Coproposer.participant_id)
        .where(Coproposer.proposal_id.in_([p.id for p in proposals]))
        .order_by(Coproposer.id)
    ).all()
    return list(dict.fromkeys(people))


def merge_topics(event: Event, proposal_ids: list[int], title: str, description: str | None = None,
                 into: int | None = None) -> Merge:
    """Merge a group of visible topics into one (`into` an existing one, or a new one).

    The result carries the group's title and description as given, every author and co-proposer
    as co-proposer, and each voter's highest value on the group. The absorbed topics become
    `merged`: hidden from lists and results, kept, readable in the trail.
    """
    _require_merge_phase(event)
    target, sources = _group_members(event, into, proposal_ids)
    group = ([target] if target else []) + sources
    lock_voters([p.id for p in group])
    if target is not None:
        merge = Merge(
            event_id=event.id, result_id=target.id, created_result=False, title=title,
            previous={"title": target.title, "description": target.description, "theme_id": target.theme_id,
                      "tags": list(target.tags or [])},
            previous_ballots=[[pid, value, at] for _p, pid, value, at in ballots_on([target.id])],
        )
        target.title = title
        if description is not None:
            target.description = description
        result = target
    else:
        themes = [p.theme_id for p in sources if p.theme_id is not None]
        tags: dict[str, str] = {}
        for p in sources:
            for tag in p.tags or []:
                tags.setdefault(tag.casefold(), tag)
        result = Proposal(
            event_id=event.id, author_id=None, title=title,
            description=description if description is not None else "",
            # the group's most common theme (the first topic's on a tie), tags pooled
            theme_id=max(dict.fromkeys(themes), key=themes.count) if themes else None,
            tags=list(tags.values())[:10],
        )
        db.session.add(result)
        db.session.flush()
        merge = Merge(event_id=event.id, result_id=result.id, created_result=True, title=title)
    db.session.add(merge)
    db.session.flush()
    for source in sources:
        source.status = ProposalStatus.MERGED
        merge.sources.append(MergeSource(proposal_id=source.id))
    already = set(db.session.scalars(select(Coproposer.participant_id).where(Coproposer.proposal_id == result.id)))
    for participant_id in _people(group):
        if participant_id != result.author_id and participant_id not in already:
            db.session.add(Coproposer(proposal_id=result.id, participant_id=participant_id, merge_id=merge.id))
    carry_over(event.id, result.id, [p.id for p in group])
    db.session.flush()
    return merge


def get_merge(event: Event, merge_id: int) -> Merge:
    merge = db.session.get(Merge, merge_id)
    if merge is None or merge.event_id != event.id:
        raise NotFound("merge_not_found", _("Ce regroupement n'existe pas dans ce forum."))
    return merge


def undo_merge(event: Event, merge: Merge) -> tuple[list[Proposal], int | None]:
    """Restore exactly the topics and ballots of before the merge; return (restored topics, deleted id).

    Refused once the vote is closed, twice, while the result is itself merged or hidden or was
    merged into again (undo the later change first: merges unwind in reverse order), and in dots mode when a voter already spent elsewhere the dots the merge
    gave back: restoring their ballots would then exceed their budget.
    """
    _require_merge_phase(event)
    if merge.undone_at is not None:
        raise Conflict("merge_undone", _("Ce regroupement a déjà été annulé."))
    result = db.session.scalar(_lock(select(Proposal).where(Proposal.id == merge.result_id)))
    if result is None or result.status != ProposalStatus.VISIBLE:
        raise Conflict("merge_result_unavailable",
                       _("Le sujet regroupé a depuis été masqué ou regroupé : annulez d'abord ce changement."))
    later = db.session.scalar(select(Merge.id).where(Merge.result_id == result.id, Merge.undone_at.is_(None),
                                                     Merge.id > merge.id))
    if later is not None:
        raise Conflict("merge_not_latest", _("D'autres sujets ont depuis été regroupés dans celui-ci : "
                                             "annulez d'abord ce regroupement plus récent."))
    sources = list(db.session.scalars(
        _lock(select(Proposal).where(Proposal.id.in_([s.proposal_id for s in merge.sources])).order_by(Proposal.id))
    ))
    lock_voters([result.id] + [p.id for p in sources])
    if event.voting_mode == VotingMode.DOTS:
        _check_undo_budgets(event, merge, result, sources)
    for source in sources:
        source.status = ProposalStatus.VISIBLE
    deleted = None
    if merge.created_result:
        deleted = result.id
        merge.result_id = None
        db.session.flush()
        db.session.delete(result)  # its ballots and co-proposers go with it (ON DELETE CASCADE)
    else:
        previous = merge.previous or {}
        result.title = previous["title"]
        result.description = previous["description"]
        result.theme_id = previous["theme_id"]
        result.tags = previous["tags"]
        restore_ballots(event.id, result.id, merge.previous_ballots or [])
        db.session.execute(delete(Coproposer).where(Coproposer.merge_id == merge.id))
    merge.undone_at = utcnow()
    db.session.flush()
    return ([] if merge.created_result else [result]) + sources, deleted


def _check_undo_budgets(event: Event, merge: Merge, result: Proposal, sources: list[Proposal]) -> None:
    after: dict[int, int] = {}
    for _p, pid, value, _at in ballots_on([result.id]):
        after[pid] = after.get(pid, 0) - value
    for _p, pid, value, _at in ballots_on([s.id for s in sources]):
        after[pid] = after.get(pid, 0) + value
    for pid, value, _at in (merge.previous_ballots or []):
        after[pid] = after.get(pid, 0) + value
    totals = visible_totals(event.id, list(after))
    over = [pid for pid, delta in after.items() if totals.get(pid, 0) + delta > event.dots_budget]
    if over:
        raise Conflict(
            "undo_over_budget",
            _("Annulation impossible : %(n)s participant(s) ont déjà dépensé ailleurs les gommettes rendues par ce "
              "regroupement.", n=len(over)),
            details={"participants": len(over)},
        )


def merges_of(event: Event) -> list[Merge]:
    return list(db.session.scalars(select(Merge).where(Merge.event_id == event.id).order_by(Merge.id.desc())))


def _active_merges(proposal_id: int) -> list[Merge]:
    return list(db.session.scalars(
        select(Merge).where(Merge.result_id == proposal_id, Merge.undone_at.is_(None)).order_by(Merge.id)
    ))


def trail(proposal: Proposal) -> list[dict]:
    """The original proposals a topic regroups, through every merge still holding (nested ones flattened).

    An `into` topic counts itself once, with its text of before its first merge; a topic created
    by a merge is not an original. Empty when the topic regroups nothing.
    """
    merges = _active_merges(proposal.id)
    if not merges:
        return []
    out: list[dict] = []
    if not any(m.created_result for m in merges):
        first = merges[0].previous or {}
        out.append({"id": proposal.id, "title": first.get("title", proposal.title),
                    "description": first.get("description", proposal.description),
                    "author_name": _author(proposal.author_id)})
    for merge in merges:
        for source in merge.sources:
            original = db.session.get(Proposal, source.proposal_id)
            out.extend(trail(original) or [{"id": original.id, "title": original.title,
                                            "description": original.description,
                                            "author_name": _author(original.author_id)}])
    return out


def merged_count(proposal: Proposal) -> int:
    """How many original proposals this topic regroups (0 when it regroups none)."""
    return len(trail(proposal))


def merged_counts(event_id: int) -> dict[int, int]:
    """`merged_count` of every topic of the forum that regroups others (absent: 0), in two queries."""
    merges = db.session.execute(
        select(Merge.id, Merge.result_id, Merge.created_result)
        .where(Merge.event_id == event_id, Merge.undone_at.is_(None)).order_by(Merge.id)
    ).all()
    if not merges:
        return {}
    sources: dict[int, list[int]] = defaultdict(list)
    for merge_id, proposal_id in db.session.execute(
        select(MergeSource.merge_id, MergeSource.proposal_id)
        .where(MergeSource.merge_id.in_([m.id for m in merges])).order_by(MergeSource.proposal_id)
    ).all():
        sources[merge_id].append(proposal_id)
    by_result: dict[int, list] = defaultdict(list)
    for merge in merges:
        by_result[merge.result_id].append(merge)

    def count(proposal_id: int) -> int:  # the same walk as trail(), on ids
        held = by_result.get(proposal_id)
        if not held:
            return 0
        total = 0 if any(m.created_result for m in held) else 1
        for merge in held:
            total += sum(count(source) or 1 for source in sources[merge.id])
        return total

    return {proposal_id: count(proposal_id) for proposal_id in by_result if proposal_id is not None}


def _author(participant_id: int | None) -> str:
    return display_name(db.session.get(Participant, participant_id)) if participant_id else ""
