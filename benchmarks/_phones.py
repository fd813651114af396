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
    ack = await phone.call("join", {"event_id": 1}, timeout=30, light=True)

`light=True` is for the big acknowledgements (a `join` or `sync` carries the whole forum, 100 KB at
150 topics): an ack that starts `[{"ok": true` resolves to {"ok": True, "bytes": n} without
decoding it (a real phone decodes its own state on its own CPU; 1,000 phones in one client
process decoding theirs would queue the later acks behind that work and count it as server
time); any other ack is decoded. Light acks also carry `received_at`, the time.time() at which
the frame that completed the ack was read from the socket (not when the awaiting coroutine ran).

Binary packets (Socket.IO 5 BINARY_EVENT / BINARY_ACK, their attachments in WebSocket binary
frames) are understood too: a binary ack resolves like a text one, a binary event is counted.
`abort()` drops the connection without a goodbye, as a Wi-Fi blip does; `drain()` waits while
the kernel's send buffer is full (a flooder writing as fast as the server reads); acks nobody
waits for go to `on_unclaimed_ack(raw)` when it is set (the flooder counts them without futures).
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import struct
import time
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
        self.pending: dict[int, tuple[asyncio.Future, bool]] = {}  # ack id -> (future, light)
        #: called with the raw ack ("[...]" bytes) of an emit nobody awaits (see `emit`)
        self.on_unclaimed_ack = None
        #: a binary packet waiting for its attachments: (packet type, packet, offset, count, frames)
        self._binary: tuple[bytes, bytes, int, int, list[bytes]] | None = None
        self._writable: asyncio.Event | None = None
        self._now = 0.0
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
        self._writable = asyncio.Event()
        self._writable.set()
        await asyncio.wait_for(loop.create_connection(lambda: self, parts.hostname, parts.port or 80), timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.transport.write((
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        await asyncio.wait_for(self._handshake, timeout)
        self.send_text(f"40{namespace},{json.dumps(auth)}")
        await asyncio.wait_for(self._namespace_ready, timeout)

    async def call(self, event: str, data, namespace: str | None = None, timeout: float = 30,
                   light: bool = False):
        """Emit `event` with `data` and return the server's acknowledgement (its first argument).

        `namespace` is accepted for python-socketio's signature; the phone has one namespace.
        `light`: see the module's docstring (a dict with "ok", "bytes", "received_at")."""
        if self.closed:
            raise ConnectionClosed(self.close_reason or "connection closed")
        self.next_id += 1
        ack_id = self.next_id
        future = asyncio.get_running_loop().create_future()
        self.pending[ack_id] = (future, light)
        self.send_text(f"42{self.namespace},{ack_id}{json.dumps([event, data], separators=(',', ':'))}")
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self.pending.pop(ack_id, None)

    def emit(self, event: str, data) -> None:
        """Emit `event` with an ack id and wait for nothing: the ack goes to `on_unclaimed_ack`."""
        self.next_id += 1
        self.send_text(f"42{self.namespace},{self.next_id}{json.dumps([event, data], separators=(',', ':'))}")

    async def drain(self) -> None:
        """Wait until the transport accepts more (asyncio paused writing: the kernel buffer is full)."""
        if self._writable is not None and not self._writable.is_set():
            await self._writable.wait()

    async def disconnect(self) -> None:
        self.close()

    def close(self) -> None:
        if self.transport is not None and not self.closed:
            self.send_text(f"41{self.namespace},")
            self.transport.close()
        self.closed = True

    def abort(self, reason: str = "dropped") -> None:
        """Drop the connection at once, without a Socket.IO or WebSocket goodbye (a Wi-Fi blip)."""
        self.close_reason = reason
        if self.transport is not None:
            self.transport.abort()  # connection_lost follows: pending acks fail with ConnectionClosed
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
        futures = [future for future, _light in self.pending.values()]
        for future in (self._handshake, self._namespace_ready, *futures):
            if future is not None and not future.done():
                future.set_exception(error)
        for future in (self._handshake, self._namespace_ready):
            if future is not None and not future.cancelled():
                future.exception()  # retrieved: nobody may be awaiting them any more (no asyncio warning)
        if self._writable is not None:
            self._writable.set()  # a writer waiting in drain() sees `closed`

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    def data_received(self, data: bytes) -> None:
        self._now = time.time()
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
            elif opcode == 2:
                self._attachment(payload)
            elif opcode == 8:
                code = struct.unpack_from("!H", payload)[0] if len(payload) >= 2 else None
                self.close_reason = f"WebSocket close frame {code} {payload[2:].decode(errors='replace')}"
                self.transport.close()
                return
            elif opcode == 9:  # WebSocket ping: pong with the same payload
                self.transport.write(struct.pack("!BB", 0x8A, 0x80 | len(payload)) + b"\0\0\0\0" + payload)

    def _packet(self, payload: bytes) -> None:
        """One Engine.IO packet. Offsets, not slices: a join's ack is 100 KB, copied once at most."""
        kind = payload[:1]
        if kind == b"4":  # Engine.IO message = one Socket.IO packet: <type>[<count>-][<namespace>,]...
            packet_type = payload[1:2]
            pos = 2
            attachments = 0
            if packet_type in (b"5", b"6"):  # binary event / ack: <count>-<namespace>,...
                dash = payload.find(b"-", pos)
                attachments = int(payload[pos:dash])
                pos = dash + 1
            ns = self.namespace.encode()
            if payload.startswith(ns, pos):
                pos += len(ns) + 1  # the namespace and its comma
            if attachments:
                self._binary = (packet_type, payload, pos, attachments, [])
                return
            if packet_type in (b"2", b"5"):
                self._event(payload, pos)
            elif packet_type in (b"3", b"6"):
                self._ack(payload, pos, 0)
            elif packet_type == b"0":
                if not self._namespace_ready.done():
                    self._namespace_ready.set_result(None)
            elif packet_type == b"4":
                self._fail(ConnectionClosed("namespace refused: " + payload[pos:].decode(errors="replace")))
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

    def _event(self, data: bytes, pos: int) -> None:
        """An event we did not ask for (["name",...] from `pos`): count it by name, decode nothing."""
        name_end = data.find(b'"', pos + 2)
        name = data[pos + 2:name_end].decode()
        self.events[name] += 1
        if name in self.keep:
            self.last_event[name] = data[pos:].decode()

    def _ack(self, data: bytes, pos: int, extra_bytes: int) -> None:
        """An acknowledgement: <id>[args] from `pos`."""
        bracket = data.find(b"[", pos)
        entry = self.pending.get(int(data[pos:bracket]))
        if entry is None:
            if self.on_unclaimed_ack is not None:
                self.on_unclaimed_ack(data[bracket:])
            return
        future, light = entry
        if future.done():
            return
        if light:
            future.set_result(light_ack(data, bracket, extra_bytes, self._now))
        else:
            args = json.loads(data[bracket:])
            future.set_result(args[0] if args else None)

    def _attachment(self, payload: bytes) -> None:
        """A binary frame: the next attachment of the binary packet being received."""
        if self._binary is None:
            return
        packet_type, data, pos, count, frames = self._binary
        frames.append(payload)
        if len(frames) < count:
            return
        self._binary = None
        if packet_type == b"5":
            self._event(data, pos)
        else:  # attachments are not decoded: a light ack says ok and counts the bytes
            self._ack(data, pos, sum(len(frame) for frame in frames))

    def _fail(self, error: Exception) -> None:
        self.close_reason = self.close_reason or str(error)
        for future in (self._handshake, self._namespace_ready):
            if future is not None and not future.done():
                future.set_exception(error)
        if self.transport is not None:
            self.transport.close()


_STATE_VERSION = re.compile(rb'"state":\{"version":(\d+)')


def light_ack(data: bytes, start: int, extra_bytes: int, received_at: float) -> dict:
    """The ack data[start:] ("[{...}, ...]"): {"ok": True, "bytes", "received_at"} when it starts
    [{"ok": true (not decoded); else the decoded first argument with those two keys added."""
    size = len(data) - start + extra_bytes
    if data[start:start + 24].replace(b" ", b"").startswith(b'[{"ok":true'):
        # the state's forum version heads it: a phone sends it back when it joins again (live.js does)
        found = _STATE_VERSION.search(data, start, start + 200)
        return {"ok": True, "bytes": size, "received_at": received_at,
                "version": int(found.group(1)) if found else None}
    args = json.loads(data[start:])
    first = args[0] if args else None
    if not isinstance(first, dict):
        first = {"ok": False, "error": {"code": "unexpected_ack", "message": repr(first)[:200]}}
    return {**first, "bytes": size, "received_at": received_at}
