"""The glossary (content/glossary.yaml) and the library (content/resources/*.yaml).

Loaded once, validated, with errors that name the file, the entry and the field; a malformed file
stops start-up. Each library entry carries a pre-folded search text (accents and case removed).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from barcamp.common.content import CONTENT_DIR, ContentError, FieldError, Slug, Strict, cached, load_file, yaml_files

GLOSSARY_FILE = CONTENT_DIR / "glossary.yaml"
RESOURCES_DIR = CONTENT_DIR / "resources"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
#: "2019", "05/2019" or "21/05/2019", as the bibliography prints them
DATE_PATTERN = r"^(?:(?:0[1-9]|[12]\d|3[01])/)?(?:(?:0[1-9]|1[0-2])/)?(?:19|20)\d{2}$"


def fold(text: str) -> str:
    """Lower-case text without accents, for accent- and case-insensitive search and matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded.replace("œ", "oe").replace("æ", "ae").replace("’", "'")


def year_of(date: str | None) -> int | None:
    return int(date[-4:]) if date else None


# -- glossary ---------------------------------------------------------------------------------
class TermEn(Strict):
    term: Short
    definition: Text
    match: list[Short] = Field(default_factory=list)


class Term(Strict):
    slug: Slug
    term: Short
    definition: Text
    #: phrases marked in user text (default: the term itself)
    match: list[Short] = Field(default_factory=list)
    en: TermEn | None = None


class ApproachEn(Strict):
    name: Short


class Approach(Strict):
    slug: Slug
    name: Short
    en: ApproachEn | None = None


class Glossary(Strict):
    credit: Short
    approaches: list[Approach] = Field(default_factory=list)
    terms: list[Term] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self):
        seen: set[str] = set()
        for i, term in enumerate(self.terms):
            if term.slug in seen:
                raise FieldError(f"terms[{i}] ({term.slug}).slug", f"{term.slug!r} is used by another term")
            seen.add(term.slug)
        return self


# -- library ----------------------------------------------------------------------------------
class SectionEn(Strict):
    title: Short


class Section(Strict):
    slug: Slug
    number: Annotated[str, StringConstraints(pattern=r"^[IVX]{1,5}$")]
    title: Short
    en: SectionEn | None = None


class Entry(Strict):
    id: Slug
    title: Text
    author: Short | None = None
    #: the periodical, publisher or site (absent for the few entries that name none)
    source: Short | None = None
    date: Annotated[str, StringConstraints(pattern=DATE_PATTERN)] | None = None
    pages: Short | None = None
    summary: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    other_urls: list[Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]] = Field(default_factory=list)
    #: CNFPT documentation centres holding the book
    locations: Short | None = None


class SectionFile(Strict):
    section: Section
    credit: Short
    entries: list[Entry] = Field(min_length=1)


# -- loaded library ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LibraryEntry:
    entry: Entry
    section: Section
    credit: str
    year: int | None
    #: folded title + summary + author + source, searched by words
    haystack: str


@dataclass
class Library:
    glossary: Glossary
    sections: list[Section] = field(default_factory=list)
    entries: list[LibraryEntry] = field(default_factory=list)
    by_id: dict[str, LibraryEntry] = field(default_factory=dict)

    def years(self) -> list[int]:
        return sorted({e.year for e in self.entries if e.year}, reverse=True)


def load_glossary_file(path: Path) -> Glossary:
    return load_file(path, Glossary)


def load_section_file(path: Path) -> SectionFile:
    return load_file(path, SectionFile)


def load_library_from(glossary_file: Path, resources_dir: Path) -> Library:
    """Validate the glossary and every section file; raise ContentError on the first problem."""
    library = Library(glossary=load_glossary_file(glossary_file))
    files = yaml_files(resources_dir)
    if not files:
        raise ContentError(resources_dir, "(directory)", "no section file (*.yaml)")
    section_of: dict[str, Path] = {}
    for path in files:
        doc = load_section_file(path)
        if doc.section.slug in section_of:
            raise ContentError(path, "section.slug", f"{doc.section.slug!r} is already used by {section_of[doc.section.slug].name}")
        section_of[doc.section.slug] = path
        library.sections.append(doc.section)
        for i, entry in enumerate(doc.entries):
            if entry.id in library.by_id:
                raise ContentError(path, f"entries[{i}] ({entry.id}).id", "this id is used by another entry")
            haystack = fold(" ".join(filter(None, (entry.title, entry.summary, entry.author or "", entry.source or ""))))
            item = LibraryEntry(entry, doc.section, doc.credit, year_of(entry.date), re.sub(r"\s+", " ", haystack))
            library.entries.append(item)
            library.by_id[entry.id] = item
    return library


def load_library(glossary_file: Path | None = None, resources_dir: Path | None = None, *, reload: bool = False) -> Library:
    """The validated glossary and library, loaded once and cached."""
    key = ((glossary_file or GLOSSARY_FILE).resolve(), (resources_dir or RESOURCES_DIR).resolve())
    return cached("library", key, lambda: load_library_from(*key), reload=reload)
