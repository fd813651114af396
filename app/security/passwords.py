"""Organiser passwords: argon2id (memory-hard), with old werkzeug hashes upgraded at login."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from werkzeug.security import check_password_hash

#: OWASP Password Storage Cheat Sheet, argon2id: 46 MiB of memory, 1 iteration, 1 lane
DEFAULT_MEMORY_KIB = 47104
DEFAULT_TIME_COST = 1


def _hasher() -> PasswordHasher:
    config = current_app.config if has_app_context() else {}
    return PasswordHasher(
        time_cost=config.get("PASSWORD_HASH_TIME_COST", DEFAULT_TIME_COST),
        memory_cost=config.get("PASSWORD_HASH_MEMORY_KIB", DEFAULT_MEMORY_KIB),
        parallelism=1,
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> tuple[bool, str | None]:
    """Check a password; return (ok, new hash to store or None).

    A werkzeug hash (scrypt/pbkdf2, from before argon2) or an argon2 hash with weaker parameters
    than today's is replaced by a fresh argon2id hash once the password is proven right.
    """
    hasher = _hasher()
    if stored_hash.startswith("$argon2"):
        try:
            hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False, None
        return True, (hasher.hash(password) if hasher.check_needs_rehash(stored_hash) else None)
    if check_password_hash(stored_hash, password):
        return True, hasher.hash(password)
    return False, None
