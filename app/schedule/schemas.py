"""JSON shapes of the grid API."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from barcamp.common.api import ApiDateTime
from barcamp.common.text import Line


class RoomIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Line(120, 1)
    capacity: int = Field(ge=1, le=10000)


class RoomOut(BaseModel):
    id: int
    name: str
    capacity: int


class RoomList(BaseModel):
    rooms: list[RoomOut]


class SlotIn(BaseModel):
    """Naive times are the forum's local time (Europe/Paris)."""

    model_config = ConfigDict(extra="forbid")
    starts_at: ApiDateTime
    ends_at: ApiDateTime


class SlotOut(BaseModel):
    id: int
    starts_at: datetime
    ends_at: datetime
    label: str


class SlotList(BaseModel):
    slots: list[SlotOut]


class SessionOut(BaseModel):
    id: int
    proposal_id: int
    title: str
    room_id: int | None
    slot_id: int | None
    locked: bool
    format: str | None
    format_name: str | None
    facilitator_id: int | None
    capacity: int | None
    confirmed: int
    waiting: int


class MySignup(BaseModel):
    session_id: int
    status: Literal["confirmed", "waiting"]
    position: int | None = None


class GridOut(BaseModel):
    published: bool
    rooms: list[RoomOut] = []
    slots: list[SlotOut] = []
    sessions: list[SessionOut] = []
    #: participants only: their own sign-ups ("mon programme")
    me: list[MySignup] | None = None


class Figures(BaseModel):
    voters: int = Field(description="voters with at least one top choice among the scheduled topics")
    satisfied_voters: int = Field(description="voters whose top choices are all in different slots")
    top_choices: int
    attendable_choices: int = Field(description="top choices a voter can attend, one per slot, summed")
    person_conflicts: int
    iterations: int | None = None


class AutoOut(GridOut):
    scheduler: Figures
    baseline: Figures
    unscheduled: list[int]


class SessionPlace(BaseModel):
    model_config = ConfigDict(extra="forbid")
    room_id: int | None
    slot_id: int | None
    locked: bool | None = None
    #: workshop format slug (content/formats/); "" or null clears it
    format: str | None = None
    facilitator_id: int | None = None


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    published: bool


class SignupOut(BaseModel):
    status: Literal["confirmed", "waiting", "cancelled"]
    position: int | None = None
