"""Sections of a workshop board, in the restitution's order."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class CardSection(enum.StrEnum):
    CONSTAT = "constat"
    QUESTIONS = "questions"
    PROPOSITIONS = "propositions"
    PISTES = "pistes"
    CONSEILS = "conseils"
    PROCHAINE_ETAPE = "prochaine_etape"
    INDICATEURS = "indicateurs"

    @property
    def label(self):
        return SECTION_LABELS[self]

    @property
    def hint(self):
        return SECTION_HINTS[self]


SECTION_LABELS = {
    CardSection.CONSTAT: _l("Constat"),
    CardSection.QUESTIONS: _l("Questions"),
    CardSection.PROPOSITIONS: _l("Nous proposons de…"),
    CardSection.PISTES: _l("Pistes pour agir"),
    CardSection.CONSEILS: _l("Conseils pour réussir"),
    CardSection.PROCHAINE_ETAPE: _l("Prochaine étape"),
    CardSection.INDICATEURS: _l("Indicateurs"),
}

#: one line under each column title, to help a group start writing
SECTION_HINTS = {
    CardSection.CONSTAT: _l("Le problème, et pourquoi il persiste"),
    CardSection.QUESTIONS: _l("Les questions soulevées"),
    CardSection.PROPOSITIONS: _l("Une proposition, et ce qu’elle fait gagner"),
    CardSection.PISTES: _l("Comment s’y prendre concrètement"),
    CardSection.CONSEILS: _l("Ce qui fera la différence"),
    CardSection.PROCHAINE_ETAPE: _l("Qui fait quoi, et quand"),
    CardSection.INDICATEURS: _l("Comment saura-t-on que ça marche"),
}
