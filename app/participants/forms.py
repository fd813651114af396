from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from barcamp.participants.enums import Profile


class CodeForm(FlaskForm):
    code = StringField(_l("Code du forum"), validators=[DataRequired(), Length(max=20)])


class JoinForm(FlaskForm):
    name = StringField(_l("Votre prénom ou pseudonyme (facultatif)"), validators=[Optional(), Length(max=60)])
    profile = SelectField(
        _l("Vous êtes… (facultatif)"),
        choices=[SelectChoice("", _l("— Je préfère ne pas le dire —"))] + [SelectChoice(p.value, p.label) for p in Profile],
        default="",
        validators=[Optional()],
    )
