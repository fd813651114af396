"""The restitution: the forum's document, its editor, its public page and its exports."""
from flask import Blueprint

bp = Blueprint("restitution", __name__)
