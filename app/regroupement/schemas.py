"""Shapes of the regroupement API."""
from __future__ import annotations


from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, RootModel

from barcamp.common.api import UtcDateTime
from barcamp.proposals.schemas import Description, ProposalOut, Title


#: a similarity threshold as typed in a query string (a decimal comma is accepted); its range is checked by the view
ThresholdText = Annotated[str, Field(max_length=20, pattern=r"^\s*[0-9]*[.,]?[0-9]+\s*$",
                                     description="0.05 to 1 (a decimal comma is accepted); out of range: 422 "
                                                 "invalid_threshold")]


class SimilarQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown parameter is a 400, as an unknown body field is a 422
    text: str = Field("", description="the text to compare (its first 300 characters)")
    threshold: ThresholdText | None = None
    limit: int = Field(5, ge=1, le=5, description="how many topics at most")


class GroupsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown parameter is a 400, as an unknown body field is a 422
    threshold: ThresholdText | None = None


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
