"""Organiser forms of the resources page: add a resource or a term, attach resources, delete."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, URL

from barcamp.resources.content import DATE_PATTERN


class ForumResourceForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(min=2, max=300)])
    author = StringField(_l("Auteur (facultatif)"), validators=[Optional(), Length(max=300)])
    source = StringField(_l("Source : revue, éditeur ou site (facultatif)"), validators=[Optional(), Length(max=300)])
    date = StringField(_l("Date : 2019, 05/2019 ou 21/05/2019 (facultatif)"),
                       validators=[Optional(), Regexp(DATE_PATTERN, message=_l("Date attendue : 2019, 05/2019 ou 21/05/2019."))])
    url = StringField(_l("Lien (facultatif)"), validators=[Optional(), URL(message=_l("Adresse web invalide.")), Length(max=1000)])
    summary = TextAreaField(_l("Résumé (facultatif)"), validators=[Optional(), Length(max=5000)])


class ForumTermForm(FlaskForm):
    term = StringField(_l("Terme"), validators=[DataRequired(), Length(min=2, max=80)])
    definition = TextAreaField(_l("Définition"), validators=[DataRequired(), Length(min=2, max=2000)])


class AttachForm(FlaskForm):
    #: "p-12" (a topic) or "w-3" (a workshop)
    target = SelectField(_l("Sujet ou atelier"), validators=[DataRequired()])
    resource_ids = SelectMultipleField(_l("Ressources « Pour aller plus loin »"), validators=[Optional()])


class DeleteForm(FlaskForm):
    class Meta:
        csrf = False  # the hand-written delete buttons send `csrf_token`, which CSRFProtect checks for every POST

    kind = HiddenField(validators=[DataRequired()])
    item_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d+$")])
