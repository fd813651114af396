"""Page forms of the grid (they carry the CSRF token; the API takes JSON instead)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    StringField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional


class RoomForm(FlaskForm):
    name = StringField(_l("Nom de la salle"), validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(_l("Places"), validators=[DataRequired(), NumberRange(1, 10000)])


class SlotForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("Début"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Fin"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])


class PlaceForm(FlaskForm):
    """One session's controls: room and slot selects, lock, format (works without JavaScript)."""

    room_id = IntegerField(validators=[Optional()])
    slot_id = IntegerField(validators=[Optional()])
    locked = BooleanField()
    format = StringField(validators=[Optional(), Length(max=60)])


class AddSessionForm(FlaskForm):
    proposal_id = IntegerField(validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (auto-schedule, publish, delete)."""

    action = HiddenField(validators=[Optional(), AnyOf(["", "publish", "unpublish", "join", "leave"])])
