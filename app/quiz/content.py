"""Quiz files of content/quizzes/: loaded once, validated, with errors that name file and field."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from barcamp.common.content import (
    CONTENT_DIR,
    ContentError,
    FieldError,
    Slug,
    Strict,
    cached,
    content_locale,
    load_file,
    yaml_files,
)
from barcamp.quiz.enums import QuizKind

#: the quiz a new forum gets unless the organiser picks another
DEFAULT_QUIZ = "style-innovation"
#: content/quizzes/, from the application root (never the working directory)
QUIZ_DIR = CONTENT_DIR / "quizzes"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ProfileEn(Strict):
    """English version of a profile (optional `en:` key next to the French)."""

    name: Text
    description: Text
    example: Text
    attention: Text


class Profile(Strict):
    symbol: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4)]
    name: Text
    description: Text
    example: Text
    attention: Text
    en: ProfileEn | None = None


class Answer(Strict):
    text: Text
    #: profile quizzes: the symbol of the profile this answer counts for
    profile: str | None = None


class QuestionEn(Strict):
    """English version of a question: its text and its answers' texts, in the same order."""

    text: Text
    answers: list[Text]


class Question(Strict):
    text: Text
    en: QuestionEn | None = None
    answers: list[Answer] = Field(min_length=2, max_length=6)
    #: scored quizzes: index of the right answer and the points it earns
    correct: int | None = None
    points: int = Field(1000, ge=0, le=100_000)


class SpeedBonus(Strict):
    max_points: int = Field(ge=0, le=100_000)
    window_seconds: float = Field(gt=0, le=600)


class QuizEn(Strict):
    title: Text
    intro: str = ""
    credit: str = ""
    note: str = ""


class Quiz(Strict):
    slug: Slug
    en: QuizEn | None = None
    kind: QuizKind
    title: Text
    intro: str = ""
    credit: str = ""
    note: str = ""
    profiles: list[Profile] = Field(default_factory=list)
    questions: list[Question] = Field(min_length=1, max_length=50)
    speed_bonus: SpeedBonus | None = None

    @model_validator(mode="after")
    def _consistent(self):
        symbols = [p.symbol for p in self.profiles]
        if self.kind == QuizKind.PROFILE:
            if len(symbols) < 2:
                raise FieldError("profiles", "a profile quiz needs at least two profiles")
            if len(set(symbols)) != len(symbols):
                raise FieldError("profiles", "two profiles share a symbol")
        for qi, question in enumerate(self.questions):
            where = f"questions[{qi}]"
            if question.en is not None and len(question.en.answers) != len(question.answers):
                raise FieldError(f"{where}.en.answers", f"{len(question.en.answers)} English answers for "
                                                         f"{len(question.answers)} French ones")
            if self.kind == QuizKind.SCORED:
                if question.correct is None:
                    raise FieldError(f"{where}.correct", "missing: a scored question needs its right answer")
                if not 0 <= question.correct < len(question.answers):
                    raise FieldError(
                        f"{where}.correct",
                        f"answer index {question.correct} out of range (0-{len(question.answers) - 1})",
                    )
            else:
                for ai, answer in enumerate(question.answers):
                    if answer.profile not in symbols:
                        raise FieldError(
                            f"{where}.answers[{ai}].profile",
                            f"{answer.profile!r} is not a profile symbol ({', '.join(symbols)})",
                        )
        return self

    # -- reading helpers -------------------------------------------------------------------
    @property
    def symbols(self) -> list[str]:
        return [p.symbol for p in self.profiles]

    def profile(self, symbol: str) -> Profile:
        return next(p for p in self.profiles if p.symbol == symbol)

    def localized(self, locale: str) -> Quiz:
        """This quiz with its English texts (`en:` keys) when locale is "en" and they exist."""
        if locale != "en":
            return self
        profiles = [p.model_copy(update=p.en.model_dump()) if p.en else p for p in self.profiles]
        questions = []
        for q in self.questions:
            if q.en is None:
                questions.append(q)
                continue
            answers = [a.model_copy(update={"text": text}) for a, text in zip(q.answers, q.en.answers)]
            questions.append(q.model_copy(update={"text": q.en.text, "answers": answers}))
        update = {"profiles": profiles, "questions": questions}
        if self.en is not None:
            update.update({k: v for k, v in self.en.model_dump().items() if v})
        return self.model_copy(update=update)

    def public(self) -> dict:
        """The quiz as screens see it (scored quizzes keep their right answers to themselves)."""
        return {
            "slug": self.slug,
            "kind": self.kind.value,
            "title": self.title,
            "intro": self.intro,
            "credit": self.credit,
            "note": self.note,
            "profiles": [p.model_dump(exclude={"en"}) for p in self.profiles],
            "questions": [
                {
                    "index": i,
                    "text": q.text,
                    "answers": [
                        {"index": j, "text": a.text, **({"profile": a.profile} if a.profile else {})}
                        for j, a in enumerate(q.answers)
                    ],
                }
                for i, q in enumerate(self.questions)
            ],
        }


def load_quiz_file(path: Path) -> Quiz:
    """Parse and validate one quiz file, or raise ContentError."""
    return load_file(path, Quiz, "slug, kind, title, questions…")


def _load_directory(directory: Path) -> dict[str, Quiz]:
    quizzes: dict[str, Quiz] = {}
    for path in yaml_files(directory):
        quiz = load_quiz_file(path)
        if quiz.slug in quizzes:
            raise ContentError(path, "slug", f"{quiz.slug!r} is already used by another file")
        quizzes[quiz.slug] = quiz
    return quizzes


def load_quizzes(directory: Path | None = None, *, reload: bool = False) -> dict[str, Quiz]:
    """Every quiz of the directory by slug, validated once and cached."""
    directory = (directory or QUIZ_DIR).resolve()
    return cached("quizzes", directory, lambda: _load_directory(directory), reload=reload)


def get_quiz(slug: str) -> Quiz | None:
    """The quiz in the request's language (English texts from `en:` keys when they exist)."""
    quiz = load_quizzes().get(slug)
    return quiz.localized(content_locale()) if quiz else None


def quiz_choices() -> list[tuple[str, str]]:
    """(slug, title) of every available quiz, the default first."""
    quizzes = load_quizzes()
    return sorted(((s, q.localized(content_locale()).title) for s, q in quizzes.items()),
                  key=lambda c: (c[0] != DEFAULT_QUIZ, c[1]))
