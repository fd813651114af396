"""Workshop formats of content/formats/: loaded once, validated, with errors that name file and field."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

#: content/formats/, from the application root (never the working directory)
FORMATS_DIR = Path(__file__).resolve().parent.parent.parent / "content" / "formats"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class FormatError(Exception):
    """A format file that cannot be used: the message names the file, the field and what is wrong."""

    def __init__(self, path: Path, field: str, problem: str) -> None:
        self.path, self.field, self.problem = path, field, problem
        super().__init__(f"{_display(path)}: {field}: {problem}")


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(FORMATS_DIR.parent.parent))
    except ValueError:
        return str(path)


class FormatEn(BaseModel):
    """English version of a format's texts (optional `en:` key next to the French; docs/i18n.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Text
    teinte: Text
    modalites: Text
    jauge_note: str = ""
    deroule: list[Text] = Field(min_length=1, max_length=12)
    public: Text
    finalites: list[Text] = Field(default_factory=list, max_length=12)
    facilitator_profile: str = ""


class WorkshopFormat(BaseModel):
    """One workshop format: a model of session with its maximum group size (jauge)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]
    #: name of the example module, e.g. "Super-agent-public"
    name: Text
    #: the "teinte" (family of skills) of the Nuancier the module illustrates
    teinte: Text
    #: duration and setting as the source describes them
    modalites: Text
    #: the source module's shortest duration, in minutes (a forum session may be shorter)
    duration_minutes: int = Field(ge=15, le=60 * 24 * 5)
    #: maximum group size per facilitator
    jauge: int = Field(ge=2, le=500)
    #: the source's wording of the jauge
    jauge_note: str = ""
    #: agenda, one step per item
    deroule: list[Text] = Field(min_length=1, max_length=12)
    #: who the module is for
    public: Text
    #: what the module aims at (optional)
    finalites: list[Text] = Field(default_factory=list, max_length=12)
    #: who runs it
    facilitator_profile: str = ""
    #: where the content comes from (required: the source's licence asks for credit)
    credit: Text
    #: English texts (optional)
    en: FormatEn | None = None

    def localized(self, locale: str) -> WorkshopFormat:
        """This format with its English texts when locale is "en" and they exist."""
        if locale != "en" or self.en is None:
            return self
        return self.model_copy(update=self.en.model_dump(exclude_unset=True))

    def public_view(self) -> dict:
        return self.model_dump(exclude={"en"})


def _loc(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def load_format_file(path: Path) -> WorkshopFormat:
    """Parse and validate one format file, or raise FormatError."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise FormatError(path, where, f"malformed YAML: {getattr(exc, 'problem', None) or exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(path, "(file)", f"unreadable: {exc}") from None
    if not isinstance(raw, dict):
        raise FormatError(path, "(root)", "the file must hold a mapping (slug, name, jauge, deroule…)")
    try:
        fmt = WorkshopFormat.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        problem = "missing" if first["type"] == "missing" else first["msg"]
        raise FormatError(path, _loc(first["loc"]), problem) from None
    if fmt.slug != path.stem:
        raise FormatError(path, "slug", f"{fmt.slug!r} must match the file name {path.stem!r}")
    return fmt


_cache: dict[Path, dict[str, WorkshopFormat]] = {}
_cache_lock = threading.Lock()


def load_formats(directory: Path | None = None, *, reload: bool = False) -> dict[str, WorkshopFormat]:
    """Every format of the directory by slug, validated once and cached."""
    directory = (directory or FORMATS_DIR).resolve()
    with _cache_lock:
        if reload or directory not in _cache:
            _cache[directory] = {fmt.slug: fmt for fmt in map(load_format_file, sorted(directory.glob("*.y*ml")))}
        return _cache[directory]


def _locale() -> str:
    from flask import has_request_context

    if not has_request_context():  # broadcasts, CLI: the source language
        return "fr"
    from flask_babel import get_locale

    return str(get_locale() or "fr")


def get_format(slug: str | None) -> WorkshopFormat | None:
    """The format in the request's language (English texts from `en:` when they exist)."""
    fmt = load_formats().get(slug) if slug else None
    return fmt.localized(_locale()) if fmt else None


def format_choices() -> list[tuple[str, str]]:
    """(slug, "name (jauge)") of every format, by name, in the request's language."""
    formats = [f.localized(_locale()) for f in load_formats().values()]
    return sorted(((f.slug, f"{f.name} ({f.jauge})") for f in formats), key=lambda c: c[1])
