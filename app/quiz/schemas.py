"""Shapes of the quiz API and socket messages."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from barcamp.quiz.enums import QuizMode


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    choice: int = Field(ge=0, le=50, description="index of the chosen answer (absolute: replaces a previous one)")


class SocketAnswerIn(AnswerIn):
    question: int = Field(ge=0, le=100, description="index of the question")


class QuizSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quiz: str | None = Field(None, max_length=60, description="quiz slug; frozen once the icebreaker opened")
    mode: QuizMode | None = None
    countdown: int | None = Field(None, ge=5, le=600,
                                  description="seconds per live question; null switches the countdown off")


class QuizControlIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["open", "close", "results"]
    question: int | None = Field(None, ge=0, le=100, description="open: this question (default: the next one)")


class ProfileOut(BaseModel):
    symbol: str
    name: str
    description: str
    example: str
    attention: str


class AnswerOut(BaseModel):
    index: int
    text: str
    profile: str | None = None


class QuestionOut(BaseModel):
    index: int
    text: str
    answers: list[AnswerOut]


class QuizStateOut(BaseModel):
    slug: str
    kind: Literal["profile", "scored"]
    mode: QuizMode
    status: Literal["waiting", "open", "closed", "results"]
    question: int | None = Field(description="live mode: the current question")
    question_count: int
    countdown: int | None
    opened_at: str | None
    deadline: str | None
    accepting: bool
    started: bool
    answered: int | None = None
    counts: list[int] | None = None
    correct: int | None = None
    results: dict | None = None


class QuizOut(BaseModel):
    slug: str
    kind: Literal["profile", "scored"]
    title: str
    intro: str
    credit: str
    note: str
    profiles: list[ProfileOut]
    questions: list[QuestionOut]
    state: QuizStateOut


class MyProfile(BaseModel):
    symbols: list[str]
    mixed: bool
    counts: dict[str, int]
    profiles: list[ProfileOut]


class MyQuiz(BaseModel):
    participant_id: int
    answers: dict[str, int] = Field(description="question index → chosen answer index")
    complete: bool
    profile: MyProfile | None = None
    score: int | None = Field(None, description="scored quizzes: the points of the answers that can no longer "
                              "change (self-paced: null until every question is answered, the answers then final; "
                              "live: the closed questions)")


class QuestionCounts(BaseModel):
    index: int
    counts: list[int]


class LeaderboardEntry(BaseModel):
    rank: int
    participant_id: int
    name: str
    score: int


class QuizResults(BaseModel):
    quiz: str
    kind: Literal["profile", "scored"]
    respondents: int
    questions: list[QuestionCounts]
    profiles: dict[str, int] | None = Field(None, description="profile quizzes: participants per clear majority")
    mixed: int | None = Field(None, description="profile quizzes: participants with a tie (mixed profile)")
    mixed_profiles: dict[str, int] | None = None
    leaderboard: list[LeaderboardEntry] | None = None
