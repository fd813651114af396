"""The venue's network: which address phones can reach this computer at.

A forum runs on one laptop; phones join over the venue's Wi-Fi (or a phone's hotspot). A join
link or QR code that points at 127.0.0.1 or localhost opens on the laptop only: phones get
"site unreachable". These helpers find the laptop's address on the local network and tell a
loopback URL from one that phones can open.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

#: what "every interface" looks like on the command line
ALL_INTERFACES = frozenset({"0.0.0.0", "::", ""})


def is_loopback_host(host: str | None) -> bool:
    """Whether `host` (a name or an address, without port) is this computer only."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str | None) -> bool:
    """Whether a join link points at this computer only (phones can't open it)."""
    return bool(url) and is_loopback_host(urlsplit(url).hostname)


def lan_address() -> str | None:
    """This computer's address on its local network (the interface of its default route), or None.

    A UDP "connection" sends nothing: it only makes the kernel pick the outgoing interface.
    """
    for target in ("192.0.2.1", "10.255.255.255"):  # TEST-NET-1 (RFC 5737), then a private address
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect((target, 9))
                address = probe.getsockname()[0]
        except OSError:
            continue
        if address and not ipaddress.ip_address(address).is_loopback and address != "0.0.0.0":
            return address
    return None


def room_url(host: str, port: int) -> str | None:
    """The base URL phones use when the server listens on `host`: None when only this computer can reach it."""
    if is_loopback_host(host):
        return None
    address = lan_address() if host in ALL_INTERFACES else host
    if address is None:
        return None
    if ":" in address:  # IPv6
        address = f"[{address}]"
    return f"http://{address}:{port}"
