"""The moderation area: participants report topics; past a threshold they are hidden pending review.

Its views are imported by create_app, not here (no import cycles)."""
from flask import Blueprint

bp = Blueprint("moderation", __name__)
