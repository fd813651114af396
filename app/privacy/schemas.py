"""Shapes of the privacy API."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organisation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    secret_ballot: bool | None = None
    retention_months: int | None = Field(None, ge=1, le=120)
    report_threshold: int | None = Field(None, ge=1, le=100)


class PolicyOut(BaseModel):
    organisation: str
    secret_ballot: bool
    retention_months: int
    report_threshold: int
    #: when the forum's personal data will be erased (ISO 8601)
    erase_after: str
    ballots_sealed: bool
    purged: bool


class BallotTopic(BaseModel):
    id: int
    title: str


class BallotRow(BaseModel):
    #: per-forum pseudonymous voter id (never the participant's id)
    voter: str
    proposal_id: int
    title: str
    value: int


class BallotBox(BaseModel):
    event_id: int
    title: str
    mode: str
    phase: str
    topics: list[BallotTopic]
    ballots: list[BallotRow]


class ForgetOut(BaseModel):
    topics: list[int]
    votes_withdrawn: int
    votes_kept_anonymously: int
    quiz_answers: int
    cards: int
    #: workshops whose board changed (cards removed, dots withdrawn): open boards get it without them
    workshops: list[int]


class AccountDelete(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(max_length=1024)


class AccountExport(BaseModel):
    model_config = ConfigDict(extra="allow")
    account: dict
    forums: list[dict]
