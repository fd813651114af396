"""API shapes of the library, the glossary and attachments."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from barcamp.common.text import Line, Text
from barcamp.resources.content import DATE_PATTERN

Key = Line(60, 1)


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


class LibraryQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown parameter is a 400, as an unknown body field is a 422
    q: str = Field("", description="words to find (accents and case ignored)")
    section: str | None = Field(None, description="a section's slug (GET /resources/sections)")
    year: str | None = Field(None, description="four digits; another value is 422 invalid_year")
    event_id: str | None = Field(None, description="with a token that may read that forum: its own resources too "
                                                   "(401 without a token, 422 invalid_event_id if not a number)")


class GlossaryQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown parameter is a 400, as an unknown body field is a 422
    event_id: str | None = Field(None, description="with a token that may read that forum: its own terms too")


class ForumResourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Line(300, 2)
    author: Line(300) = ""
    source: Line(300) = ""
    date: Annotated[str, Field(pattern=DATE_PATTERN + "|^$")] = ""
    url: Annotated[str, Field(pattern=r"^(https?://\S+)?$", max_length=1000)] = ""
    summary: Text(5000) = ""


class ForumTermIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: Line(80, 2)
    definition: Text(2000, 2)
