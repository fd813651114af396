"""Full garbage collections at quiet moments (app/ops/collector.py) and their pauses in /metrics."""
from __future__ import annotations

import gc

import pytest

from barcamp.ops import metrics
from barcamp.ops.collector import MAX_GAP, MIN_GAP, QUIET_SECONDS, full_collection_due
from tests.scaleout.test_ops import make_app  # noqa: F401 - the fixture

NOW = 10_000.0


@pytest.mark.parametrize(("since_full", "since_event", "promoted", "due"), [
    (MIN_GAP, QUIET_SECONDS, 1, True),             # quiet, old enough, something to collect
    (MIN_GAP, QUIET_SECONDS / 2, 1, False),         # votes still arriving: wait
    (MIN_GAP / 2, QUIET_SECONDS * 10, 1, False),    # collected a moment ago
    (MIN_GAP, QUIET_SECONDS * 10, 0, False),        # nothing promoted since the last one
    (MAX_GAP, 0.0, 0, True),                        # never quiet: still collected every MAX_GAP
], ids=["quiet", "busy", "too_soon", "nothing_new", "overdue_while_busy"])
def test_full_collection_waits_for_a_quiet_moment(since_full, since_event, promoted, due):
    assert full_collection_due(NOW, NOW - since_full, NOW - since_event, promoted) is due


def test_socket_events_move_the_quiet_clock():
    before = metrics.last_socket_event()

    metrics.observe_socket_event("vote", "ok", 0.0)

    assert metrics.last_socket_event() > before


def test_garbage_collection_pauses_appear_in_metrics(make_app):  # noqa: F811
    client = make_app().test_client()
    metrics.time_garbage_collections()
    metrics.time_garbage_collections()  # idempotent: one callback, not two

    gc.collect(2)
    text = client.get("/metrics").get_data(as_text=True)

    assert sum(getattr(cb, "__qualname__", "").startswith("time_garbage_collections") for cb in gc.callbacks) == 1
    counts = [line for line in text.splitlines()
              if line.startswith("barcamp_gc_pause_seconds_count") and 'generation="2"' in line]
    assert counts and float(counts[0].rsplit(" ", 1)[1]) >= 1
