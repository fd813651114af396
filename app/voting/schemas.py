"""Shapes of the voting API."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from barcamp.events.enums import VotingMode


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: int = Field(ge=0, le=100, description="absolute value: dots on this topic, 0-1, or grade 0-4; 0 removes")


class SocketVoteIn(VoteIn):
    proposal_id: int


class VoteOut(BaseModel):
    value: int
    remaining: int | None


class MyVotes(BaseModel):
    votes: dict[int, int]
    remaining: int | None


class RankingEntry(BaseModel):
    proposal_id: int
    title: str
    score: float
    rank: int
    voters: int
    #: majority judgment only: the majority grade (0-4)
    grade: int | None = None


class Results(BaseModel):
    mode: VotingMode
    ranking: list[RankingEntry]
    participants_voted: int
