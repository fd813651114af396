"""States of a sign-up."""
from __future__ import annotations

import enum


class SignupStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
