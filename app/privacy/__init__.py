"""The privacy area: retention and purge, secret ballot, self-deletion, exports, recount.

Its views are imported by create_app, not here (no import cycles)."""
from flask import Blueprint

bp = Blueprint("privacy", __name__)
