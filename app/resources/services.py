"""Search the library, read the glossary, add forum resources and terms, attach resources.

Plain functions: no request, no session. `locale` picks the English versions of the content
(`en:` keys) when it is "en"; French is the reference.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import delete, select

from barcamp.common.errors import Conflict, InvalidInput, NotFound
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.resources.content import LibraryEntry, fold, load_library, year_of
from barcamp.resources.models import FORUM_KEY_PREFIX, ForumResource, ForumTerm, ResourceAttachment
from barcamp.resources.schemas import ForumResourceIn, ForumTermIn

#: most resources attached to one topic or workshop
MAX_ATTACHED = 50
FORUM_SECTION = "forum"


# -- shapes -----------------------------------------------------------------------------------
def _section_title(section, locale: str) -> str:
    return section.en.title if locale == "en" and section.en else section.title


def entry_out(item: LibraryEntry, locale: str = "fr") -> dict:
    e = item.entry
    return {
        "id": e.id, "title": e.title, "author": e.author, "source": e.source, "date": e.date,
        "year": item.year, "pages": e.pages, "summary": e.summary, "url": e.url,
        "other_urls": list(e.other_urls), "section": item.section.slug,
        "section_title": _section_title(item.section, locale), "credit": item.credit, "forum": False,
    }


_FORUM_COLUMNS = ("id", "title", "author", "source", "date", "url", "summary")


def forum_resource_out(resource, section_title: str | None = None) -> dict:
    """A forum resource (a ForumResource or a row of its columns) in the library's shape."""
    return {
        "id": f"{FORUM_KEY_PREFIX}{resource.id}", "title": resource.title, "author": resource.author or None,
        "source": resource.source or None, "date": resource.date or None, "year": year_of(resource.date or None),
        "pages": None, "summary": resource.summary, "url": resource.url or None, "other_urls": [],
        "section": FORUM_SECTION, "section_title": section_title or _("Ressources du forum"), "credit": "",
        "forum": True,
    }


def sections(locale: str = "fr") -> list[dict]:
    library = load_library()
    counts: dict[str, int] = {}
    for item in library.entries:
        counts[item.section.slug] = counts.get(item.section.slug, 0) + 1
    return [{"slug": s.slug, "number": s.number, "title": _section_title(s, locale), "count": counts[s.slug]}
            for s in library.sections]


# -- search -----------------------------------------------------------------------------------
def _words(q: str) -> list[str]:
    return [w for w in re.split(r"[\s,;:!?.()«»\"]+", fold(q or "")) if w]


def search_resources(q: str = "", section: str | None = None, year: int | None = None,
                     event_id: int | None = None, locale: str = "fr") -> list[dict]:
    """Entries whose title, summary, author or source hold every word of q (accents and case ignored).

    `section` narrows to one section (or "forum" for the forum's own resources), `year` to one year;
    with `event_id`, the forum's own resources come first.
    """
    words = _words(q)
    found: list[dict] = []
    if event_id is not None and section in (None, "", FORUM_SECTION):
        # plain rows, not ORM objects: a forum may hold many resources and this runs per keystroke
        rows = db.session.execute(select(*(getattr(ForumResource, c) for c in _FORUM_COLUMNS))
                                  .where(ForumResource.event_id == event_id).order_by(ForumResource.id))
        section_title = _("Ressources du forum")
        for row in rows:
            haystack = fold(f"{row.title} {row.summary} {row.author} {row.source}")
            if all(w in haystack for w in words) and (year is None or year_of(row.date or None) == year):
                found.append(forum_resource_out(row, section_title))
    if section == FORUM_SECTION:
        return found
    for item in load_library().entries:
        if section and item.section.slug != section:
            continue
        if year is not None and item.year != year:
            continue
        if all(w in item.haystack for w in words):
            found.append(entry_out(item, locale))
    return found


def forum_resources(event_id: int) -> list[ForumResource]:
    return list(db.session.scalars(select(ForumResource).where(ForumResource.event_id == event_id)
                                   .order_by(ForumResource.id)))


def forum_terms(event_id: int) -> list[ForumTerm]:
    return list(db.session.scalars(select(ForumTerm).where(ForumTerm.event_id == event_id).order_by(ForumTerm.term)))


# -- glossary ---------------------------------------------------------------------------------
def glossary_terms(event_id: int | None = None, locale: str = "fr") -> list[dict]:
    """Every term (library then forum), each with the phrases that mark it in user text."""
    terms = []
    for t in load_library().glossary.terms:
        en = t.en if locale == "en" and t.en else None
        name = en.term if en else t.term
        match = list((en.match if en else t.match) or [name])
        terms.append({"slug": t.slug, "term": name, "definition": en.definition if en else t.definition,
                      "match": match, "forum": False})
    if event_id is not None:
        for ft in forum_terms(event_id):
            terms.append({"slug": f"{FORUM_KEY_PREFIX}{ft.id}", "term": ft.term, "definition": ft.definition,
                          "match": [ft.term], "forum": True})
    return terms


def glossary_out(event_id: int | None = None, locale: str = "fr") -> dict:
    glossary = load_library().glossary
    return {
        "credit": glossary.credit,
        "locale": locale,
        "approaches": [{"slug": a.slug, "name": a.en.name if locale == "en" and a.en else a.name}
                       for a in glossary.approaches],
        "terms": [{k: t[k] for k in ("slug", "term", "definition", "forum")}
                  for t in sorted(glossary_terms(event_id, locale), key=lambda t: fold(t["term"]))],
    }


# -- forum additions --------------------------------------------------------------------------
def add_forum_resource(event: Event, data: ForumResourceIn) -> ForumResource:
    resource = ForumResource(event_id=event.id, **data.model_dump())
    db.session.add(resource)
    db.session.flush()
    return resource


def delete_forum_resource(event: Event, resource_id: int) -> None:
    resource = db.session.get(ForumResource, resource_id)
    if resource is None or resource.event_id != event.id:
        raise NotFound("resource_not_found", _("Cette ressource n'existe pas dans ce forum."))
    db.session.execute(delete(ResourceAttachment).where(ResourceAttachment.resource_key == resource.key,
                                                        ResourceAttachment.event_id == event.id))
    db.session.delete(resource)
    db.session.flush()


def add_forum_term(event: Event, data: ForumTermIn) -> ForumTerm:
    existing = {fold(t.term) for t in forum_terms(event.id)}
    if fold(data.term) in existing:
        raise Conflict("term_exists", _("Ce terme est déjà dans le glossaire du forum."))
    term = ForumTerm(event_id=event.id, term=data.term, definition=data.definition)
    db.session.add(term)
    db.session.flush()
    return term


def delete_forum_term(event: Event, term_id: int) -> None:
    term = db.session.get(ForumTerm, term_id)
    if term is None or term.event_id != event.id:
        raise NotFound("term_not_found", _("Ce terme n'existe pas dans ce forum."))
    db.session.delete(term)
    db.session.flush()


# -- attachments ------------------------------------------------------------------------------
def resolve(event_id: int, keys: list[str], locale: str = "fr") -> list[dict]:
    """The resources behind ids, in order; unknown ids (or another forum's) are skipped."""
    library = load_library()
    forum_ids = [int(k[len(FORUM_KEY_PREFIX):]) for k in keys
                 if k.startswith(FORUM_KEY_PREFIX) and k[len(FORUM_KEY_PREFIX):].isdigit()]
    own = {r.key: r for r in db.session.scalars(select(ForumResource).where(
        ForumResource.id.in_(forum_ids), ForumResource.event_id == event_id))} if forum_ids else {}
    out = []
    for key in keys:
        if key in library.by_id:
            out.append(entry_out(library.by_id[key], locale))
        elif key in own:
            out.append(forum_resource_out(own[key]))
    return out


def _check_keys(event_id: int, keys: list[str]) -> list[str]:
    unique = list(dict.fromkeys(keys))
    if len(unique) > MAX_ATTACHED:
        raise InvalidInput("too_many_resources", _("Au plus %(n)s ressources par sujet ou atelier.", n=MAX_ATTACHED))
    known = {r["id"] for r in resolve(event_id, unique)}
    unknown = [k for k in unique if k not in known]
    if unknown:
        raise InvalidInput("unknown_resource", _("Ressource inconnue : %(ids)s.", ids=", ".join(unknown)),
                           details={"unknown": unknown})
    return unique


def set_attachments(event: Event, keys: list[str], *, workshop_id: int | None = None,
                    proposal_id: int | None = None) -> list[str]:
    """Replace the resources attached to one workshop or one topic of this forum (idempotent)."""
    unique = _check_keys(event.id, keys)
    target = (ResourceAttachment.workshop_id == workshop_id) if workshop_id is not None \
        else (ResourceAttachment.proposal_id == proposal_id)
    db.session.execute(delete(ResourceAttachment).where(target))
    for position, key in enumerate(unique):
        db.session.add(ResourceAttachment(event_id=event.id, workshop_id=workshop_id, proposal_id=proposal_id,
                                          resource_key=key, position=position))
    db.session.flush()
    return unique


def _attached(column, target_id: int, locale: str) -> list[dict]:
    rows = list(db.session.execute(select(ResourceAttachment.event_id, ResourceAttachment.resource_key)
                                   .where(column == target_id).order_by(ResourceAttachment.position)))
    if not rows:
        return []
    return resolve(rows[0].event_id, [r.resource_key for r in rows], locale)


def attached_to_workshop(workshop_id: int, locale: str = "fr") -> list[dict]:
    return _attached(ResourceAttachment.workshop_id, workshop_id, locale)


def attached_to_proposal(proposal_id: int, locale: str = "fr") -> list[dict]:
    return _attached(ResourceAttachment.proposal_id, proposal_id, locale)


_EXPORT_KEYS = ("title", "author", "source", "date", "url", "summary")


def resources_for_workshop(workshop_id: int) -> list[dict]:
    """The workshop's "Pour aller plus loin": its own resources, then its topics', without repeats.

    Each item has exactly the keys title, author, source, date, url, summary (None when unknown).
    The restitution exports call this for every chapter.
    """
    from barcamp.workshops.models import WorkshopTopic

    seen: set[str] = set()
    items = attached_to_workshop(workshop_id)
    topic_ids = db.session.scalars(select(WorkshopTopic.proposal_id).where(WorkshopTopic.workshop_id == workshop_id)
                                   .order_by(WorkshopTopic.id))
    for pid in topic_ids:
        items += attached_to_proposal(pid)
    out = []
    for item in items:
        if item["id"] not in seen:
            seen.add(item["id"])
            out.append({k: item[k] for k in _EXPORT_KEYS})
    return out
