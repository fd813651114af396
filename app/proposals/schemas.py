"""Shapes of the proposals API."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.common.api import UtcDateTime
from app.common.text import CleanLine, CleanText
from app.proposals.enums import ProposalStatus

Title = Annotated[str, CleanLine, StringConstraints(strip_whitespace=True, min_length=3, max_length=120)]
Description = Annotated[str, CleanText, StringConstraints(strip_whitespace=True, max_length=2000)]
Tag = Annotated[str, CleanLine, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class ProposalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Title
    description: Description = ""
    theme_id: int | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=10)


class ProposalPatch(BaseModel):
    """Edit by the author (title, description, theme, tags) or hide/unhide by the organiser."""

    model_config = ConfigDict(extra="forbid")
    title: Title | None = None
    description: Description | None = None
    theme_id: int | None = None
    tags: list[Tag] | None = Field(default=None, max_length=10)
    hidden: bool | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class ProposalOut(BaseModel):
    id: int
    event_id: int
    title: str
    description: str
    theme_id: int | None
    theme: str | None
    tags: list[str]
    status: ProposalStatus
    author_id: int | None
    author_name: str
    #: participants who carry the topic with its author (support, or authors of merged topics)
    coproposer_ids: list[int] = Field(default_factory=list)
    coproposers: list[str] = Field(default_factory=list)
    #: how many original proposals this topic regroups (0: none; see /merges)
    merged_count: int = 0
    created_at: UtcDateTime


class ProposalList(BaseModel):
    proposals: list[ProposalOut]
