"""Request and response shapes of the restitution API."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.common.api import UtcDateTime

LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class RestitutionSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    context: LongText = ""
    dates: ShortText = ""
    place: ShortText = ""
    thanks: LongText = ""
    include_names: bool = Field(False, description="show participants' pseudonyms in the document")
    chapter_order: list[int] | None = Field(None, description="every workshop id of the forum, once, in chapter order")


class RestitutionSettingsOut(BaseModel):
    event_id: int
    context: str
    dates: str
    place: str
    thanks: str
    include_names: bool
    chapter_order: list[int]
    published: bool
    published_at: UtcDateTime | None
    public_url: str | None
