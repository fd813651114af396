"""Builders for restitution tests: a small forum with topics, votes, a hidden topic and workshops.

The workshops are written through the models (the workshops area owns their API); the 2017
forum of the seed document is rebuilt through the API by tests/workshops/forum_2017.py when present.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from barcamp.common.db import utcnow, write_transaction
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.enums import Profile
from barcamp.participants.services import join_event
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.voting.models import Ballot

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
FRENCH = "Le « BarCamp » de l’œuvre commune"


@dataclass
class Forum:
    id: int
    organiser: dict
    topics: dict[str, int] = field(default_factory=dict)
    workshops: dict[str, int] = field(default_factory=dict)
    cards: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def build_forum(app, make_event):
    """A closed forum: 4 topics (one hidden), votes, 2 workshops with every section, a deleted and a merged card."""

    def _build(organiser=None, title: str = FRENCH) -> Forum:
        from barcamp.workshops.enums import CardSection
        from barcamp.workshops.models import (
            Card,
            CardDot,
            Workshop,
            WorkshopMember,
            WorkshopTopic,
        )

        event = make_event(organiser=organiser, phase="draft", title=title, place="Nice, CADAM",
                           description="Premier forum de l’innovation publique.",
                           themes=["Développement durable", "Management"])
        forum = Forum(id=event["id"], organiser=event["organiser"])
        with app.app_context(), write_transaction():
            ev = db.session.get(Event, forum.id)
            ev.phase = "closed"
            theme_ids = {t.name: t.id for t in ev.themes}
            alice, _ = join_event(ev, "Alice Pseudo", Profile.AGENT_PUBLIC)
            bob, _ = join_event(ev, "Bob Pseudo", Profile.ETUDIANT)
            carol, _ = join_event(ev, "", Profile.AGENT_PUBLIC)
            specs = [
                ("dd", "Développement durable : comment passer à l’échelle ?", "Développement durable", alice, (2, 2, 1)),
                ("orga", "Vous avez dit : nouvelles organisations de travail ?", "Management", bob, (1, 1, 1)),
                ("xss", f"Sujet piégé {XSS_SCRIPT} {XSS_IMG}", None, carol, (0, 0, 1)),
                ("hidden", "Sujet masqué par l’organisateur", None, bob, (0, 1, 0)),
                ("formula", "=HYPERLINK(\"http://evil\")", None, None, (0, 0, 0)),
            ]
            for key, t, theme, author, dots in specs:
                p = Proposal(event_id=ev.id, title=t, description="", theme_id=theme_ids.get(theme) if theme else None,
                             tags=[], author_id=author.id if author else None)
                db.session.add(p)
                db.session.flush()
                forum.topics[key] = p.id
                for voter, value in zip((alice, bob, carol), dots):
                    if value:
                        db.session.add(Ballot(event_id=ev.id, participant_id=voter.id, proposal_id=p.id, value=value))
                db.session.flush()
            hidden = db.session.get(Proposal, forum.topics["hidden"])
            hidden.status = ProposalStatus.HIDDEN
            hidden.hidden_reason = "hors sujet"

            w1 = Workshop(event_id=ev.id, title="Développement durable : comment passer à l’échelle ?", position=0)
            w2 = Workshop(event_id=ev.id, title="Vous avez dit : nouvelles organisations de travail ?", position=1)
            db.session.add_all([w1, w2])
            db.session.flush()
            forum.workshops = {"dd": w1.id, "orga": w2.id}
            db.session.add_all([WorkshopTopic(workshop_id=w1.id, proposal_id=forum.topics["dd"]),
                                WorkshopTopic(workshop_id=w1.id, proposal_id=forum.topics["hidden"]),
                                WorkshopTopic(workshop_id=w2.id, proposal_id=forum.topics["orga"]),
                                WorkshopMember(workshop_id=w1.id, participant_id=alice.id),
                                WorkshopMember(workshop_id=w1.id, participant_id=bob.id)])

            def card(key, workshop, section, text, author=None, **kw):
                c = Card(workshop_id=workshop.id, section=section, text=text,
                         author_participant_id=author.id if author else None, **kw)
                db.session.add(c)
                db.session.flush()
                forum.cards[key] = c.id
                return c

            S = CardSection
            card("constat", w1, S.CONSTAT, "Pourquoi le développement durable peine à intégrer les politiques publiques ?",
                 alice, position=0)
            card("question", w1, S.QUESTIONS, "Que peut faire le Département ?", bob, position=0)
            card("p2", w1, S.PROPOSITIONS, "Faire un « bruit de fond continu » sur le développement durable.",
                 bob, number=2, position=0, gain="Faire évoluer les mentalités.")
            p1 = card("p1", w1, S.PROPOSITIONS, "Le Département doit être engagé et exemplaire.", alice, number=1,
                      position=1, gain="Montrer l’exemple.", indicator="Nombre d’expérimentations déployées")
            card("p3", w1, S.PROPOSITIONS, "Favoriser la mise en réseau de ceux qui souhaitent agir.", None,
                 number=3, position=2, gain="Des rencontres.")
            card("deleted", w1, S.PROPOSITIONS, "Carte supprimée à ne jamais montrer", alice, position=3,
                 deleted_at=utcnow())
            card("merged", w1, S.PISTES, "Carte fusionnée à ne jamais montrer", bob, position=0,
                 merged_into_id=p1.id)
            card("piste", w1, S.PISTES, "Organiser des événements de rencontre.", alice, position=1)
            card("conseil", w1, S.CONSEILS, "Redonner à l’humain toute sa place.", None, position=0)
            card("etape", w1, S.PROCHAINE_ETAPE, "Présenter les propositions en comité de direction.", None)
            card("indic", w1, S.INDICATEURS, "Nombre d’agents sensibilisés par an.", None)
            card("xss", w2, S.CONSTAT, f"Constat piégé {XSS_SCRIPT} {XSS_IMG}", carol)
            card("w2p1", w2, S.PROPOSITIONS, f"Proposition {XSS_IMG}", carol, number=1, gain=f"Gain {XSS_SCRIPT}")
            card("formula", w2, S.QUESTIONS, "+SUM(A1:A2)", None)
            db.session.add_all([CardDot(workshop_id=w1.id, participant_id=alice.id, card_id=forum.cards["p1"], value=2),
                                CardDot(workshop_id=w1.id, participant_id=bob.id, card_id=forum.cards["p1"], value=1),
                                CardDot(workshop_id=w1.id, participant_id=bob.id, card_id=forum.cards["p2"], value=1)])
        return forum

    return _build
