"""The voting area. Its views and sockets are imported by create_app, not here, so that importing
this area's models never drags in another area's views (no import cycles)."""
from flask import Blueprint

bp = Blueprint("voting", __name__)

# The hooks go with the models, not with the views: wherever ballots exist (app, CLI, a test without
# create_app), a topic shown again trims the ballots it would push over budget.
from barcamp.voting import hooks  # noqa: E402,F401
