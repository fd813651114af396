"""Shapes of the workshops API and socket messages."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from barcamp.common.api import UtcDateTime
from barcamp.workshops.enums import CardSection

TEXT_MAX = 2000


class WorkshopCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=5000)
    proposal_ids: list[int] = Field(default_factory=list, max_length=50,
                                    description="forum topics grouped into this workshop")
    dots_budget: int = Field(3, ge=1, le=100, description="dots per participant on this workshop's proposals")
    max_per_card: int = Field(2, ge=1, le=100, description="most dots one participant may put on one proposal")


class WorkshopPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, min_length=1, max_length=120, description="the new title")
    description: str | None = Field(None, max_length=5000)


class WorkshopsFromRanking(BaseModel):
    model_config = ConfigDict(extra="forbid")
    top: int = Field(ge=1, le=50, description="one workshop per topic, for the top N of the ranking")


class FacilitatorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organiser_id: int | None = Field(None, description="an organiser facilitates; with link=false and no id: nobody")
    link: bool = Field(False, description="issue a new facilitator link (a previous link stops working)")


class FacilitatorOut(BaseModel):
    facilitator: dict
    url: str | None = Field(None, description="the facilitator link, shown once; hand it to one participant")


class ClaimIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=10, max_length=100)


class CardCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section: CardSection
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    gain: str | None = Field(None, max_length=TEXT_MAX, description="propositions: what it gains")
    indicator: str | None = Field(None, max_length=TEXT_MAX, description="propositions: how to measure it")
    client_key: str | None = Field(None, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                   description="idempotency key (e.g. a UUID): resending it returns the same card")


class SocketCardCreate(CardCreate):
    workshop_id: int


class CardPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1, description="the version the change is based on; a stale one gets 409")
    text: str | None = Field(None, min_length=1, max_length=TEXT_MAX)
    gain: str | None = Field(None, max_length=TEXT_MAX)
    indicator: str | None = Field(None, max_length=TEXT_MAX)
    section: CardSection | None = None
    position: int | None = Field(None, ge=0, le=100_000, description="facilitator: order inside the section")
    number: int | None = Field(None, ge=1, le=1000, description="facilitator: proposal number (#1, #2…); null clears")


class SocketCardPatch(CardPatch):
    workshop_id: int
    card_id: int


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    target_id: int = Field(description="the card that stays")
    source_ids: list[int] = Field(min_length=1, max_length=50, description="cards merged into the target")
    target_version: int | None = Field(None, ge=1, description="optional: refuse with 409 if the target changed")


class SocketMergeIn(MergeIn):
    workshop_id: int


class SocketCardRef(BaseModel):
    workshop_id: int
    card_id: int


class DotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: int = Field(ge=0, le=100, description="absolute number of dots on this proposal; 0 removes them")


class SocketDotIn(DotIn):
    workshop_id: int
    card_id: int


class SocketCardReport(BaseModel):
    model_config = ConfigDict(extra="forbid")
    workshop_id: int
    card_id: int
    reason: str = Field("", max_length=300)


class SocketWorkshopRef(BaseModel):
    workshop_id: int


class DotOut(BaseModel):
    value: int
    remaining: int


class CardOut(BaseModel):
    id: int
    workshop_id: int
    section: CardSection
    text: str
    gain: str | None
    indicator: str | None
    number: int | None
    position: int
    version: int
    author_id: int | None
    merged_ids: list[int] = Field(description="cards merged into this one (their text was appended)")
    dots: int = Field(description="dots on this card, all participants")
    created_at: UtcDateTime
    updated_at: UtcDateTime


class WorkshopOut(BaseModel):
    id: int
    event_id: int
    title: str
    description: str
    position: int
    proposal_ids: list[int]
    topics: list[str]
    facilitator: dict = Field(description='{"kind": "organiser"|"participant"|"link"|null, "name"}')
    members: int
    cards: int
    dots_budget: int
    max_per_card: int
    deleted: bool = Field(False, description="true only in the last board message of a deleted workshop")


class WorkshopList(BaseModel):
    workshops: list[WorkshopOut]


class SectionOut(BaseModel):
    key: CardSection
    label: str
    cards: list[CardOut]


class BoardMe(BaseModel):
    kind: str
    facilitator: bool
    member: bool
    participant_id: int | None = None
    dots: dict[int, int] = Field(default_factory=dict)
    remaining: int | None = None
    reported: list[int] = Field(default_factory=list, description="cards of this board the participant reported")


class BoardOut(BaseModel):
    version: int
    workshop: WorkshopOut
    sections: list[SectionOut]
    me: BoardMe | None = None
