"""A demo forum built from the four topics of the 2017 Alpes-Maritimes BarCamp restitution."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from barcamp.accounts.models import Organiser
from barcamp.accounts.services import create_organiser
from barcamp.common.db import write_transaction
from barcamp.events.enums import Phase
from barcamp.events.models import Event
from barcamp.events.presenters import join_url, projector_url
from barcamp.events.schemas import EventCreate
from barcamp.events.services import create_event, transition_phase
from barcamp.extensions import db
from barcamp.proposals.schemas import ProposalCreate
from barcamp.proposals.services import create_proposal

DEMO_EMAIL = "demo@barcamp.local"
DEMO_PASSWORD = "barcamp-demo"
DEMO_TITLE = "Forum de l'innovation publique — démo"

#: source: « Restitution des débats », BarCamp du Département des Alpes-Maritimes, novembre 2017
DEMO_THEMES = ["Développement durable", "Innovation managériale", "Relation service public/usager"]
DEMO_TOPICS = [
    (
        "Développement durable : comment passer à l'échelle ?",
        "Pourquoi le développement durable peine à intégrer les politiques publiques ? Beaucoup "
        "d'initiatives citoyennes, mais le relais public peine à émerger de manière durable : combien "
        "d'agendas 21 restés lettres mortes ?",
        0,
    ),
    (
        "Vous avez dit : nouvelles organisations de travail ?",
        "Comment faire entrer le collaboratif dans des administrations perçues comme pyramidales et "
        "cloisonnées ? Peut-on imaginer un management participatif, voire une « libération » des unités "
        "de travail dans le secteur public ?",
        1,
    ),
    (
        "Faire participer l'usager/utilisateur/citoyen",
        "Les usagers du service public ne se sentent pas assez entendus : le service public décide à "
        "leur place et impose une vision qui n'est pas forcément partagée.",
        2,
    ),
    (
        "La transition numérique : simplification ou fracture pour l'usager ?",
        "Le numérique, bien souvent, c'est le parcours du combattant : de l'assistante sociale à la "
        "médiathèque, et retour.",
        2,
    ),
]


def create_demo() -> dict[str, str]:
    """Create (once) the demo organiser and forum, in the proposals phase; return how to reach them."""
    with write_transaction():
        organiser = db.session.scalar(select(Organiser).where(Organiser.email == DEMO_EMAIL))
        if organiser is None:
            organiser = create_organiser(DEMO_EMAIL, DEMO_PASSWORD)
        else:
            organiser.set_password(DEMO_PASSWORD)
        event = db.session.scalar(
            select(Event).where(Event.organiser_id == organiser.id, Event.title == DEMO_TITLE)
        )
        if event is None:
            event = create_event(
                organiser.id,
                EventCreate(
                    title=DEMO_TITLE,
                    starts_at=datetime(2017, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris")),
                    place="Nice, Centre administratif départemental",
                    description="Open-innovation publique au service du développement durable, de "
                    "l'innovation managériale et de la relation service public/usager.",
                    themes=DEMO_THEMES,
                ),
            )
            transition_phase(event, Phase.PROPOSALS)
            for title, description, theme_index in DEMO_TOPICS:
                create_proposal(
                    event,
                    None,
                    ProposalCreate(title=title, description=description, theme_id=event.themes[theme_index].id),
                )
        from barcamp.workshops.demo import create_demo_workshops  # workshops sit above the demo's areas

        create_demo_workshops(event)
    return {
        "organiser login": f"{DEMO_EMAIL} / {DEMO_PASSWORD}",
        "login page": "http://127.0.0.1:5000/organiser/login",
        "join code": event.join_code,
        "join URL": join_url(event),
        "projector URL": projector_url(event),
    }
