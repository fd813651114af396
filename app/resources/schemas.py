"""API shapes of the library, the glossary and attachments."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.common.text import CleanLine
from app.resources.content import DATE_PATTERN

Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class ResourceIdsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: library ids ("territoires-01") or forum resource ids ("forum-12"), in display order
    resource_ids: list[Key] = Field(max_length=50)


class ResourceOut(BaseModel):
    id: str
    title: str
    author: str | None = None
    source: str | None = None
    date: str | None = None
    year: int | None = None
    pages: str | None = None
    summary: str
    url: str | None = None
    other_urls: list[str] = []
    section: str
    section_title: str
    credit: str
    forum: bool = False


class ResourceList(BaseModel):
    count: int
    resources: list[ResourceOut]


class ResourceSectionOut(BaseModel):
    slug: str
    number: str
    title: str
    count: int


class SectionsOut(BaseModel):
    sections: list[ResourceSectionOut]


class TermOut(BaseModel):
    slug: str
    term: str
    definition: str
    forum: bool = False


class ApproachOut(BaseModel):
    slug: str
    name: str


class GlossaryOut(BaseModel):
    credit: str
    locale: str
    approaches: list[ApproachOut]
    terms: list[TermOut]


class AttachedOut(BaseModel):
    resources: list[ResourceOut]


class ForumResourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Annotated[str, CleanLine, StringConstraints(strip_whitespace=True, min_length=2, max_length=300)]
    author: Annotated[str, CleanLine, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    source: Annotated[str, CleanLine, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    date: Annotated[str, StringConstraints(strip_whitespace=True, pattern=DATE_PATTERN + "|^$")] = ""
    url: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(https?://\S+)?$", max_length=1000)] = ""
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""


class ForumTermIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: Annotated[str, CleanLine, StringConstraints(strip_whitespace=True, min_length=2, max_length=80)]
    definition: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=2000)]
