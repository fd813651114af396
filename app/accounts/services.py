"""Organiser accounts: creation and password check."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Organiser
from app.common.errors import Conflict, InvalidInput, Unauthorized
from app.extensions import db

MIN_PASSWORD_LENGTH = 8


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_organiser(email: str, password: str) -> Organiser:
    """Create an organiser account; the e-mail must be new and the password long enough."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise InvalidInput("invalid_email", _("Adresse e-mail invalide."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("weak_password", _("Le mot de passe doit faire au moins %(n)s caractères.", n=MIN_PASSWORD_LENGTH))
    if db.session.scalar(select(Organiser.id).where(Organiser.email == email)) is not None:
        raise Conflict("email_taken", _("Un compte existe déjà pour cette adresse."))
    organiser = Organiser(email=email)
    organiser.set_password(password)
    db.session.add(organiser)
    db.session.flush()
    return organiser


def authenticate(email: str, password: str) -> Organiser:
    organiser = db.session.scalar(select(Organiser).where(Organiser.email == normalise_email(email)))
    if organiser is None or not organiser.check_password(password):
        raise Unauthorized("bad_credentials", _("E-mail ou mot de passe incorrect."))
    return organiser
