"""Page forms of the workshops (they carry the CSRF token; the API takes JSON instead)."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, IntegerField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from barcamp.workshops.enums import CardSection


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WorkshopForm(FlaskForm):
    title = StringField(_l("Titre de l'atelier"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description (facultatif)"), validators=[Optional(), Length(max=5000)])
    proposal_ids = CheckboxesField(_l("Sujets regroupés dans cet atelier"), coerce=int, choices=[],
                                   validators=[Optional()])
    dots_budget = IntegerField(_l("Gommettes par participant"), default=3, validators=[NumberRange(1, 100)])
    max_per_card = IntegerField(_l("Au plus, par proposition"), default=2, validators=[NumberRange(1, 100)])
    submit = SubmitField(_l("Créer l'atelier"))


class FromRankingForm(FlaskForm):
    top = IntegerField(_l("Un atelier par sujet, pour les premiers du classement"), default=4,
                       validators=[NumberRange(1, 50)])


class FacilitatorForm(FlaskForm):
    choice = RadioField(_l("Animateur"), default="me", choices=[
        SelectChoice("me", _l("Moi (organisateur)")),
        SelectChoice("link", _l("Un participant, par un lien d'animation secret")),
        SelectChoice("none", _l("Personne pour l'instant")),
    ])


class RenameWorkshopForm(FlaskForm):
    title = StringField(_l("Nouveau titre"), validators=[DataRequired(), Length(max=120)])


class DeleteWorkshopForm(FlaskForm):
    confirm = BooleanField(_l("Je confirme la suppression"), validators=[DataRequired()])


class CsrfOnlyForm(FlaskForm):
    """A button-only form (report a card): nothing but its CSRF token to check."""


class CardForm(FlaskForm):
    section = SelectField(_l("Rubrique"), choices=[SelectChoice(s.value, s.label) for s in CardSection],
                          default=CardSection.CONSTAT.value)
    text = TextAreaField(_l("Votre carte"), validators=[DataRequired(), Length(max=2000)])
    gain = TextAreaField(_l("Le gain (pour une proposition)"), validators=[Optional(), Length(max=2000)])
    #: idempotency key rendered with the page: posting the same form twice stores one card
    client_key = HiddenField(default=lambda: secrets.token_hex(16),
                             validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{8,64}$")])
