"""The JSON of the wire: fast encoding, and pre-encoded parts sent as they are.

Socket.IO encodes every packet with the `json` module it is given. This one encodes with orjson
(several times faster than the standard library on a forum's snapshot) and accepts `Raw` values:
bytes that are already JSON, spliced in without being decoded or encoded again. A forum's shared
state is encoded once per version and the same bytes go to every phone that joins (see
app/live/snapshots.py). Decoding what clients send stays the standard library's, so incoming
payloads are parsed exactly as before (big integers stay integers for validation to refuse).
"""
from __future__ import annotations

import json as _stdlib_json

import orjson

from barcamp.common.jsonbounds import json_too_deep

#: JSON text to splice into a message as it is (bytes that already are valid JSON)
Raw = orjson.Fragment

_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(obj, **_ignored) -> str:
    """Encode a packet's data (Socket.IO passes `separators`: orjson's output is already compact)."""
    try:
        return orjson.dumps(obj, option=_OPTIONS).decode()
    except TypeError:  # what orjson refuses (an integer past 64 bits…): the standard encoder's answer
        return _stdlib_json.dumps(obj, separators=(",", ":"))


def encode(obj) -> bytes:
    """Encode a value once, to be sent many times as `Raw(...)`."""
    return orjson.dumps(obj, option=_OPTIONS)


#: what a client's payload nested too deep decodes to: an event no handler has, answered
#: `unknown_event` by the catch-all handler (and counted in the caller's budget), never a traceback
TOO_DEEP = ["__too_deep__"]


def loads(text, **kwargs):
    """Decode a client's packet data; one nested deeper than MAX_JSON_DEPTH is not parsed at all."""
    if json_too_deep(text):
        return list(TOO_DEEP)
    return _stdlib_json.loads(text, **kwargs)
