from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class PolicyForm(FlaskForm):
    organisation = StringField(_l("Organisme responsable du forum"), validators=[Optional(), Length(max=200)])
    secret_ballot = BooleanField(_l("Scrutin secret : effacer le lien entre participants et votes à la clôture"))
    retention_months = IntegerField(_l("Durée de conservation (mois)"), validators=[NumberRange(1, 120)])
    report_threshold = IntegerField(_l("Signalements avant masquage automatique"), validators=[NumberRange(1, 100)])


class ForgetForm(FlaskForm):
    """Empty but for the CSRF token: a plain confirmation button."""


class AccountDeleteForm(FlaskForm):
    password = PasswordField(_l("Mot de passe (pour confirmer)"), validators=[DataRequired(), Length(max=1024)])
