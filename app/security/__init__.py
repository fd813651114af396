"""Cross-cutting protections: security headers, throttling, socket guards, password hashing.

Nothing here is tied to one area: `init_app` installs app-level hooks, so pages and socket
events added later are covered without touching this package.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Install the response headers and cookie settings of every page."""
    from app.security.headers import init_headers

    init_headers(app)
