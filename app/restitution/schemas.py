"""Request and response shapes of the restitution API."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from barcamp.common.api import UtcDateTime
from barcamp.common.text import Line, Text

LongText = Text(10_000)
ShortText = Line(200)


class RestitutionSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    context: LongText = ""
    dates: ShortText = ""
    place: ShortText = ""
    thanks: LongText = ""
    include_names: bool = Field(False, description="show participants' pseudonyms in the document")
    chapter_order: list[int] | None = Field(None, description="every workshop id of the forum, once, in chapter order")


#: the export formats, as app/restitution/exports.py names them (a test keeps both lists equal)
EXPORT_FORMATS = ("md", "html", "pdf", "docx", "csv", "json")


class ExportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown parameter is a 400, as an unknown body field is a 422
    format: str = Field(description="md, html, pdf, docx, csv or json; another one is 400 invalid_format",
                        json_schema_extra={"enum": list(EXPORT_FORMATS)})


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
