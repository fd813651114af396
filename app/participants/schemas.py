"""Shapes of the join API."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from app.common.text import CleanLine
from app.participants.enums import Profile


class JoinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    name: Annotated[str, CleanLine, StringConstraints(strip_whitespace=True, max_length=60)] = ""
    profile: Profile | None = None


class JoinResponse(BaseModel):
    token: str
    participant_id: int
    event_id: int
