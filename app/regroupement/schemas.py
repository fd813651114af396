"""Shapes of the regroupement API."""
from __future__ import annotations


from pydantic import BaseModel, ConfigDict, Field, RootModel

from app.common.api import UtcDateTime
from app.proposals.schemas import Description, ProposalOut, Title


class SimilarTopic(BaseModel):
    proposal_id: int
    title: str
    #: cosine similarity of the normalised titles' character n-grams, 0-1
    similarity: float


class SimilarList(RootModel[list[SimilarTopic]]):
    """Up to 5 visible topics similar to the text, best first."""


class TopicMergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: merge into this existing topic (kept, retitled); without it, a new topic is created
    into: int | None = None
    proposal_ids: list[int] = Field(min_length=1, max_length=200)
    title: Title
    description: Description | None = None


class MergeOut(BaseModel):
    id: int
    event_id: int
    result_id: int | None
    created_result: bool
    title: str
    #: the topics the merge absorbed (hidden while it holds)
    source_ids: list[int]
    created_at: UtcDateTime
    undone_at: UtcDateTime | None
    #: the result topic, while it exists
    result: ProposalOut | None = None


class MergeList(BaseModel):
    merges: list[MergeOut]


class GroupMember(BaseModel):
    proposal_id: int
    title: str
    #: mean similarity to the rest of the group
    cohesion: float


class GroupList(BaseModel):
    threshold: float
    groups: list[list[GroupMember]]


class Original(BaseModel):
    id: int
    title: str
    description: str
    author_name: str


class Trail(BaseModel):
    proposal_id: int
    merged_count: int
    originals: list[Original]
