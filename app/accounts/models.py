"""Organiser accounts."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.common.db import utcnow
from app.extensions import db


class Organiser(UserMixin, db.Model):
    __tablename__ = "organisers"

    #: primary key
    id: Mapped[int] = mapped_column(primary_key=True)
    #: login e-mail, stored lower-case
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: werkzeug (scrypt) password hash
    password_hash: Mapped[str] = mapped_column(String(255))
    #: when the account was created
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<Organiser {self.id} {self.email}>"
