"""Cheap WebSocket frames for the server's outgoing messages.

A coalesced tally goes to every phone of a forum: 3,000 sends five times a second. simple-websocket
builds each outgoing frame through wsproto's general state machine, and compresses it per
connection when the browser offered permessage-deflate; at that fan-out the framing, not the
network, is what the server spends its time on. A server-to-client frame is simple (RFC 6455
§5.2: unmasked, FIN set, the length in 1, 3 or 9 bytes), and RFC 7692 lets a sender leave any
message uncompressed (RSV1 clear) even when compression was negotiated, without touching the
compression context of the other messages. So `install()` replaces `simple_websocket.Server.send`
with a version that writes the frame directly, whole (`sendall`: the original `send` could drop the
end of a large frame on a slow connection). Receiving, pings and closing stay wsproto's.
"""
from __future__ import annotations

import struct

import simple_websocket
from simple_websocket.ws import ConnectionClosed

_TEXT = 0x1
_BINARY = 0x2
_FIN = 0x80


def frame(payload: bytes, opcode: int = _TEXT) -> bytes:
    """Return one unmasked, final WebSocket frame (a server's) carrying `payload`."""
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", _FIN | opcode, length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", _FIN | opcode, 126, length)
    else:
        header = struct.pack("!BBQ", _FIN | opcode, 127, length)
    return header + payload


def _send(self, data) -> None:
    """Send a text (str) or binary (bytes) message on a server-side connection."""
    if not self.connected:
        raise ConnectionClosed(self.close_reason, self.close_message)
    if isinstance(data, (bytes, bytearray)):
        self.sock.sendall(frame(bytes(data), _BINARY))
    else:
        self.sock.sendall(frame(str(data).encode("utf-8"), _TEXT))


def install() -> None:
    """Make every server-side simple-websocket connection send with `_send` (idempotent)."""
    simple_websocket.Server.send = _send
