"""The regroupement area: similar topics and merges. Its views are imported by create_app, not here,
so that importing this area's models never drags in another area's views (no import cycles)."""
from flask import Blueprint

bp = Blueprint("regroupement", __name__)
