"""Demo workshops: the four 2017 topics with a few of their actual cards, prepared by the organiser.

Source: « Restitution des débats », BarCamp du Département des Alpes-Maritimes, novembre 2017.
"""
from __future__ import annotations

from sqlalchemy import select

from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.proposals.models import Proposal
from barcamp.workshops.enums import CardSection as S
from barcamp.workshops.models import Workshop
from barcamp.workshops.services import Caller, add_card, create_workshop

#: per demo topic (by position): (section, text, gain, number)
DEMO_CARDS = [
    [
        (S.CONSTAT, "Beaucoup d’initiatives citoyennes, mais le relais public peine à émerger de manière durable : "
                    "combien d’agendas 21 restés lettres mortes ?", None, None),
        (S.QUESTIONS, "Faut-il faire de chaque expérimentation réussie un « générique » à redéployer ?", None, None),
        (S.PROPOSITIONS, "Le Département doit être engagé et exemplaire : déployer auprès de ses agents, des "
                         "collégiens et des usagers des expérimentations portées par des citoyens.",
         "Montrer l’exemple et faire progresser la connaissance de « ce qui marche ».", 1),
    ],
    [
        (S.CONSTAT, "Le service public pourrait devenir une start-up géante !", None, None),
        (S.PISTES, "Favorisons le partage des connaissances et la transversalité dès que l’occasion se présente.",
         None, None),
        (S.CONSEILS, "Trouver une organisation pour faire un « pilote », avec un haut sponsor.", None, None),
    ],
    [
        (S.CONSTAT, "Les usagers du service public ne se sentent pas assez entendus.", None, None),
        (S.PROPOSITIONS, "Recenser les problèmes des usagers de façon ouverte : plateforme en ligne, enquête, "
                         "cahier de doléances…", "On va enfin prendre en compte les attentes des usagers.", 1),
        (S.INDICATEURS, "Des indicateurs pour évaluer les solutions trouvées et renouveler l’opération.", None, None),
    ],
    [
        (S.CONSTAT, "Le numérique, bien souvent, c’est le parcours du combattant !", None, None),
        (S.PROPOSITIONS, "Créer le SANU : service d’assistance numérique d’urgence.",
         "Un accès plus rapide aux droits.", 1),
        (S.PROCHAINE_ETAPE, "Expérimenter sur un territoire pilote : le territoire 2 par exemple.", None, None),
    ],
]


def create_demo_workshops(event: Event) -> list[Workshop]:
    """Create (once) one workshop per demo topic with a few cards; run inside write_transaction()."""
    if db.session.scalar(select(Workshop.id).where(Workshop.event_id == event.id).limit(1)) is not None:
        return []
    topics = list(db.session.scalars(select(Proposal).where(Proposal.event_id == event.id).order_by(Proposal.id)))
    organiser = Caller("organiser", organiser_id=event.organiser_id)
    created = []
    for topic, cards in zip(topics, DEMO_CARDS):
        workshop = create_workshop(event, topic.title[:120], proposal_ids=[topic.id])
        for section, text, gain, number in cards:
            card = add_card(workshop, organiser, section, text, gain)
            card.number = number
        created.append(workshop)
    db.session.flush()
    return created
