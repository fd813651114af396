from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from barcamp.events.enums import VotingMode


class EventForm(FlaskForm):
    title = StringField(_l("Titre du forum"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Date et heure"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    place = StringField(_l("Lieu"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    themes = TextAreaField(
        _l("Thèmes (un par ligne, facultatif)"), validators=[Optional(), Length(max=2500)]
    )
    voting_mode = RadioField(
        _l("Mode de priorisation"),
        choices=[SelectChoice(m.value, m.label) for m in VotingMode],
        default=VotingMode.DOTS.value,
    )
    dots = IntegerField(_l("Gommettes par participant"), default=3, validators=[NumberRange(1, 100)])
    max_per_proposal = IntegerField(_l("Gommettes au plus sur un même sujet"), default=2,
                                    validators=[NumberRange(1, 100)])

    def theme_list(self) -> list[str]:
        return [line.strip() for line in (self.themes.data or "").splitlines() if line.strip()]


class HideForm(FlaskForm):
    reason = StringField(_l("Raison"), validators=[DataRequired(), Length(max=500)])
