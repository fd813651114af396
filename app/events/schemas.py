"""Request and response shapes of the events API (they also validate the pages' input)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.common.text import CleanLine, CleanText
from app.events.enums import Phase, VotingMode

Text200 = Annotated[str, CleanLine, StringConstraints(strip_whitespace=True, max_length=200)]
ThemeName = Annotated[str, CleanLine, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class VotingRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: VotingMode = VotingMode.DOTS
    dots: int = Field(3, ge=1, le=100, description="dots per participant (mode dots)")
    max_per_proposal: int = Field(2, ge=1, le=100, description="most dots on one topic (mode dots)")

    @model_validator(mode="after")
    def _max_within_budget(self):
        if self.max_per_proposal > self.dots:
            raise ValueError("max_per_proposal must not exceed dots")
        return self


class EventCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Annotated[str, CleanLine, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    starts_at: datetime | None = None
    place: Text200 = ""
    description: Annotated[str, CleanText, StringConstraints(strip_whitespace=True, max_length=5000)] = ""
    themes: list[ThemeName] = Field(default_factory=list, max_length=20)
    voting: VotingRules = Field(default_factory=VotingRules)
    #: icebreaker quiz slug (a file of content/quizzes/); default: the style-innovation quiz
    quiz: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)] | None = None


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
    starts_at: datetime | None
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
