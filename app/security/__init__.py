"""Cross-cutting protections: security headers, throttling, socket guards, password hashing.

Nothing here is tied to one area: `init_app` installs app-level hooks, so pages and socket
events added later are covered without touching this package.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _

from barcamp.common.api import DB_INT_MAX
from barcamp.common.errors import NotFound


def init_app(app: Flask) -> None:
    """Install the response headers and cookie settings of every page; bound integer URL parts."""
    from barcamp.security.headers import init_headers

    init_headers(app)

    @app.url_value_preprocessor
    def _ids_fit_the_database(endpoint, values):
        """An `<int:…>` part bigger than an INTEGER column holds names nothing: 404, not a database error."""
        if values and any(type(v) is int and not -DB_INT_MAX <= v <= DB_INT_MAX for v in values.values()):
            raise NotFound("not_found", _("Ressource introuvable."))

