"""Shapes of the join API."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from barcamp.common.text import Line
from barcamp.participants.enums import Profile


class JoinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Line(20, 1)
    name: Line(60) = ""
    profile: Profile | None = None


class JoinResponse(BaseModel):
    token: str
    participant_id: int
    event_id: int
