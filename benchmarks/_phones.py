"""A lean Socket.IO client for load generation: many simulated phones per process, little CPU each.

The python-socketio client decodes every packet it receives: JSON, packet objects, handler
lookup. A simulated phone receives two tallies a second, so 1,000 phones in one client process
decode 2,000 tallies a second, and a phone's acknowledgement waits in the process's queue behind
the other phones' tallies. On the 2-core benchmark machine that client-side queue and CPU then
show up as server latency, although a real phone is its own device and reads only its own frames.

`LeanPhone` speaks the same wire protocol (RFC 6455 WebSocket, Engine.IO 4, Socket.IO 5, one
namespace) with an asyncio Protocol: it answers pings, resolves acknowledgements, and counts the
broadcast events it receives without decoding them (`events` by name, `last_event` keeps the
raw text of chosen names). The server does the same work for it as for any client.

    phone = LeanPhone()
    await phone.connect("http://127.0.0.1:5000", "/live", {"token": token})
    ack = await phone.call("join", {"event_id": 1}, timeout=30)
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import struct
from collections import Counter
from urllib.parse import urlparse


class ConnectionClosed(ConnectionError):
    """The server closed the connection (or refused the namespace)."""


class LeanPhone(asyncio.Protocol):
    def __init__(self, keep: tuple[str, ...] = ()) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded = False
        self.namespace = "/"
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.events: Counter[str] = Counter()
        self.keep = keep
        self.last_event: dict[str, str] = {}
        self._handshake: asyncio.Future | None = None
        self._namespace_ready: asyncio.Future | None = None
        self.closed = False
        #: why the connection ended, for the benchmark's error list
        self.close_reason = ""

    # -- connecting ----------------------------------------------------------------------------
    async def connect(self, url: str, namespace: str, auth: dict, timeout: float = 30) -> None:
        loop = asyncio.get_running_loop()
        parts = urlparse(url)
        self.namespace = namespace
        self._handshake = loop.create_future()
        self._namespace_ready = loop.create_future()
        await asyncio.wait_for(loop.create_connection(lambda: self, parts.hostname, parts.port or 80), timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.transport.write((
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        await asyncio.wait_for(self._handshake, timeout)
        self.send_text(f"40{namespace},{json.dumps(auth)}")
        await asyncio.wait_for(self._namespace_ready, timeout)

    async def call(self, event: str, data, namespace: str | None = None, timeout: float = 30):
        """Emit `event` with `data` and return the server's acknowledgement (its first argument).

        `namespace` is accepted for python-socketio's signature; the phone has one namespace."""
        if self.closed:
            raise ConnectionClosed("connection closed")
        self.next_id += 1
        ack_id = self.next_id
        future = asyncio.get_running_loop().create_future()
        self.pending[ack_id] = future
        self.send_text(f"42{self.namespace},{ack_id}{json.dumps([event, data], separators=(',', ':'))}")
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self.pending.pop(ack_id, None)

    async def disconnect(self) -> None:
        self.close()

    def close(self) -> None:
        if self.transport is not None and not self.closed:
            self.send_text(f"41{self.namespace},")
            self.transport.close()
        self.closed = True

    # -- wire ----------------------------------------------------------------------------------
    def send_text(self, text: str) -> None:
        """One masked text frame. The mask is zero (allowed by RFC 6455; a load generator needs no secrecy)."""
        payload = text.encode()
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x81, 0x80 | size)
        elif size < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, size)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
        self.transport.write(header + b"\0\0\0\0" + payload)

    def connection_made(self, transport) -> None:
        self.transport = transport

    def connection_lost(self, exc) -> None:
        self.closed = True
        self.close_reason = self.close_reason or (f"{type(exc).__name__}: {exc}" if exc else "closed by the server")
        error = ConnectionClosed(self.close_reason)
        for future in (self._handshake, self._namespace_ready, *self.pending.values()):
            if future is not None and not future.done():
                future.set_exception(error)

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buffer[:end]).split(b"\r\n", 1)[0]
            del buffer[:end + 4]
            if b" 101 " not in status:
                self._fail(ConnectionClosed(status.decode(errors="replace")))
                return
            self.upgraded = True
        while len(buffer) >= 2:
            opcode = buffer[0] & 0x0F
            size = buffer[1] & 0x7F
            start = 2
            if size == 126:
                if len(buffer) < 4:
                    return
                size = struct.unpack_from("!H", buffer, 2)[0]
                start = 4
            elif size == 127:
                if len(buffer) < 10:
                    return
                size = struct.unpack_from("!Q", buffer, 2)[0]
                start = 10
            if len(buffer) < start + size:
                return
            payload = bytes(buffer[start:start + size])
            del buffer[:start + size]
            if opcode == 1:
                self._packet(payload)
            elif opcode == 8:
                code = struct.unpack_from("!H", payload)[0] if len(payload) >= 2 else None
                self.close_reason = f"WebSocket close frame {code} {payload[2:].decode(errors='replace')}"
                self.transport.close()
                return
            elif opcode == 9:  # WebSocket ping: pong with the same payload
                self.transport.write(struct.pack("!BB", 0x8A, 0x80 | len(payload)) + b"\0\0\0\0" + payload)

    def _packet(self, payload: bytes) -> None:
        kind = payload[:1]
        if kind == b"4":  # Engine.IO message = one Socket.IO packet
            body = payload[1:]
            ns = self.namespace.encode()
            packet_type = body[:1]
            rest = body[1:]
            if rest.startswith(ns):
                rest = rest[len(ns) + 1:]  # the namespace and its comma
            if packet_type == b"2":  # an event we did not ask for: count it by name, decode nothing
                name_end = rest.find(b'"', 2)
                name = rest[2:name_end].decode()
                self.events[name] += 1
                if name in self.keep:
                    self.last_event[name] = rest.decode()
            elif packet_type == b"3":  # an acknowledgement: <id>[args]
                bracket = rest.find(b"[")
                future = self.pending.get(int(rest[:bracket]))
                if future is not None and not future.done():
                    args = json.loads(rest[bracket:])
                    future.set_result(args[0] if args else None)
            elif packet_type == b"0":
                if not self._namespace_ready.done():
                    self._namespace_ready.set_result(None)
            elif packet_type == b"4":
                self._fail(ConnectionClosed("namespace refused: " + rest.decode(errors="replace")))
            elif packet_type == b"1":
                self.close_reason = "Socket.IO disconnect packet"
                self.transport.close()
        elif kind == b"2":  # Engine.IO ping from the server: pong
            self.send_text("3")
        elif kind == b"0":
            if not self._handshake.done():
                self._handshake.set_result(json.loads(payload[1:]))
        elif kind == b"1":
            self.close_reason = "Engine.IO close packet"
            self.transport.close()

    def _fail(self, error: Exception) -> None:
        for future in (self._handshake, self._namespace_ready):
            if future is not None and not future.done():
                future.set_exception(error)
        if self.transport is not None:
            self.transport.close()
