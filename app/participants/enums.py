"""Participant profile categories (they feed the restitution's "qui était là")."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class ParticipantKind(enum.StrEnum):
    """Who a participant row stands for; only people count as participants."""

    #: someone who joined the forum with its code
    PERSON = "person"
    #: holds the sealed ballots of one voter of a secret ballot (app/privacy): nobody; in no participant
    #: count, profile or export, only in the vote's per-voter grouping
    STAND_IN = "stand_in"


class Profile(enum.StrEnum):
    AGENT_PUBLIC = "agent_public"
    ETUDIANT = "etudiant"
    ENSEIGNANT_CHERCHEUR = "enseignant_chercheur"
    CONSULTANT = "consultant"
    SALARIE = "salarie"
    CHEF_ENTREPRISE = "chef_entreprise"
    CITOYEN = "citoyen"
    AUTRE = "autre"

    @property
    def label(self):
        return PROFILE_LABELS[self]


PROFILE_LABELS = {
    Profile.AGENT_PUBLIC: _l("Agent public"),
    Profile.ETUDIANT: _l("Étudiant·e"),
    Profile.ENSEIGNANT_CHERCHEUR: _l("Enseignant·e-chercheur·e"),
    Profile.CONSULTANT: _l("Consultant·e"),
    Profile.SALARIE: _l("Salarié·e"),
    Profile.CHEF_ENTREPRISE: _l("Chef·fe d'entreprise"),
    Profile.CITOYEN: _l("Citoyen·ne"),
    Profile.AUTRE: _l("Autre"),
}
