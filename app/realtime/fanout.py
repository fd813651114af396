"""Sending to many clients without starving the rest: the paced broadcast and the hubs' loop."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from barcamp.extensions import socketio
from barcamp.realtime.rooms import NAMESPACE

log = logging.getLogger(__name__)


#: phones served between two yields of a paced broadcast
PACED_CHUNK = 20


def emit_paced(name: str, message: dict, room: str) -> int:
    """Send one message to every client of a room of this process, yielding every PACED_CHUNK clients.

    A broadcast readies one writer per connection; thousands at once queue every vote handler
    (and its acknowledgement) behind them. Paced, the votes that arrive meanwhile interleave. The
    packet is encoded once, as python-socketio's own room emit does. Returns how many were sent.
    """
    from engineio import packet as eio_packet
    from socketio import packet as sio_packet

    server = socketio.server
    encoded = server.packet_class(sio_packet.EVENT, namespace=NAMESPACE, data=[name, message]).encode()
    packets = [eio_packet.Packet(eio_packet.MESSAGE, p) for p in (encoded if isinstance(encoded, list) else [encoded])]
    targets = list(server.manager.get_participants(NAMESPACE, room))
    for i, (_sid, eio_sid) in enumerate(targets, start=1):
        for eio_pkt in packets:
            server._send_eio_packet(eio_sid, eio_pkt)
        if i % PACED_CHUNK == 0:
            socketio.sleep(0)
    return len(targets)


def run_every(interval: float, stopped: Callable[[], bool], *flushes: tuple[Callable[[], Any], str]) -> None:
    """Call each flush every `interval` seconds until `stopped()`: the loop of every coalescing hub.

    A flush that fails is logged and the loop goes on: one forum's error never silences the others.
    """
    while not stopped():
        socketio.sleep(interval)
        if stopped():
            break
        for flush, what in flushes:
            try:
                flush()
            except Exception:
                log.exception("%s broadcast failed", what)
