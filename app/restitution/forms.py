"""The restitution editor's forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional


class IntroForm(FlaskForm):
    context = TextAreaField(_l("Contexte"), validators=[Optional(), Length(max=10_000)])
    dates = StringField(_l("Dates (telles qu’elles doivent apparaître)"), validators=[Optional(), Length(max=200)])
    place = StringField(_l("Lieu"), validators=[Optional(), Length(max=200)])
    thanks = TextAreaField(_l("Remerciements"), validators=[Optional(), Length(max=10_000)])
    include_names = BooleanField(_l("Faire apparaître les pseudonymes"))


class MoveForm(FlaskForm):
    """Move a chapter up or down."""

    workshop_id = HiddenField()
    direction = HiddenField()


class ActionForm(FlaskForm):
    """A bare form (CSRF token only): publish, unpublish."""
