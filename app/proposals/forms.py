from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ProposalForm(FlaskForm):
    title = StringField(_l("Titre du sujet"), validators=[DataRequired(), Length(min=3, max=120)])
    description = TextAreaField(_l("Description (facultatif)"), validators=[Optional(), Length(max=2000)])
    theme_id = SelectField(_l("Thème"), choices=[], validators=[Optional()], validate_choice=True)
    tags = StringField(_l("Mots-clés, séparés par des virgules (facultatif)"), validators=[Optional(), Length(max=300)])

    def __init__(self, event, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_id.choices = [("", _l("— Aucun —"))] + [(str(t.id), t.name) for t in event.themes]

    def to_data(self) -> dict:
        """The form's clean values, in the shape of the API's ProposalCreate."""
        tags = [t.strip() for t in (self.tags.data or "").split(",") if t.strip()]
        return {
            "title": self.title.data or "",
            "description": self.description.data or "",
            "theme_id": int(self.theme_id.data) if self.theme_id.data else None,
            "tags": tags,
        }
