"""Prometheus metrics of this process (each worker reports its own; label `worker`).

Defined once at import on prometheus_client's default registry, which also carries the
process collector (resident memory, CPU, open file descriptors). No application imports here:
realtime and the socket guard import this module.
"""
from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

#: set by `barcamp run` to "host:port"; else the process id (gunicorn workers)
WORKER_ENV = "BARCAMP_WORKER_LABEL"

SOCKET_EVENTS = Counter("barcamp_socket_events_total", "Socket.IO client events handled, by event and outcome",
                        ["worker", "event", "outcome"])
ACK_LATENCY = Histogram("barcamp_ack_latency_seconds", "Time from receiving a vote, quiz answer, join or sync to its ack",
                        ["worker", "event"],
                        buckets=(0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0))
BROADCASTS = Counter("barcamp_broadcasts_total", "Messages emitted to forum rooms, by message type",
                     ["worker", "message"])
GC_PAUSES = Histogram("barcamp_gc_pause_seconds", "Python garbage collections: how long each stopped the worker",
                      ["worker", "generation"], buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0))
DB_ERRORS = Counter("barcamp_db_errors_total", "Database errors raised to the application", ["worker"])

#: message types timed into ACK_LATENCY (the acknowledgements a voter waits for, and the join and resync
#: a phone waits for after a Wi-Fi blip)
TIMED_EVENTS = frozenset({"vote", "quiz_answer", "join", "sync"})


def time_garbage_collections() -> None:
    """Observe every collection's pause into GC_PAUSES (a full one stops every connection of the worker)."""
    started: list[float] = []

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            GC_PAUSES.labels(worker=worker_label(), generation=str(info["generation"])).observe(
                time.perf_counter() - started[0])

    if not any(getattr(cb, "__qualname__", "").startswith("time_garbage_collections") for cb in gc.callbacks):
        gc.callbacks.append(callback)


def worker_label() -> str:
    return os.environ.get(WORKER_ENV) or f"pid-{os.getpid()}"


class _Connections:
    """The connected-clients gauge, read at scrape time (the worker label is known only then)."""

    counter: Callable[[], int] = staticmethod(lambda: 0)

    def collect(self):
        gauge = GaugeMetricFamily("barcamp_connected_clients", "Engine.IO connections open on this worker",
                                  labels=["worker"])
        gauge.add_metric([worker_label()], self.counter())
        yield gauge


_CONNECTIONS = _Connections()
REGISTRY.register(_CONNECTIONS)


def count_connections(counter: Callable[[], int]) -> None:
    """Report `counter()` as the connected-clients gauge of this worker."""
    _CONNECTIONS.counter = counter


#: time.monotonic() of the last socket event handled by this process
_last_event = [0.0]


def last_socket_event() -> float:
    """When (time.monotonic()) this process last handled a socket event: the collector's quiet test."""
    return _last_event[0]


def observe_socket_event(event: str, outcome: str, started: float) -> None:
    _last_event[0] = time.monotonic()
    worker = worker_label()
    SOCKET_EVENTS.labels(worker=worker, event=event, outcome=outcome).inc()
    if event in TIMED_EVENTS:
        ACK_LATENCY.labels(worker=worker, event=event).observe(time.perf_counter() - started)


def broadcast_sent(message: str) -> None:
    BROADCASTS.labels(worker=worker_label(), message=message).inc()


def db_error() -> None:
    DB_ERRORS.labels(worker=worker_label()).inc()
