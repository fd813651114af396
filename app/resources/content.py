"""The glossary (content/glossary.yaml) and the library (content/resources/*.yaml).

Loaded once, validated, with errors that name the file, the entry and the field; a malformed file
stops start-up. Each library entry carries a pre-folded search text (accents and case removed).
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

#: content/, from the application root (never the working directory)
CONTENT_DIR = Path(__file__).resolve().parent.parent.parent / "content"
GLOSSARY_FILE = CONTENT_DIR / "glossary.yaml"
RESOURCES_DIR = CONTENT_DIR / "resources"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]
#: "2019", "05/2019" or "21/05/2019", as the bibliography prints them
DATE_PATTERN = r"^(?:(?:0[1-9]|[12]\d|3[01])/)?(?:(?:0[1-9]|1[0-2])/)?(?:19|20)\d{2}$"


def fold(text: str) -> str:
    """Lower-case text without accents, for accent- and case-insensitive search and matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded.replace("œ", "oe").replace("æ", "ae").replace("’", "'")


def year_of(date: str | None) -> int | None:
    return int(date[-4:]) if date else None


class ContentError(Exception):
    """A content file that cannot be used: names the file, the entry and the field."""

    def __init__(self, path: Path, field: str, problem: str) -> None:
        self.path, self.field, self.problem = path, field, problem
        super().__init__(f"{_display(path)}: {field}: {problem}")


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(CONTENT_DIR.parent))
    except ValueError:
        return str(path)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- glossary ---------------------------------------------------------------------------------
class TermEn(_Strict):
    term: Short
    definition: Text
    match: list[Short] = Field(default_factory=list)


class Term(_Strict):
    slug: Slug
    term: Short
    definition: Text
    #: phrases marked in user text (default: the term itself)
    match: list[Short] = Field(default_factory=list)
    en: TermEn | None = None


class ApproachEn(_Strict):
    name: Short


class Approach(_Strict):
    slug: Slug
    name: Short
    en: ApproachEn | None = None


class Glossary(_Strict):
    credit: Short
    approaches: list[Approach] = Field(default_factory=list)
    terms: list[Term] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self):
        seen: set[str] = set()
        for i, term in enumerate(self.terms):
            if term.slug in seen:
                raise _FieldError(f"terms[{i}] ({term.slug}).slug", f"{term.slug!r} is used by another term")
            seen.add(term.slug)
        return self


# -- library ----------------------------------------------------------------------------------
class SectionEn(_Strict):
    title: Short


class Section(_Strict):
    slug: Slug
    number: Annotated[str, StringConstraints(pattern=r"^[IVX]{1,5}$")]
    title: Short
    en: SectionEn | None = None


class Entry(_Strict):
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


class SectionFile(_Strict):
    section: Section
    credit: Short
    entries: list[Entry] = Field(min_length=1)


class _FieldError(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


def _loc(parts, raw) -> str:
    """Readable location of a validation error; list items are named by their id or slug."""
    out, node = "", raw
    for part in parts:
        if isinstance(part, int):
            name = ""
            if isinstance(node, list) and part < len(node) and isinstance(node[part], dict):
                name = node[part].get("id") or node[part].get("slug") or ""
            out += f"[{part}]" + (f" ({name})" if name else "")
        else:
            out += f".{part}" if out else str(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return out or "(root)"


def _read(path: Path, model: type[BaseModel]):
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise ContentError(path, where, f"malformed YAML: {getattr(exc, 'problem', None) or exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, "(file)", f"unreadable: {exc}") from None
    if not isinstance(raw, dict):
        raise ContentError(path, "(root)", "the file must hold a mapping")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, _FieldError):
            raise ContentError(path, cause.field, cause.problem) from None
        problem = "missing" if first["type"] == "missing" else first["msg"]
        raise ContentError(path, _loc(first["loc"], raw), problem) from None


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
    return _read(path, Glossary)


def load_section_file(path: Path) -> SectionFile:
    return _read(path, SectionFile)


def load_library_from(glossary_file: Path, resources_dir: Path) -> Library:
    """Validate the glossary and every section file; raise ContentError on the first problem."""
    library = Library(glossary=load_glossary_file(glossary_file))
    files = sorted(resources_dir.glob("*.y*ml"), key=lambda p: p.name)
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


_cache: dict[tuple[Path, Path], Library] = {}
_lock = threading.Lock()


def load_library(glossary_file: Path | None = None, resources_dir: Path | None = None, *, reload: bool = False) -> Library:
    """The validated glossary and library, loaded once and cached."""
    key = ((glossary_file or GLOSSARY_FILE).resolve(), (resources_dir or RESOURCES_DIR).resolve())
    with _lock:
        if reload or key not in _cache:
            _cache[key] = load_library_from(*key)
        return _cache[key]
