"""Where messages go: the `/live` namespace, its rooms, and the streams' counters.

A forum's messages go to its room (`event:<id>`); its tallies and quiz answer counts go to two
audiences, the screens and the phones, each in its own room. In one process, tallies and quiz
answer counts are streams of their own (`"stream": "tally"|"quiz"`, their own counters), apart
from the forum's message sequence. A workshop's boards go to the workshop's room.
"""
from __future__ import annotations

NAMESPACE = "/live"


def event_room(event_id: int) -> str:
    return f"event:{event_id}"


#: the two audiences of a forum's tallies: big screens (projector, organiser) and phones
SCREENS = "screens"
PHONES = "phones"


def audience_room(event_id: int, audience: str) -> str:
    """Room of one audience of a forum (tallies go to screens and to phones at their own pace)."""
    return f"event:{event_id}:{audience}"


#: coalesced messages that are whole snapshots (a ranking, answer counts): each kind is a stream
#: with its own counter, apart from the forum's message sequence
STREAMS = ("tally", "quiz")


def stream_counter(kind: str, event_id: int) -> str:
    """Counter of one stream of a forum.

    A tally or a quiz count is a whole snapshot, so a client that skips one loses nothing: phones
    can hear fewer of them than screens without seeing a gap in the forum's sequence (and
    resyncing for it).
    """
    return f"{kind}-{event_id}"


def workshop_room(workshop_id: int) -> str:
    return f"workshop:{workshop_id}"


def queue_channel(redis_url: str | None) -> str:
    """The Redis Pub/Sub channel of this install's messages: one per Redis database.

    Redis keys live in a numbered database, but Pub/Sub channels are shared by the whole server:
    two installs (or two test workers) on databases 14 and 15 of one Redis would otherwise deliver
    each other's messages to rooms of the same name.
    """
    from urllib.parse import urlsplit

    path = urlsplit(redis_url or "").path.strip("/")
    return f"barcamp-{path or '0'}"
