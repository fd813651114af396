"""Shapes of the moderation API."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""


class ReportOut(BaseModel):
    proposal_id: int
    #: the topic's status after this report (hidden once the forum's threshold is reached)
    status: str


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["restore", "confirm"]


class ReportedTopic(BaseModel):
    proposal_id: int
    title: str
    status: str
    reports: int
    reasons: list[str]


class ReportedCard(BaseModel):
    card_id: int
    workshop_id: int
    text: str
    #: visible, hidden (moderation, pending review), deleted (by its author) or merged (into another card)
    status: str
    reports: int
    reasons: list[str]


class CardReportOut(BaseModel):
    card_id: int
    #: visible, hidden (pending review) once the forum's threshold is reached, deleted (by its author: a
    #: restore never brings it back) or merged
    status: str


class ReportList(BaseModel):
    threshold: int
    topics: list[ReportedTopic]
    cards: list[ReportedCard]
