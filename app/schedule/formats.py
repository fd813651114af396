"""Workshop formats of content/formats/: loaded once, validated, with errors that name file and field."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from barcamp.common.content import CONTENT_DIR, ContentError, Slug, Strict, cached, content_locale, load_file, yaml_files

#: content/formats/, from the application root (never the working directory)
FORMATS_DIR = CONTENT_DIR / "formats"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]

#: a format file that cannot be used (the shared content error: file, field, problem)
FormatError = ContentError


class FormatEn(Strict):
    """English version of a format's texts (optional `en:` key next to the French; docs/i18n.md)."""

    name: Text
    teinte: Text
    modalites: Text
    jauge_note: str = ""
    deroule: list[Text] = Field(min_length=1, max_length=12)
    public: Text
    finalites: list[Text] = Field(default_factory=list, max_length=12)
    facilitator_profile: str = ""


class WorkshopFormat(Strict):
    """One workshop format: a model of session with its maximum group size (jauge)."""

    slug: Slug
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


def load_format_file(path: Path) -> WorkshopFormat:
    """Parse and validate one format file, or raise FormatError."""
    fmt = load_file(path, WorkshopFormat, "slug, name, jauge, deroule…")
    if fmt.slug != path.stem:
        raise FormatError(path, "slug", f"{fmt.slug!r} must match the file name {path.stem!r}")
    return fmt


def load_formats(directory: Path | None = None, *, reload: bool = False) -> dict[str, WorkshopFormat]:
    """Every format of the directory by slug, validated once and cached."""
    directory = (directory or FORMATS_DIR).resolve()
    return cached("formats", directory,
                  lambda: {fmt.slug: fmt for fmt in map(load_format_file, yaml_files(directory))}, reload=reload)


def get_format(slug: str | None) -> WorkshopFormat | None:
    """The format in the request's language (English texts from `en:` when they exist)."""
    fmt = load_formats().get(slug) if slug else None
    return fmt.localized(content_locale()) if fmt else None


def format_choices() -> list[tuple[str, str]]:
    """(slug, "name (jauge)") of every format, by name, in the request's language."""
    formats = [f.localized(content_locale()) for f in load_formats().values()]
    return sorted(((f.slug, f"{f.name} ({f.jauge})") for f in formats), key=lambda c: c[1])
