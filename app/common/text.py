"""Cleaning of what people type before it is stored: names and titles shown to everyone.

A right-to-left override (U+202E) in a name reverses the text after it on every screen and in
every export; zero-width characters make two names that look the same differ. Neither has a use
in a forum's names or titles, so both are removed at input, in one place, for every area.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import BeforeValidator

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


def _line(value: Any) -> Any:
    return clean_line(value) if isinstance(value, str) else value  # anything else: the type refuses it


def _text(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


#: put before StringConstraints in a request schema: `Annotated[str, CleanLine, StringConstraints(...)]`
CleanLine = BeforeValidator(_line)
CleanText = BeforeValidator(_text)
