"""The icebreaker quiz area. Its views and sockets are imported by create_app, not here, so that importing
this area's models never drags in another area's views (no import cycles)."""
from flask import Blueprint

bp = Blueprint("quiz", __name__)
