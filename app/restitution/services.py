"""Assemble a forum's restitution, and the organiser's edits, publication and public look-up.

`assemble` is the only place that reads the forum for the document: it returns one
`document.Restitution` that every export format renders. Services flush; callers commit.
"""
from __future__ import annotations

import secrets
from collections import defaultdict

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from barcamp.common.db import utcnow
from barcamp.common.errors import InvalidInput, NotFound
from barcamp.events.models import Event, Theme
from barcamp.extensions import db
from barcamp.participants.enums import Profile
from barcamp.participants.models import Participant
from barcamp.participants.services import display_name, people_only
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.restitution.document import (
    CardItem,
    Chapter,
    Introduction,
    ProfileCount,
    ProposalItem,
    QuizProfile,
    QuizSummary,
    Resource,
    Restitution,
    Topic,
)
from barcamp.restitution.models import RestitutionSettings
from barcamp.voting.services import compute_results

#: how long the public link's secret is (URL-safe characters)
TOKEN_BYTES = 16


# -- settings ----------------------------------------------------------------------------------
def get_settings(event_id: int) -> RestitutionSettings | None:
    return db.session.scalar(select(RestitutionSettings).where(RestitutionSettings.event_id == event_id))


def ensure_settings(event_id: int) -> RestitutionSettings:
    settings = get_settings(event_id)
    if settings is None:
        settings = RestitutionSettings(event_id=event_id, context="", dates="", place="", thanks="",
                                       chapter_order=[], include_names=False)
        db.session.add(settings)
        db.session.flush()
    return settings


def update_settings(event: Event, *, context: str, dates: str, place: str, thanks: str, include_names: bool,
                    chapter_order: list[int] | None = None) -> RestitutionSettings:
    """Store the organiser's introduction, the names option and (when given) the chapter order."""
    settings = ensure_settings(event.id)
    settings.context = context.strip()
    settings.dates = dates.strip()
    settings.place = place.strip()
    settings.thanks = thanks.strip()
    settings.include_names = include_names
    if chapter_order is not None:
        if set(chapter_order) != set(_workshop_ids(event.id)) or len(set(chapter_order)) != len(chapter_order):
            raise InvalidInput("invalid_chapter_order",
                               _("L'ordre des chapitres doit citer chaque atelier du forum une seule fois."))
        settings.chapter_order = list(chapter_order)
    db.session.flush()
    return settings


def move_chapter(event: Event, workshop_id: int, offset: int) -> RestitutionSettings:
    """Move one workshop chapter up (offset -1) or down (+1) in the restitution."""
    settings = ensure_settings(event.id)
    order = [w for w in ordered_workshop_ids(event.id, settings)]
    if workshop_id not in order:
        raise NotFound("workshop_not_found", _("Cet atelier n'existe pas dans ce forum."))
    index = order.index(workshop_id)
    target = max(0, min(len(order) - 1, index + offset))
    order.insert(target, order.pop(index))
    settings.chapter_order = order
    db.session.flush()
    return settings


def publish(event: Event) -> RestitutionSettings:
    """Make the restitution readable by anyone at /r/<token> (the same token when republished)."""
    settings = ensure_settings(event.id)
    if not settings.public_token:
        settings.public_token = secrets.token_urlsafe(TOKEN_BYTES)
    settings.published_at = utcnow()
    db.session.flush()
    return settings


def unpublish(event: Event) -> RestitutionSettings:
    """Take the public page down: its URL answers 404 until the restitution is published again."""
    settings = ensure_settings(event.id)
    settings.published_at = None
    db.session.flush()
    return settings


def find_published(token: str) -> tuple[Event, RestitutionSettings]:
    """The forum whose restitution is published under this token, or 404."""
    settings = db.session.scalar(select(RestitutionSettings).where(RestitutionSettings.public_token == token))
    if settings is None or settings.published_at is None:
        raise NotFound("restitution_not_found", _("Cette restitution n'existe pas ou n'est plus publiée."))
    return db.session.get(Event, settings.event_id), settings


# -- assembling the document -------------------------------------------------------------------------
def _workshop_ids(event_id: int) -> list[int]:
    try:
        from barcamp.workshops.models import Workshop
    except ImportError:  # pragma: no cover - the workshops area is always there once merged
        return []
    return list(db.session.scalars(
        # a workshop the organiser deleted (soft delete) has no chapter
        select(Workshop.id).where(Workshop.event_id == event_id, Workshop.deleted_at.is_(None))
        .order_by(Workshop.position, Workshop.id)
    ))


def ordered_workshop_ids(event_id: int, settings: RestitutionSettings | None) -> list[int]:
    """Workshop ids in chapter order: the organiser's order first, then new workshops in their own order."""
    natural = _workshop_ids(event_id)
    chosen = [wid for wid in (settings.chapter_order if settings else []) or [] if wid in set(natural)]
    return chosen + [wid for wid in natural if wid not in set(chosen)]


def _names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    people = db.session.scalars(select(Participant).where(Participant.id.in_(ids)))
    return {p.id: display_name(p) for p in people}


def _introduction(event: Event, settings: RestitutionSettings | None) -> Introduction:
    counts = dict(db.session.execute(
        # people only: a secret ballot's stand-in voters are nobody (app/participants/enums.py)
        select(Participant.profile, func.count()).where(Participant.event_id == event.id, people_only())
        .group_by(Participant.profile)
    ).all())
    total = sum(counts.values())
    profiles = [ProfileCount(p.value, str(p.label), counts[p]) for p in Profile if counts.get(p)]
    if counts.get(None):
        profiles.append(ProfileCount("none", _("Non renseigné"), counts[None]))
    dates = (settings.dates if settings else "") or (
        format_date(event.starts_at, format="long") if event.starts_at else "")
    return Introduction(
        title=event.title,
        dates=dates,
        place=(settings.place if settings else "") or event.place or "",
        context=(settings.context if settings else "") or event.description or "",
        thanks=settings.thanks if settings else "",
        participants=total,
        profiles=profiles,
        quiz=_quiz_summary(event),
    )


def _quiz_summary(event: Event) -> QuizSummary | None:
    """The room's profile from the icebreaker quiz (profile quizzes only), when people answered."""
    try:
        from barcamp.quiz.enums import QuizKind
        from barcamp.quiz.services import get_run, quiz_of, room_results
    except ImportError:  # pragma: no cover
        return None
    run = get_run(event)
    if run is None or run.started_at is None:
        return None
    quiz = quiz_of(event)
    if quiz.kind != QuizKind.PROFILE:
        return None
    results = run.distribution or room_results(event, quiz)
    if not results.get("respondents"):
        return None
    counts = results.get("profiles", {})
    profiles = [QuizProfile(p.symbol, p.name, int(counts.get(p.symbol, 0))) for p in quiz.profiles]
    return QuizSummary(title=quiz.title, respondents=int(results["respondents"]), profiles=profiles,
                       mixed=int(results.get("mixed", 0)))


def _topics(event: Event, include_names: bool) -> tuple[list[Topic], dict]:
    results = compute_results(event)
    by_id = {entry["proposal_id"]: entry for entry in results["ranking"]}
    rows = db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.description, Proposal.tags, Proposal.author_id, Theme.name)
        .outerjoin(Theme, Theme.id == Proposal.theme_id)
        .where(Proposal.event_id == event.id, Proposal.status == ProposalStatus.VISIBLE)
        .order_by(Proposal.id)
    ).all()
    names = _names(r.author_id for r in rows) if include_names else {}
    topics = []
    for row in rows:
        entry = by_id.get(row.id, {"score": 0, "voters": 0, "rank": len(rows)})
        topics.append(Topic(
            id=row.id, title=row.title, description=row.description or "", theme=row.name,
            tags=list(row.tags or []), score=entry["score"], voters=entry["voters"], rank=entry["rank"],
            author=names.get(row.author_id) if include_names else None,
        ))
    return topics, results


def _further_reading(workshop_id: int) -> list[Resource]:
    """The workshop's "Pour aller plus loin" list from the resource library, when that area exists."""
    try:
        from barcamp.resources.services import resources_for_workshop
    except ImportError:
        return []
    fields = ("title", "author", "source", "date", "url", "summary")
    return [Resource(**{k: str(item.get(k) or "") for k in fields}) for item in resources_for_workshop(workshop_id)]


def _chapters(event: Event, settings: RestitutionSettings | None, include_names: bool) -> list[Chapter]:
    order = ordered_workshop_ids(event.id, settings)
    if not order:
        return []
    from barcamp.workshops.enums import CardSection
    from barcamp.workshops.models import (
        Card,
        CardDot,
        Workshop,
        WorkshopMember,
        WorkshopTopic,
    )

    workshops = {w.id: w for w in db.session.scalars(select(Workshop).where(Workshop.id.in_(order)))}
    topics: dict[int, list[str]] = defaultdict(list)
    for wid, title in db.session.execute(
        select(WorkshopTopic.workshop_id, Proposal.title)
        .join(Proposal, Proposal.id == WorkshopTopic.proposal_id)
        .where(WorkshopTopic.workshop_id.in_(order), Proposal.status == ProposalStatus.VISIBLE)
        .order_by(WorkshopTopic.id)
    ):
        topics[wid].append(title)
    cards = db.session.scalars(
        select(Card)
        .where(Card.workshop_id.in_(order), Card.deleted_at.is_(None), Card.hidden_at.is_(None),
               Card.merged_into_id.is_(None))
        .order_by(Card.workshop_id, Card.position, Card.id)
    ).all()
    dots = dict(db.session.execute(
        select(CardDot.card_id, func.sum(CardDot.value)).where(CardDot.workshop_id.in_(order))
        .group_by(CardDot.card_id)
    ).all())
    members: dict[int, list[int]] = defaultdict(list)
    if include_names:
        for wid, pid in db.session.execute(
            select(WorkshopMember.workshop_id, WorkshopMember.participant_id)
            .where(WorkshopMember.workshop_id.in_(order)).order_by(WorkshopMember.id)
        ):
            members[wid].append(pid)
    names = _names([c.author_participant_id for c in cards] + [p for ids in members.values() for p in ids]) \
        if include_names else {}

    by_workshop: dict[int, list] = defaultdict(list)
    for card in cards:
        by_workshop[card.workshop_id].append(card)
    chapters = []
    for wid in order:
        workshop = workshops[wid]
        sections: dict[str, list[CardItem]] = defaultdict(list)
        proposals = []
        for card in by_workshop[wid]:
            author = names.get(card.author_participant_id) if include_names else None
            if card.section == CardSection.PROPOSITIONS:
                proposals.append(card)
            else:
                sections[CardSection(card.section).value].append(CardItem(text=card.text, author=author))
        # Numbered by the facilitator first (#1, #2…), unnumbered ones after, in board order.
        proposals.sort(key=lambda c: (c.number is None, c.number or 0, c.position, c.id))
        items = [
            ProposalItem(number=n, text=c.text, gain=c.gain or "", indicator=c.indicator or "",
                         dots=int(dots.get(c.id) or 0),
                         author=names.get(c.author_participant_id) if include_names else None)
            for n, c in enumerate(proposals, start=1)
        ]
        chapters.append(Chapter(
            workshop_id=wid, title=workshop.title, description=workshop.description or "", topics=topics[wid],
            constat=sections["constat"], questions=sections["questions"], proposals=items,
            pistes=sections["pistes"], conseils=sections["conseils"],
            prochaine_etape=sections["prochaine_etape"], indicateurs=sections["indicateurs"],
            further_reading=_further_reading(wid),
            members=[names.get(p, "") for p in members[wid]] if include_names else [],
        ))
    return chapters


def assemble(event_id: int, include_names: bool = False) -> Restitution:
    """Build the forum's restitution document from the database (read-only).

    Hidden or withdrawn topics, removed cards and cards merged into another never appear;
    pseudonyms (topic and card authors, workshop members) only when `include_names`.
    """
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("event_not_found", _("Ce forum n'existe pas."))
    settings = get_settings(event_id)
    topics, results = _topics(event, include_names)
    return Restitution(
        event_id=event.id,
        title=event.title,
        generated_at=utcnow().replace(microsecond=0).isoformat(),
        include_names=include_names,
        intro=_introduction(event, settings),
        voting_mode=results["mode"],
        voting_mode_label=str(event.voting_mode.label),
        participants_voted=results["participants_voted"],
        topics=topics,
        chapters=_chapters(event, settings, include_names),
        themes=[t.name for t in event.themes],
    )


def assemble_for(event: Event) -> Restitution:
    """The restitution as the organiser set it (pseudonyms when they ticked the option)."""
    settings = get_settings(event.id)
    return assemble(event.id, include_names=bool(settings and settings.include_names))
