"""A forum's join snapshot, resync and topic list cost a fixed number of SQL statements, whatever its size.

A 150-topic forum (authors, co-proposers, themes, a merge) runs as many statements as a 5-topic
one: every relation is read with one bulk query, never one per topic. A phone's second `sync` at
the same version reuses the shared bytes: it runs only the statements of its own part.
"""
from __future__ import annotations

import contextlib
import time
from types import SimpleNamespace

import pytest
from sqlalchemy import event as sa_event

from barcamp.extensions import db

NS = "/live"


@contextlib.contextmanager
def counted_statements(app):
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().split(None, 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH"):
            statements.append(statement)  # not the connection's PRAGMAs, BEGIN or SAVEPOINTs

    with app.app_context():
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)


def build_forum(client, make_event, make_participant, make_proposal, topics: int):
    """A forum with `topics` topics by several authors, themes, supporters and one merge; a phone."""
    event = make_event(phase="proposals", themes=["Numérique", "Mobilités", "Santé"])
    themes = client.get(f"/api/v1/events/{event['id']}", headers=event["organiser"]["headers"]).get_json()["themes"]
    authors = [make_participant(event, f"Auteur {i}") for i in range(5)]
    ids = [make_proposal(event, authors[i % 5], f"Sujet numéro {i} pour la forme",
                         description="Constat " * 20, theme_id=themes[i % 3]["id"]) for i in range(topics)]
    for i, pid in enumerate(ids):  # supporters: one per topic
        r = client.put(f"/api/v1/events/{event['id']}/proposals/{pid}/support", headers=authors[(i + 1) % 5]["headers"])
        assert r.status_code in (200, 201), r.get_json()
    r = client.post(f"/api/v1/events/{event['id']}/proposals/merge", headers=event["organiser"]["headers"],
                    json={"proposal_ids": ids[:2], "title": "Un regroupement de deux sujets"})
    assert r.status_code == 201, r.get_json()
    phone = make_participant(event, "Téléphone")
    return event, phone


@pytest.fixture
def forum_cost(app, client, socket_client, make_event, make_participant, make_proposal):
    """Statements run by a cold join, a warm sync and the topic list of a forum of `topics` topics."""

    live = app.extensions["barcamp_live"]
    live.stop()  # no background flush runs statements while we count: the test flushes itself
    time.sleep(3 * live.interval)

    def _measure(topics: int) -> dict[str, list[str]]:
        event, phone = build_forum(client, make_event, make_participant, make_proposal, topics)
        sc = socket_client(phone["token"])
        live.flush_tallies()  # the forum's tally went out, as it does within TALLY_INTERVAL of a change
        app.extensions.get("barcamp_snapshots", SimpleNamespace(clear=lambda: None)).clear()
        with counted_statements(app) as join:
            ack = sc.emit("join", {"event_id": event["id"]}, namespace=NS, callback=True)
        assert ack["ok"] is True and len(ack["state"]["proposals"]) == topics - 1  # two merged into one
        with counted_statements(app) as sync:
            again = sc.emit("sync", {"event_id": event["id"]}, namespace=NS, callback=True)
        assert again["state"]["proposals"] == ack["state"]["proposals"]
        with counted_statements(app) as listing:
            r = client.get(f"/api/v1/events/{event['id']}/proposals", headers=phone["headers"])
        assert len(r.get_json()["proposals"]) == topics - 1
        return {"join": join, "sync": sync, "list": listing}

    return _measure


def test_snapshot_and_list_cost_the_same_statements_at_5_and_150_topics(forum_cost):
    small, large = forum_cost(5), forum_cost(150)

    assert {k: len(v) for k, v in large.items()} == {k: len(v) for k, v in small.items()}, (small, large)
    assert len(large["sync"]) < len(large["join"])  # the shared part was reused: only the phone's own part ran


def test_snapshot_topics_carry_authors_supporters_themes_and_merge_counts(client, socket_client, make_event,
                                                                          make_participant, make_proposal):
    event, phone = build_forum(client, make_event, make_participant, make_proposal, 6)
    sc = socket_client(phone["token"])

    state = sc.emit("join", {"event_id": event["id"]}, namespace=NS, callback=True)["state"]
    listed = client.get(f"/api/v1/events/{event['id']}/proposals", headers=phone["headers"]).get_json()["proposals"]

    assert state["proposals"] == listed
    by_title = {p["title"]: p for p in listed}
    merged = by_title["Un regroupement de deux sujets"]
    assert merged["merged_count"] == 2
    third = by_title["Sujet numéro 2 pour la forme"]
    assert (third["author_name"], third["coproposers"], third["theme"]) == ("Auteur 2", ["Auteur 3"], "Santé")


def test_a_resync_from_a_current_version_keeps_the_phones_topics(client, socket_client, make_event,
                                                                  make_participant, make_proposal):
    """A phone back from a Wi-Fi blip, current at its version, gets a small state: its topics are still right."""
    event = make_event(phase="proposals")
    make_proposal(event, title="Un sujet déjà là")
    author = make_participant(event)
    phone = socket_client(make_participant(event)["token"])
    first = phone.emit("join", {"event_id": event["id"]}, namespace=NS, callback=True)["state"]
    r = client.post(f"/api/v1/events/{event['id']}/proposals", json={"title": "Un sujet ajouté en direct"},
                    headers=author["headers"])
    assert r.status_code == 201
    added = [m["args"][0] for m in phone.get_received(NS) if m["name"] == "proposal"]
    current = added[-1]["version"]  # the phone applied every message up to this one

    kept = phone.emit("sync", {"event_id": event["id"], "version": str(current)}, namespace=NS, callback=True)
    assert kept["ok"], kept
    kept = kept["state"]
    behind = phone.emit("sync", {"event_id": event["id"], "version": str(first["version"])}, namespace=NS,
                        callback=True)["state"]
    fresh = phone.emit("sync", {"event_id": event["id"]}, namespace=NS, callback=True)["state"]

    assert kept.get("proposals_kept") is True and "proposals" not in kept
    assert [p["title"] for p in behind["proposals"]] == ["Un sujet déjà là", "Un sujet ajouté en direct"]
    assert fresh["proposals"] == behind["proposals"] and "proposals_kept" not in fresh
