from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class MergeForm(FlaskForm):
    """Merge one group: pick its topics, keep one of them (or a new topic), edit title and description."""

    proposal_ids = SelectMultipleField(
        _l("Sujets à regrouper"), coerce=int, validate_choice=False,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
    )
    into = RadioField(_l("Sujet conservé"), choices=[], validate_choice=False, validators=[Optional()])
    title = StringField(_l("Titre du sujet regroupé"), validators=[DataRequired(), Length(min=3, max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
