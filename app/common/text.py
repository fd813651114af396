"""Cleaning of what people type before it is stored: names and titles shown to everyone.

A right-to-left override (U+202E) in a name reverses the text after it on every screen and in
every export; zero-width characters make two names that look the same differ. Neither has a use
in a forum's names or titles, so both are removed at input, in one place, for every area.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, Field

#: bidirectional formatting controls: embeddings, overrides, isolates and the implicit marks
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: zero-width characters (space, non-joiner, joiner, word joiner, BOM, Mongolian vowel separator)
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u180e"
_INVISIBLE = str.maketrans("", "", BIDI_CONTROLS + ZERO_WIDTH)
_SPACES = re.compile(r"\s+")


def _without_controls(value: str, keep: str = "") -> str:
    """Drop control characters (Cc) other than those in `keep`, and the invisible ones above."""
    value = value.translate(_INVISIBLE)
    return "".join(ch for ch in value if ch in keep or unicodedata.category(ch) != "Cc")


def clean_line(value: str) -> str:
    """A name or a title: one line, visible characters, single spaces, no spaces at the ends."""
    return _SPACES.sub(" ", _without_controls(_SPACES.sub(" ", value))).strip()


def clean_text(value: str) -> str:
    """A description: line breaks kept (as \\n), other controls and invisible characters removed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _without_controls(value, keep="\n\t").strip()


#: a character that stays visible after cleaning, as a regex class (JSON Schema's and Python's syntax)
VISIBLE_CHARACTER = ("[^\\s\\x00-\\x1f\\x7f-\\x9f"
                     + "".join(f"\\u{ord(c):04x}" for c in BIDI_CONTROLS + ZERO_WIDTH) + "]")


def visible_length(value: str) -> int:
    """How many characters of a cleaned text are neither spaces nor invisible."""
    return sum(1 for ch in value if not ch.isspace())


def _at_least(count: int):
    def check(value: str) -> str:
        if visible_length(value) < count:
            raise ValueError(f"at least {count} visible characters")
        return value

    return check


def Line(max_length: int, min_visible: int = 0) -> Any:  # noqa: N802 - a type, named like one
    """A one-line text field of a request (a name, a title), cleaned by clean_line.

    What the OpenAPI document says is what is checked: at most `max_length` characters as sent,
    then at least `min_visible` visible ones once cleaned (a pattern in the schema).
    """
    extra = {"pattern": f"^(?:[\\s\\S]*?{VISIBLE_CHARACTER}){{{min_visible}}}"} if min_visible else None
    return Annotated[str, Field(max_length=max_length, json_schema_extra=extra), AfterValidator(clean_line),
                     AfterValidator(_at_least(min_visible))]


def Text(max_length: int, min_visible: int = 0) -> Any:  # noqa: N802
    """A multi-line text field of a request (a description), cleaned by clean_text; as Line otherwise."""
    extra = {"pattern": f"^(?:[\\s\\S]*?{VISIBLE_CHARACTER}){{{min_visible}}}"} if min_visible else None
    return Annotated[str, Field(max_length=max_length, json_schema_extra=extra), AfterValidator(clean_text),
                     AfterValidator(_at_least(min_visible))]
