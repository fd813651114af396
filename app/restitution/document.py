"""The assembled restitution: one plain dataclass model that every export format renders.

Nothing here reads the database; `services.assemble` fills it. Every renderer (Markdown, HTML,
PDF, DOCX, CSV, JSON) walks this model, so the formats cannot drift apart.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from flask_babel import lazy_gettext as _l

#: bumped when the JSON open-data shape changes (docs/open-data.md)
SCHEMA_VERSION = "1.0"


@dataclass
class ProfileCount:
    """How many participants chose one profile category."""

    key: str
    label: str
    count: int


@dataclass
class QuizProfile:
    """One result profile of the icebreaker quiz and how many in the room got it."""

    symbol: str
    name: str
    count: int


@dataclass
class QuizSummary:
    """The room's profile after the icebreaker quiz."""

    title: str
    respondents: int
    profiles: list[QuizProfile]
    mixed: int = 0


@dataclass
class Topic:
    """A visible topic of the recensement."""

    id: int
    title: str
    description: str
    theme: str | None
    tags: list[str]
    score: float
    voters: int
    rank: int
    author: str | None = None


@dataclass
class Introduction:
    title: str
    dates: str
    place: str
    context: str
    thanks: str
    participants: int
    profiles: list[ProfileCount]
    quiz: QuizSummary | None


@dataclass
class CardItem:
    """A card of a workshop section (not a proposal)."""

    text: str
    author: str | None = None


@dataclass
class ProposalItem:
    """A numbered proposal of a workshop: "Nous proposons de…" #n."""

    number: int
    text: str
    gain: str
    indicator: str
    dots: int
    author: str | None = None


@dataclass
class Resource:
    """An entry of "Pour aller plus loin"."""

    title: str
    author: str = ""
    source: str = ""
    date: str = ""
    url: str = ""
    summary: str = ""


@dataclass
class Chapter:
    """One workshop, in the shape of the 2017 restitution."""

    workshop_id: int
    title: str
    description: str
    topics: list[str]
    constat: list[CardItem]
    questions: list[CardItem]
    proposals: list[ProposalItem]
    pistes: list[CardItem]
    conseils: list[CardItem]
    prochaine_etape: list[CardItem]
    indicateurs: list[CardItem]
    further_reading: list[Resource] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


#: the chapter's card sections after the proposals, as (attribute, French heading); the one list
#: every renderer walks, so the order of sections is defined once
SECTIONS_BEFORE = (("constat", _l("Constat")), ("questions", _l("Questions")))
SECTIONS_AFTER = (
    ("pistes", _l("Pistes pour agir")),
    ("conseils", _l("Conseils pour réussir")),
    ("prochaine_etape", _l("Prochaine étape")),
    ("indicateurs", _l("Indicateurs")),
)
PROPOSALS_HEADING = _l("Nous proposons de…")
FURTHER_READING_HEADING = _l("Pour aller plus loin")


@dataclass
class Restitution:
    """The whole document, in reading order: introduction, recensement, ranking, chapters."""

    event_id: int
    title: str
    generated_at: str
    include_names: bool
    intro: Introduction
    voting_mode: str
    voting_mode_label: str
    participants_voted: int
    topics: list[Topic]
    chapters: list[Chapter]
    themes: list[str] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    @property
    def ranking(self) -> list[Topic]:
        """Topics by rank (ties keep the recensement order)."""
        return sorted(self.topics, key=lambda t: (t.rank, t.id))

    def to_dict(self) -> dict:
        return asdict(self)
