"""Request and response shapes of the events API (they also validate the pages' input)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from barcamp.common.api import ApiDateTime
from barcamp.common.text import Line, Text
from barcamp.common.times import as_wall_clock, forum_time
from barcamp.events.enums import Phase, VotingMode

Text200 = Line(200)
ThemeName = Line(120, 1)
#: when a forum starts, on the forum's wall clock: a naive time is Europe/Paris, an offset is converted
StartsAt = Annotated[ApiDateTime, AfterValidator(as_wall_clock)]
#: a forum's start in a response: its wall-clock time with the Europe/Paris offset of that day
StartsAtOut = Annotated[datetime, AfterValidator(forum_time)]


class VotingRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: VotingMode = VotingMode.DOTS
    dots: int = Field(3, ge=1, le=100, description="dots per participant (mode dots)")
    max_per_proposal: int = Field(2, ge=1, le=100, description="most dots on one topic (mode dots)")

    @model_validator(mode="after")
    def _max_within_budget(self):
        if self.max_per_proposal > self.dots:  # a rule no schema states: its own error code (422 max_over_budget)
            raise PydanticCustomError("max_over_budget", "max_per_proposal must not exceed dots")
        return self


class EventCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Line(200, 1)
    starts_at: StartsAt | None = None
    place: Text200 = ""
    description: Text(5000) = ""
    themes: list[ThemeName] = Field(default_factory=list, max_length=20)
    voting: VotingRules = Field(default_factory=VotingRules)
    #: icebreaker quiz slug (a file of content/quizzes/); default: the style-innovation quiz
    quiz: Line(60, 1) | None = None


class PhaseChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phase: Phase


class ThemeOut(BaseModel):
    id: int
    name: str


class VotingRulesOut(BaseModel):
    mode: VotingMode
    dots: int
    max_per_proposal: int


class EventOut(BaseModel):
    id: int
    title: str
    starts_at: StartsAtOut | None
    place: str
    description: str
    phase: Phase
    join_code: str
    join_url: str
    voting: VotingRulesOut
    themes: list[ThemeOut]
    next_phases: list[Phase]


class EventCreated(EventOut):
    projector_url: str
    qr_svg_url: str
    qr_png_url: str
