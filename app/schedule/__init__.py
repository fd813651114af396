"""The BarCamp grid: rooms, time slots, sessions, workshop formats, auto-scheduling, sign-ups, ICS."""
from flask import Blueprint

bp = Blueprint("schedule", __name__)
