"""Quiz files of content/quizzes/: loaded once, validated, with errors that name file and field."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from app.quiz.enums import QuizKind

#: the quiz a new forum gets unless the organiser picks another
DEFAULT_QUIZ = "style-innovation"
#: content/quizzes/, from the application root (never the working directory)
QUIZ_DIR = Path(__file__).resolve().parent.parent.parent / "content" / "quizzes"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ContentError(Exception):
    """A quiz file that cannot be used: the message names the file, the field and what is wrong."""

    def __init__(self, path: Path, field: str, problem: str) -> None:
        self.path, self.field, self.problem = path, field, problem
        super().__init__(f"{_display(path)}: {field}: {problem}")


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(QUIZ_DIR.parent.parent))
    except ValueError:
        return str(path)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProfileEn(_Strict):
    """English version of a profile (optional `en:` key next to the French)."""

    name: Text
    description: Text
    example: Text
    attention: Text


class Profile(_Strict):
    symbol: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4)]
    name: Text
    description: Text
    example: Text
    attention: Text
    en: ProfileEn | None = None


class Answer(_Strict):
    text: Text
    #: profile quizzes: the symbol of the profile this answer counts for
    profile: str | None = None


class QuestionEn(_Strict):
    """English version of a question: its text and its answers' texts, in the same order."""

    text: Text
    answers: list[Text]


class Question(_Strict):
    text: Text
    en: QuestionEn | None = None
    answers: list[Answer] = Field(min_length=2, max_length=6)
    #: scored quizzes: index of the right answer and the points it earns
    correct: int | None = None
    points: int = Field(1000, ge=0, le=100_000)


class SpeedBonus(_Strict):
    max_points: int = Field(ge=0, le=100_000)
    window_seconds: float = Field(gt=0, le=600)


class QuizEn(_Strict):
    title: Text
    intro: str = ""
    credit: str = ""
    note: str = ""


class Quiz(_Strict):
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]
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
                raise _FieldError("profiles", "a profile quiz needs at least two profiles")
            if len(set(symbols)) != len(symbols):
                raise _FieldError("profiles", "two profiles share a symbol")
        for qi, question in enumerate(self.questions):
            where = f"questions[{qi}]"
            if question.en is not None and len(question.en.answers) != len(question.answers):
                raise _FieldError(f"{where}.en.answers", f"{len(question.en.answers)} English answers for "
                                                         f"{len(question.answers)} French ones")
            if self.kind == QuizKind.SCORED:
                if question.correct is None:
                    raise _FieldError(f"{where}.correct", "missing: a scored question needs its right answer")
                if not 0 <= question.correct < len(question.answers):
                    raise _FieldError(
                        f"{where}.correct",
                        f"answer index {question.correct} out of range (0-{len(question.answers) - 1})",
                    )
            else:
                for ai, answer in enumerate(question.answers):
                    if answer.profile not in symbols:
                        raise _FieldError(
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


class _FieldError(ValueError):
    """Raised by validators to point at one field (pydantic wraps it; we unwrap it)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


def _loc(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def load_quiz_file(path: Path) -> Quiz:
    """Parse and validate one quiz file, or raise ContentError."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise ContentError(path, where, f"malformed YAML: {getattr(exc, 'problem', None) or exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, "(file)", f"unreadable: {exc}") from None
    if not isinstance(raw, dict):
        raise ContentError(path, "(root)", "the file must hold a mapping (slug, kind, title, questions…)")
    try:
        quiz = Quiz.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, _FieldError):
            raise ContentError(path, cause.field, cause.problem) from None
        problem = "missing" if first["type"] == "missing" else first["msg"]
        raise ContentError(path, _loc(first["loc"]), problem) from None
    return quiz


_cache: dict[Path, dict[str, Quiz]] = {}
_cache_lock = threading.Lock()


def load_quizzes(directory: Path | None = None, *, reload: bool = False) -> dict[str, Quiz]:
    """Every quiz of the directory by slug, validated once and cached."""
    directory = (directory or QUIZ_DIR).resolve()
    with _cache_lock:
        if reload or directory not in _cache:
            quizzes: dict[str, Quiz] = {}
            for path in sorted(directory.glob("*.y*ml")):
                quiz = load_quiz_file(path)
                if quiz.slug in quizzes:
                    raise ContentError(path, "slug", f"{quiz.slug!r} is already used by another file")
                quizzes[quiz.slug] = quiz
            _cache[directory] = quizzes
        return _cache[directory]


def _locale() -> str:
    from flask import has_request_context

    if not has_request_context():  # socket broadcasts and CLI: the source language
        return "fr"
    from flask_babel import get_locale

    return str(get_locale() or "fr")


def get_quiz(slug: str) -> Quiz | None:
    """The quiz in the request's language (English texts from `en:` keys when they exist)."""
    quiz = load_quizzes().get(slug)
    return quiz.localized(_locale()) if quiz else None


def quiz_choices() -> list[tuple[str, str]]:
    """(slug, title) of every available quiz, the default first."""
    quizzes = load_quizzes()
    return sorted(((s, q.localized(_locale()).title) for s, q in quizzes.items()),
                  key=lambda c: (c[0] != DEFAULT_QUIZ, c[1]))
