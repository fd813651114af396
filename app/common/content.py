"""Content files of content/: read once, parsed as YAML, validated, with errors that name file and field.

An area keeps only its schema (pydantic models) and calls `load_file` for one file, `yaml_files` to
list a folder and `cached` to load it once per process. Every problem is a `ContentError` naming the
file (relative to the application root when it is inside it), the field and what is wrong; a
malformed file stops start-up (`create_app` loads every area's content).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from barcamp import paths

#: the application root (content paths never depend on the working directory)
#: content/, the shipped quizzes, workshop formats, glossary and library
CONTENT_DIR = paths.CONTENT
APP_ROOT = CONTENT_DIR.parent

#: the slug of a content item: lower-case letters, digits and dashes
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class ContentError(Exception):
    """A content file that cannot be used: the message names the file, the field and what is wrong."""

    def __init__(self, path: Path, field: str, problem: str) -> None:
        self.path, self.field, self.problem = path, field, problem
        super().__init__(f"{display(path)}: {field}: {problem}")


class FieldError(ValueError):
    """Raised by a model validator to point at one field (pydantic wraps it; `load_file` unwraps it)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


class Strict(BaseModel):
    """A content model: unknown keys are errors (a typo must not pass silently), values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def display(path: Path) -> str:
    """The path as an error shows it: from the application root when it is inside it."""
    try:
        return str(path.relative_to(APP_ROOT))
    except ValueError:
        return str(path)


def location(parts, raw) -> str:
    """Readable location of a validation error; list items are named by their id or slug when they have one."""
    out, node = "", raw
    for part in parts:
        if isinstance(part, int):
            name = ""
            if isinstance(node, list) and part < len(node) and isinstance(node[part], dict):
                name = node[part].get("id") or node[part].get("slug") or ""
            out += f"[{part}]" + (f" ({name})" if name else "")
        else:
            out += f".{part}" if out else str(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return out or "(root)"


def read_yaml(path: Path, expected: str = "") -> dict:
    """The file's YAML mapping, or a ContentError (unreadable, malformed, not a mapping).

    `expected` lists the keys the file should hold, for the "not a mapping" message.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise ContentError(path, where, f"malformed YAML: {getattr(exc, 'problem', None) or exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, "(file)", f"unreadable: {exc}") from None
    if not isinstance(raw, dict):
        raise ContentError(path, "(root)", "the file must hold a mapping" + (f" ({expected})" if expected else ""))
    return raw


def load_file(path: Path, model: type[M], expected: str = "") -> M:
    """Parse one YAML file and validate it with the model, or raise a ContentError on the first problem."""
    raw = read_yaml(path, expected)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, FieldError):
            raise ContentError(path, cause.field, cause.problem) from None
        problem = "missing" if first["type"] == "missing" else first["msg"]
        raise ContentError(path, location(first["loc"], raw), problem) from None


def yaml_files(directory: Path) -> list[Path]:
    """The YAML files of a folder, by name (the order content is loaded and listed in)."""
    return sorted(directory.glob("*.y*ml"))


_cache: dict[tuple[str, Hashable], object] = {}
_cache_lock = threading.RLock()


def cached(kind: str, key: Hashable, build: Callable[[], T], *, reload: bool = False) -> T:
    """`build()` once per (kind, key) for the life of the process, or again with reload=True."""
    with _cache_lock:
        if reload or (kind, key) not in _cache:
            _cache[kind, key] = build()
        return _cache[kind, key]  # type: ignore[return-value]


def content_locale() -> str:
    """The request's language for content texts; the source language (French) outside a request."""
    from flask import has_request_context

    if not has_request_context():  # socket broadcasts and the CLI
        return "fr"
    from flask_babel import get_locale

    return str(get_locale() or "fr")
