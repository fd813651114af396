"""JSON text whose nesting is bounded before it is parsed.

The standard parser recurses once per level: a 2 KB body nested 1,000 deep raises RecursionError,
which is not the ValueError a parse failure is expected to be, so it escaped as a server error.
Every request body is parsed by the app's JSON provider below; Socket.IO payloads can use `loads`.
No message the forum exchanges is more than a few levels deep.
"""
from __future__ import annotations

import json
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider

#: deepest nesting accepted in a request body or a socket payload (ours need 4)
MAX_JSON_DEPTH = 32

#: a JSON string, escapes included (the unrolled form cannot backtrack badly)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_STRING_BYTES = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")
_BRACKETS_BYTES = re.compile(rb"[\[\]{}]")


class JSONTooDeep(ValueError):
    """The text nests deeper than allowed: refused before parsing (a ValueError, as parse errors are)."""


def json_too_deep(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text opens more than `limit` arrays or objects inside one another.

    Brackets inside strings do not count. Text that is not JSON may be over-counted, never
    under-counted: it would fail to parse anyway.
    """
    if isinstance(text, bytes):
        if text.count(b"[") + text.count(b"{") <= limit:  # the usual body: decided at C speed
            return False
        marks = [b in (b"[", b"{") for b in _BRACKETS_BYTES.findall(_STRING_BYTES.sub(b"", text))]
    else:
        if text.count("[") + text.count("{") <= limit:
            return False
        marks = [b in ("[", "{") for b in _BRACKETS.findall(_STRING.sub("", text))]
    depth = 0
    for opens in marks:
        depth += 1 if opens else -1
        if depth > limit:
            return True
    return False


def loads(text: str | bytes, limit: int = MAX_JSON_DEPTH, **kwargs: Any) -> Any:
    """Parse JSON text, refusing (JSONTooDeep) one nested deeper than `limit` before parsing it."""
    if json_too_deep(text, limit):
        raise JSONTooDeep(f"JSON nested deeper than {limit} levels")
    return json.loads(text, **kwargs)


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, with request bodies' nesting bounded (app.config["MAX_JSON_DEPTH"])."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s, self._app.config.get("MAX_JSON_DEPTH", MAX_JSON_DEPTH), **kwargs)
