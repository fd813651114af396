"""Recount a forum from its stored ballots, independently of the live ranking code.

`rank()` is a plain function on (mode, topics, ballots): it reads no database and shares no code
with `barcamp.voting.services.compute_results`, so a bug in one shows up as a difference. The same
function recounts a downloaded ballot file offline.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

#: highest majority grade (0 = Pas prioritaire … 4 = Très prioritaire); 0 is "no ballot"
TOP_GRADE = 4


def _majority(grades: list[int], judges: int) -> tuple[int, float]:
    """Lower-median grade and the signed share that breaks ties (ungraded = lowest grade)."""
    if judges == 0:
        return 0, 0.0
    sorted_grades = sorted(grades + [0] * (judges - len(grades)))
    median = sorted_grades[(judges - 1) // 2]
    above = sum(1 for g in sorted_grades if g > median) / judges
    below = sum(1 for g in sorted_grades if g < median) / judges
    return median, (above if above > below else -below)


def rank(mode: str, topics: Iterable[tuple[int, str]], ballots: Iterable[tuple[str, int, int]]) -> dict:
    """Rank topics from raw ballots (voter, topic id, value); same shape as the live results.

    `topics` are the visible topics (id, title) in id order; ballots on other topics are ignored.
    """
    topics = sorted(topics)
    known = {tid for tid, _title in topics}
    values: dict[int, list[int]] = defaultdict(list)
    voters: set[str] = set()
    seen: Counter = Counter()
    for voter, topic_id, value in ballots:
        if topic_id not in known:
            continue
        seen[(voter, topic_id)] += 1
        voters.add(voter)
        values[topic_id].append(int(value))
    doubled = [key for key, n in seen.items() if n > 1]
    if doubled:
        raise ValueError(f"{len(doubled)} voter/topic pairs have more than one ballot")
    judges = len(voters)
    rows = []
    for topic_id, title in topics:
        grades = values.get(topic_id, [])
        row = {"proposal_id": topic_id, "title": title, "voters": len(grades), "grade": None}
        if mode == "majority":
            grade, gauge = _majority(grades, judges)
            row.update(score=round(grade + gauge, 4), grade=grade, key=(grade, gauge))
        else:
            row.update(score=sum(grades), key=(sum(grades),))
        rows.append(row)
    rows.sort(key=lambda r: r["key"], reverse=True)
    previous, current = object(), 0
    for position, row in enumerate(rows, start=1):
        key = row.pop("key")
        if key != previous:
            current, previous = position, key
        row["rank"] = current
    return {"mode": mode, "ranking": rows, "participants_voted": judges}


def differences(expected: dict, actual: dict) -> list[str]:
    """Human-readable differences between two rankings (empty when they agree)."""
    out = []
    if expected["participants_voted"] != actual["participants_voted"]:
        out.append(f"voters: recount {expected['participants_voted']}, live {actual['participants_voted']}")
    live = {row["proposal_id"]: row for row in actual["ranking"]}
    for row in expected["ranking"]:
        other = live.pop(row["proposal_id"], None)
        if other is None:
            out.append(f"topic {row['proposal_id']}: missing from the live results")
            continue
        for field in ("score", "rank", "voters", "grade"):
            if other.get(field) != row.get(field) and not (
                field == "score" and isinstance(other.get(field), float | int)
                and abs(float(other[field]) - float(row[field])) < 1e-9
            ):
                out.append(f"topic {row['proposal_id']} {field}: recount {row.get(field)}, live {other.get(field)}")
    for topic_id in live:
        out.append(f"topic {topic_id}: in the live results but not recounted")
    return out
