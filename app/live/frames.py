"""Cheap outgoing WebSocket messages: direct frames, written by the sender when the line is free.

A coalesced tally goes to every phone of a forum: 3,000 sends twice a second, besides the
acknowledgements. Two costs dominate such a fan-out, and neither is the network:

1. **Framing.** simple-websocket builds each outgoing frame through wsproto's general state
   machine, and compresses it per connection when the browser offered permessage-deflate. A
   server-to-client frame is simple (RFC 6455 §5.2: unmasked, FIN set, the length in 1, 3 or 9
   bytes), and RFC 7692 lets a sender leave any message uncompressed (RSV1 clear) even when
   compression was negotiated, without touching the compression context of the other messages.
   `_send` writes the frame directly, whole (`sendall`; the original `send` could drop the end of
   a large frame on a slow connection), under the connection's write lock.
2. **One writer wake-up per message.** python-engineio queues every packet for a per-connection
   writer greenlet: a broadcast wakes thousands of writers, and an acknowledgement waits behind
   all of them. Under gevent, `_direct_send` writes the frame at once from the sender's greenlet
   when nothing is queued or being written for that connection and the kernel takes the whole
   frame without blocking; otherwise (a slow phone, a frame already on its way) the packet takes
   the usual queue, so messages stay in order and a slow phone never holds up a broadcast.

   The writer greenlet stays for the queued packets; it used to end a connection that had
   nothing queued for PING_INTERVAL + PING_TIMEOUT (its idea of a dead client), which direct
   sends would make every quiet connection: `_poll` keeps it waiting, and a dead client is still
   dropped by Engine.IO's ping-timeout check.

Receiving, pings and closing stay simple-websocket's and python-engineio's.
"""
from __future__ import annotations

import struct
import threading

import simple_websocket
from engineio import exceptions as eio_exceptions
from engineio import socket as eio_socket
from simple_websocket.ws import ConnectionClosed
from wsproto.events import CloseConnection
from wsproto.frame_protocol import CloseReason

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


def _encode(data) -> bytes:
    if isinstance(data, (bytes, bytearray)):
        return frame(bytes(data), _BINARY)
    return frame(str(data).encode("utf-8"), _TEXT)


#: makes a connection's write lock: a gevent semaphore under gevent, a thread lock otherwise
_lock_factory = threading.Lock


def _write_lock(ws: simple_websocket.Server):
    """The connection's write lock (one frame at a time on the wire), created on first use."""
    lock = ws.__dict__.get("_barcamp_write_lock")
    if lock is None:
        lock = ws._barcamp_write_lock = _lock_factory()
    return lock


def _send(self: simple_websocket.Server, data) -> None:
    """Send a text (str) or binary (bytes) message on a server-side connection."""
    if not self.connected:
        raise ConnectionClosed(self.close_reason, self.close_message)
    encoded = _encode(data)
    with _write_lock(self):
        self.sock.sendall(encoded)


def _finish(ws: simple_websocket.Server, lock, rest: bytes) -> None:
    """Write the end of a frame the kernel took only part of, then free the line."""
    try:
        ws.sock.sendall(rest)
    except OSError:
        pass  # the connection is gone: its reader notices and closes the Engine.IO socket
    finally:
        lock.release()


def _try_direct(socket: eio_socket.Socket, pkt) -> bool:
    """Write `pkt` now if the connection's line is free; False to leave it to the queue."""
    wsgi_ws = socket.__dict__.get("_barcamp_ws")
    if wsgi_ws is None or not socket.upgraded or socket.upgrading or socket.closed or not socket.queue.empty():
        return False
    ws = getattr(wsgi_ws, "ws", None)
    raw = getattr(getattr(ws, "sock", None), "_sock", None)  # the non-blocking OS socket under gevent's
    if raw is None or not ws.connected:
        return False
    lock = _write_lock(ws)
    if lock.locked():
        return False
    data = _encode(pkt.encode())
    try:
        sent = raw.send(data)
    except OSError:  # full (BlockingIOError) or broken: the queue's writer waits or closes the socket
        return False
    if sent < len(data):  # the rest must follow before any other frame: keep the line until then
        import gevent

        lock.acquire()
        gevent.spawn(_finish, ws, lock, data[sent:])
    return True


def _direct_send(self: eio_socket.Socket, pkt) -> None:
    """Engine.IO `Socket.send`: write at once when the line is free, else queue for the writer."""
    if not self.check_ping_timeout():
        return
    if not _try_direct(self, pkt):
        self.queue.put(pkt)


_original_poll = eio_socket.Socket.poll


def _poll(self: eio_socket.Socket):
    """Engine.IO `Socket.poll`: on an open WebSocket, an empty queue is no sign of a dead client."""
    while True:
        try:
            return _original_poll(self)
        except eio_exceptions.QueueEmpty:
            if self.closed or self.__dict__.get("_barcamp_ws") is None:
                raise


_original_websocket_handler = eio_socket.Socket._websocket_handler


def _websocket_handler(self: eio_socket.Socket, ws):
    """Remember the connection's WebSocket while it is open, for `_direct_send`."""
    self._barcamp_ws = ws
    try:
        return _original_websocket_handler(self, ws)
    finally:
        self._barcamp_ws = None


#: messages a connection may have received and not yet handled: a phone waits for its acks, so
#: more is a flood (its unread messages are dropped, unacknowledged, and the connection closed)
MAX_UNREAD_MESSAGES = 64

_original_handle_events = simple_websocket.ws.Base._handle_events


def _handle_events(self) -> bool:
    """simple-websocket's reader: parse what arrived, then close a flood and hand the loop to the others.

    The reader parses everything a client sends, whether the application keeps up or not, and a
    reader that finds data waiting never yields: one client sending as fast as it can would keep
    the whole server parsing its frames. Past MAX_UNREAD_MESSAGES unhandled messages the connection
    is closed (1008) and its unread messages dropped; after each chunk the reader yields.
    """
    keep_going = _original_handle_events(self)
    if keep_going and len(self.input_buffer) > MAX_UNREAD_MESSAGES:
        self.input_buffer.clear()
        try:
            self.sock.send(self.ws.send(CloseConnection(CloseReason.POLICY_VIOLATION, "Too many unread messages")))
        except OSError:
            pass
        self.connected = False
        self.event.set()
        return False
    if _yield is not None:
        _yield(0)
    return keep_going


_yield = None


def install(async_mode: str) -> None:
    """Send every outgoing frame with `_send`; bound and pace what each connection reads; under gevent,
    also send directly (idempotent)."""
    global _lock_factory, _yield
    simple_websocket.Server.send = _send
    simple_websocket.ws.Base._handle_events = _handle_events
    if async_mode == "gevent":
        import gevent
        from gevent.lock import Semaphore

        _lock_factory = Semaphore
        _yield = gevent.sleep
        eio_socket.Socket.send = _direct_send
        eio_socket.Socket.poll = _poll
        eio_socket.Socket._websocket_handler = _websocket_handler
