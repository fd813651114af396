"""Ranking deltas: what changed between two tallies, so a tick costs the topics that moved, not all of them.

A tally is a whole ranking: `{"mode", "ranking": [{"proposal_id", "title", "score", "voters",
"grade", "rank"}, …], "participants_voted"}`. Between two ticks most topics often keep their
entry; a delta carries only the entries that changed (without the title when it did not change),
the ids that left, and the counters. A client applies a delta only on the exact tally it was
computed from (`base`, the version of that tally): on any other, it asks for the whole state.
"""
from __future__ import annotations

KEY = "proposal_id"


def ranking_delta(previous: dict, current: dict) -> dict | None:
    """The delta from `previous` to `current` (titles only where they changed), or None when the mode changed."""
    if previous.get("mode") != current.get("mode"):
        return None
    before = {entry[KEY]: entry for entry in previous.get("ranking", ())}
    changed = []
    for entry in current.get("ranking", ()):
        old = before.pop(entry[KEY], None)
        if old == entry:
            continue
        if old is not None and old.get("title") == entry.get("title"):
            entry = {k: v for k, v in entry.items() if k != "title"}
        changed.append(entry)
    extra = {k: v for k, v in current.items() if k != "ranking"}
    return {**extra, "changed": changed, "removed": sorted(before)}


def apply_delta(previous: dict, delta: dict) -> dict:
    """The tally a client shows after applying `delta` to `previous` (the same rules as static/js/live.js)."""
    entries = {entry[KEY]: dict(entry) for entry in previous.get("ranking", ())}
    for gone in delta.get("removed", ()):
        entries.pop(gone, None)
    for entry in delta.get("changed", ()):
        entries.setdefault(entry[KEY], {}).update(entry)
    ranking = sorted(entries.values(), key=lambda e: (e["rank"], e[KEY]))
    extra = {k: v for k, v in delta.items() if k not in ("changed", "removed", "base", "event_id", "version",
                                                        "stream")}
    return {**extra, "ranking": ranking}


class TallyFollower:
    """A client's view of a forum's tally stream: the snapshot, then whole tallies and deltas in order.

    What static/js/live.js does, for Python clients (tests, benchmarks): `start(state)` with a join
    or sync answer, `receive(message)` with each `tally` message; `receive` returns the whole tally
    the client shows after it (with the message's version), or None when the message is stale or
    when a delta does not apply on the tally held (the client must resync: `gaps` counts them).
    """

    def __init__(self) -> None:
        self.version: int | None = None
        self.body: dict | None = None
        self.gaps = 0
        self._early: list[dict] = []  # heard before the snapshot: replayed after it, as live.js does

    def start(self, state: dict) -> list[dict]:
        """Take a join or sync answer; return the whole tallies of the messages heard before it that are newer."""
        self.version, self.body = state["streams"]["tally"], state["tally"]
        early, self._early = sorted(self._early, key=lambda m: m["version"]), []
        return [shown for shown in map(self.receive, early) if shown is not None]

    def receive(self, message: dict) -> dict | None:
        if self.body is None:
            self._early.append(message)
            return None
        if message["version"] <= self.version:
            return None
        if "base" in message:
            if self.body is None or message["base"] != self.version:
                self.gaps += 1
                return None
            body = apply_delta(self.body, message)
        else:
            body = {k: v for k, v in message.items() if k not in ("event_id", "version", "stream")}
        self.version, self.body = message["version"], body
        return {"event_id": message.get("event_id"), "version": message["version"], "stream": "tally", **body}
