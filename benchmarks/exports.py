"""Time every restitution export on a large forum: 500 topics, 20 workshops, 2,000 cards.

    python benchmarks/exports.py [--topics 500] [--workshops 20] [--cards 2000] [--participants 200]
                                 [--repeat 3] [--database-url URL] [--keep DIR]

What it does, in one process on a fresh SQLite file (or --database-url):
1. creates the tables and writes the rows directly through the models (fast): a closed forum with
   --participants participants (profiles), --topics visible topics (plus 5% hidden) with ballots,
   --workshops workshops each with --cards/--workshops cards over the seven sections (a third of
   them numbered proposals with gain and indicator; 2% deleted), and dots on the proposals;
2. times `assemble()` (the database reads) and then each renderer on the assembled model,
   --repeat times, and prints the best and the median of each, plus the file size.

Targets (issue 4): Markdown, JSON, CSV < 0.5 s; HTML < 1 s; DOCX and PDF < 5 s, each including
assemble(). `--keep DIR` writes the files there, to look at them.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from barcamp import create_app
from barcamp.config import TestConfig

WORDS = ["agents", "usagers", "service", "public", "innovation", "territoire", "collège", "département", "numérique", "réseau", "expérimentation", "«", "bien", "commun", "»", "œuvre", "l’équipe", "managers", "confiance", "transversalité", "démarche", "indicateur", "évaluation", "citoyens", "associations", "rencontre", "sensibiliser", "exemplaire"]


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def build(args) -> int:
    from barcamp.accounts.models import Organiser
    from barcamp.common.db import utcnow, write_transaction
    from barcamp.events.enums import Phase, VotingMode
    from barcamp.events.models import Event, Theme
    from barcamp.extensions import db
    from barcamp.participants.enums import Profile
    from barcamp.participants.models import Participant
    from barcamp.proposals.enums import ProposalStatus
    from barcamp.proposals.models import Proposal
    from barcamp.voting.models import Ballot
    from barcamp.workshops.enums import CardSection
    from barcamp.workshops.models import Card, CardDot, Workshop, WorkshopMember

    rng = random.Random(2017)
    with write_transaction():
        organiser = Organiser(email="bench@example.org", password_hash="x")
        db.session.add(organiser)
        db.session.flush()
        event = Event(organiser_id=organiser.id, title="Forum de l’innovation publique « grand format »",
                      place="Nice", description=sentence(rng, 40, 60), join_code="BENCH1", projector_token="b" * 32,
                      phase=Phase.CLOSED, voting_mode=VotingMode.DOTS, dots_budget=10, max_per_proposal=3)
        db.session.add(event)
        db.session.flush()
        themes = [Theme(event_id=event.id, name=f"Thème {i + 1}", position=i) for i in range(6)]
        db.session.add_all(themes)
        people = [Participant(event_id=event.id, token_hash=f"{i:064d}", display_name=f"Personne {i}",
                              profile=rng.choice(list(Profile))) for i in range(args.participants)]
        db.session.add_all(people)
        db.session.flush()
        topics = [Proposal(event_id=event.id, title=sentence(rng, 5, 14)[:120], description=sentence(rng, 10, 60),
                           theme_id=rng.choice(themes).id, tags=[], author_id=rng.choice(people).id,
                           status=ProposalStatus.HIDDEN if i % 20 == 19 else ProposalStatus.VISIBLE)
                  for i in range(args.topics + args.topics // 20)]
        db.session.add_all(topics)
        db.session.flush()
        ballots = {}
        for person in people:
            for topic in rng.sample(topics, 5):
                ballots[(person.id, topic.id)] = rng.randint(1, 3)
        db.session.execute(Ballot.__table__.insert(), [
            {"event_id": event.id, "participant_id": p, "proposal_id": t, "value": v, "updated_at": utcnow()}
            for (p, t), v in ballots.items()])
        workshops = [Workshop(event_id=event.id, title=topics[i].title, description=sentence(rng, 10, 20),
                              position=i) for i in range(args.workshops)]
        db.session.add_all(workshops)
        db.session.flush()
        sections = list(CardSection)
        cards = []
        per = args.cards // args.workshops
        for workshop in workshops:
            numbers = 0
            for j in range(per):
                section = CardSection.PROPOSITIONS if j % 3 == 0 else rng.choice(sections)
                row = {"workshop_id": workshop.id, "section": section.name, "text": sentence(rng, 12, 45),
                       "position": j, "version": 1, "author_participant_id": rng.choice(people).id,
                       "created_at": utcnow(), "updated_at": utcnow(), "gain": None, "indicator": None,
                       "number": None, "deleted_at": utcnow() if j % 50 == 49 else None}
                if section == CardSection.PROPOSITIONS:
                    numbers += 1
                    row.update(gain=sentence(rng, 8, 25), indicator=sentence(rng, 4, 10), number=numbers)
                cards.append(row)
            db.session.add_all([WorkshopMember(workshop_id=workshop.id, participant_id=p.id)
                                for p in rng.sample(people, 10)])
        db.session.execute(Card.__table__.insert(), cards)
        proposal_cards = db.session.execute(
            db.select(Card.id, Card.workshop_id).where(Card.section == CardSection.PROPOSITIONS)).all()
        dots = {}
        for card_id, workshop_id in proposal_cards:
            for person in rng.sample(people, 3):
                dots[(person.id, card_id)] = (workshop_id, rng.randint(1, 2))
        db.session.execute(CardDot.__table__.insert(), [
            {"workshop_id": w, "participant_id": p, "card_id": c, "value": v, "updated_at": utcnow()}
            for (p, c), (w, v) in dots.items()])
        return event.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=500)
    parser.add_argument("--workshops", type=int, default=20)
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="barcamp-exports-")
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": url})
    from barcamp.extensions import db
    from barcamp.restitution.exports import FORMATS
    from barcamp.restitution.services import assemble

    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        event_id = build(args)
        print(f"built the forum in {time.perf_counter() - started:.1f} s "
              f"({args.topics} topics, {args.workshops} workshops, {args.cards} cards, {args.participants} people)")
        for fmt in FORMATS.values():  # import every renderer once (python-docx, fpdf2) outside the timings
            fmt.render(assemble(event_id))
        timings: dict[str, list[float]] = {"assemble": []}
        sizes = {}
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            doc = assemble(event_id)
            timings["assemble"].append(time.perf_counter() - t0)
            for key, fmt in FORMATS.items():
                t0 = time.perf_counter()
                data = fmt.render(doc)
                timings.setdefault(key, []).append(time.perf_counter() - t0)
                sizes[key] = len(data)
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"restitution.{fmt.extension}").write_bytes(data)
        base = min(timings["assemble"])
        print(f"{'step':<10} {'best s':>8} {'median s':>9} {'+assemble':>10} {'size':>10}")
        for key, values in timings.items():
            total = "" if key == "assemble" else f"{min(values) + base:>10.3f}"
            size = f"{sizes[key] / 1024:>8.0f} kB" if key in sizes else ""
            print(f"{key:<10} {min(values):>8.3f} {statistics.median(values):>9.3f} {total:>10} {size:>10}")
        pages = None
        try:
            from io import BytesIO

            from pypdf import PdfReader

            pages = len(PdfReader(BytesIO(FORMATS["pdf"].render(doc))).pages)
        except ImportError:
            pass
        if pages:
            print(f"PDF pages: {pages}")


if __name__ == "__main__":
    main()
