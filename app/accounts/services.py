"""Organiser accounts: creation and password check."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from barcamp.accounts.models import Organiser
from barcamp.common.errors import Conflict, InvalidInput, Unauthorized
from barcamp.extensions import db
from barcamp.security.passwords import verify_password

#: an argon2id hash of a random password, checked when the e-mail is unknown
_DUMMY_HASH = "$argon2id$v=19$m=47104,t=1,p=1$45J2/6MXJ+6LewJJwi8EKQ$Q9jqYM4Zx0OvALn242otlTYJhH8ylfxT9wyynR4ee+s"

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
    if organiser is None:
        verify_password(_DUMMY_HASH, password)  # same work as for a real account: no timing oracle
        raise Unauthorized("bad_credentials", _("E-mail ou mot de passe incorrect."))
    if not organiser.check_password(password):  # re-hashes an outdated hash: the caller commits
        raise Unauthorized("bad_credentials", _("E-mail ou mot de passe incorrect."))
    if not organiser.session_id:  # accounts created before session ids
        organiser.end_sessions()
    db.session.flush()
    return organiser
