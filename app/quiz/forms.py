"""Page forms of the quiz (they carry the CSRF token; the API takes JSON instead)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, SelectField
from wtforms.validators import AnyOf, NumberRange, Optional

from barcamp.quiz.enums import QuizMode


class AnswerForm(FlaskForm):
    choice = IntegerField(validators=[NumberRange(0, 50)])


class SettingsForm(FlaskForm):
    quiz = SelectField(_l("Quiz"), choices=[])
    mode = RadioField(_l("Déroulé"), choices=[SelectChoice(m.value, m.label) for m in QuizMode], default=QuizMode.SELF_PACED.value)
    countdown = IntegerField(
        _l("Compte à rebours par question, en secondes (laisser vide : pas de limite de temps)"),
        validators=[Optional(), NumberRange(5, 600)],
    )


class ControlForm(FlaskForm):
    action = HiddenField(validators=[AnyOf(["open", "close", "results"])])
