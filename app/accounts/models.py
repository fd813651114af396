"""Organiser accounts."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column
from barcamp.common.db import utcnow
from barcamp.extensions import db
from barcamp.security.passwords import hash_password, verify_password


def new_session_id() -> str:
    return secrets.token_urlsafe(16)


class Organiser(UserMixin, db.Model):
    __tablename__ = "organisers"

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: login e-mail, stored lower-case
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: argon2id password hash (werkzeug scrypt hashes of older accounts are upgraded at login)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: the organiser's session id: in the login cookie and in every organiser token; logout
    #: replaces it, which ends every page session, remember cookie, token and socket issued before
    session_id: Mapped[str] = mapped_column(String(32), default=new_session_id, server_default="")
    #: when the account was created
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """Check the password; a right one under an outdated hash is re-hashed (commit to keep it)."""
        ok, new_hash = verify_password(self.password_hash, password)
        if new_hash is not None:
            self.password_hash = new_hash
        return ok

    def get_id(self) -> str:
        """Flask-Login's cookie value: the id and the session id, so logout revokes old cookies."""
        return f"{self.id}:{self.session_id}"

    def end_sessions(self) -> None:
        """Revoke every login cookie and organiser token issued so far."""
        self.session_id = new_session_id()

    def __repr__(self) -> str:
        return f"<Organiser {self.id} {self.email}>"
