"""Shapes of the proposals API."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from barcamp.common.api import UtcDateTime
from barcamp.common.text import Line, Text
from barcamp.proposals.enums import ProposalStatus

Title = Line(120, 3)
Description = Text(2000)
Tag = Line(40, 1)


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
    reason: Line(500) = ""


class ProposalListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown parameter is a 400, as an unknown body field is a 422
    include_hidden: bool = Field(False, description="organiser: also the hidden, withdrawn and merged topics")


class ProposalRemoveIn(BaseModel):
    """DELETE's optional body: the organiser hides the topic and must give a reason (422 reason_required)."""

    model_config = ConfigDict(extra="forbid")
    reason: Line(500) = ""


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
