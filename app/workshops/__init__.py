"""Co-design workshops: live boards of cards in the restitution's sections, and dots on proposals."""
from flask import Blueprint

bp = Blueprint("workshops", __name__)
