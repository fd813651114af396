"""`barcamp demo` prepares the four 2017 workshops with a few of their cards, once."""
from __future__ import annotations

from sqlalchemy import select

from barcamp.demo import create_demo
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.workshops import services


def test_demo_creates_the_2017_workshops_once(ctx):
    create_demo()
    create_demo()

    event = db.session.scalar(select(Event))
    workshops = services.list_workshops(event.id)
    assert [w.title for w in workshops] == [
        "Développement durable : comment passer à l'échelle ?", "Vous avez dit : nouvelles organisations de travail ?",
        "Faire participer l'usager/utilisateur/citoyen",
        "La transition numérique : simplification ou fracture pour l'usager ?"]
    board = services.board_state(workshops[3])
    proposals = board["sections"][2]["cards"]
    assert [(c["number"], c["text"], c["gain"]) for c in proposals] == [
        (1, "Créer le SANU : service d’assistance numérique d’urgence.", "Un accès plus rapide aux droits.")]
