"""The accessibility statement (RGAA 4.1) at /accessibilite.

Its views are imported by create_app, not here (no import cycles)."""
from flask import Blueprint

bp = Blueprint("accessibility", __name__)
