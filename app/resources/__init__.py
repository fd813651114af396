"""The resource library and the glossary: content files, forum additions, attachments to topics and workshops.

Views are imported by create_app, not here (no import cycles between areas)."""
from flask import Blueprint

bp = Blueprint("resources", __name__)
