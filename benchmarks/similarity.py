"""Similar topics: quality on the French fixture and speed over N topics.

    .venv/bin/python benchmarks/similarity.py [--topics 1000] [--compare]

Prints the time of one similarity query (what the propose form asks while a participant types)
and of grouping every topic (the organiser's Regroupement page) over N generated French titles,
then precision and recall on tests/regroupement/fixtures/similar_pairs.yaml. --compare also
measures rapidfuzz's token_set_ratio on the same normalised text (pip install rapidfuzz).
No database and no server: this measures the similarity code itself.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from barcamp.regroupement.similarity import (
    GROUP_THRESHOLD,
    Topic,
    group_similar,
    pair_score,
    similar_to,
)
from barcamp.regroupement.text import normalise

SUBJECTS = ["télétravail", "covoiturage", "accueil des usagers", "budget participatif", "open data",
            "dématérialisation", "zéro papier", "bien-être au travail", "management participatif", "mobilité",
            "inclusion numérique", "économies d'énergie", "gaspillage alimentaire", "langage administratif",
            "laboratoire d'innovation", "évaluation des politiques", "transversalité", "formation des agents",
            "partage des connaissances", "relation à l'usager", "démarches en ligne", "accessibilité",
            "restauration collective", "communication interne", "illectronisme"]
VERBS = ["Développer", "Améliorer", "Repenser", "Simplifier", "Favoriser", "Réussir", "Généraliser", "Évaluer"]
PLACES = ["dans les collèges", "au département", "pour les agents", "avec les citoyens", "dans les services",
          "en milieu rural", "à la métropole", "pour les seniors", "au guichet", "entre directions"]


def generated_titles(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} {rng.choice(PLACES)} ({i})" for i in range(n)]


def timed(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), max(runs)


def quality(score, pairs, corpus, threshold):
    tp = fp = fn = 0
    for duplicate, a, b in pairs:
        hit = score(a, b, corpus) >= threshold
        tp += duplicate and hit
        fp += (not duplicate) and hit
        fn += duplicate and not hit
    return tp / max(tp + fp, 1), tp / (tp + fn)


def api_timing(titles: list[str], repeat: int) -> None:
    """GET /api/v1/events/{id}/similar through the Flask test client, on a fresh SQLite database."""
    import tempfile

    from barcamp import create_app
    from barcamp.accounts.services import create_organiser
    from barcamp.common.db import write_transaction
    from barcamp.config import TestConfig
    from barcamp.events.schemas import EventCreate
    from barcamp.events.services import create_event
    from barcamp.extensions import db
    from barcamp.participants.services import join_event
    from barcamp.proposals.models import Proposal

    with tempfile.TemporaryDirectory() as tmp:
        config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
        app = create_app({**config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3"})
        with app.app_context():
            db.create_all()
            with write_transaction():
                organiser = create_organiser("bench@example.org", "motdepasse-bench")
                event = create_event(organiser.id, EventCreate(title="Bench"))
                db.session.add_all([Proposal(event_id=event.id, title=t, description="", tags=[]) for t in titles])
                _participant, token = join_event(event, "Bench", None)
            event_id = event.id
        client = app.test_client()
        url = f"/api/v1/events/{event_id}/similar"
        headers = {"Authorization": f"Bearer {token}"}
        client.get(url, query_string={"text": "préchauffage"}, headers=headers)
        median, worst = timed(lambda: client.get(url, query_string={"text": "Télétravail des agents"},
                                                 headers=headers).get_json(), repeat)
        print(f"GET /similar over {len(titles)} topics (SQLite, test client): median {median * 1000:.0f} ms, "
              f"max {worst * 1000:.0f} ms")
        app.extensions["barcamp_live"].stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--compare", action="store_true", help="also evaluate rapidfuzz token_set_ratio")
    args = parser.parse_args()

    topics = [Topic(i, t) for i, t in enumerate(generated_titles(args.topics))]
    similar_to("préchauffage", topics[:10])  # import scikit-learn once, outside the timings
    median, worst = timed(lambda: similar_to("Télétravail des agents au département", topics), args.repeat)
    print(f"similar query over {args.topics} topics: median {median * 1000:.0f} ms, max {worst * 1000:.0f} ms")
    groups = []
    median, worst = timed(lambda: groups.append(group_similar(topics)), max(1, args.repeat // 2))
    print(f"grouping {args.topics} topics (threshold {GROUP_THRESHOLD}): median {median * 1000:.0f} ms, "
          f"max {worst * 1000:.0f} ms, {len(groups[-1])} groups")

    api_timing(generated_titles(args.topics), args.repeat)

    pairs = yaml.safe_load((ROOT / "tests/regroupement/fixtures/similar_pairs.yaml").read_text())["pairs"]
    corpus = sorted({t for _, a, b in pairs for t in (a, b)})
    print(f"fixture: {len(pairs)} pairs ({sum(1 for d, _, _ in pairs if d)} duplicates)")
    for threshold in (0.45, 0.5, GROUP_THRESHOLD, 0.6, 0.7):
        p, r = quality(pair_score, pairs, corpus, threshold)
        print(f"  tfidf char_wb(3,5) on normalised text  threshold {threshold:.2f}: precision {p:.2f} recall {r:.2f}")
    if args.compare:
        from rapidfuzz import fuzz

        def rf(a, b, _corpus):
            return fuzz.token_set_ratio(normalise(a), normalise(b)) / 100

        def rf_raw(a, b, _corpus):
            return fuzz.token_set_ratio(a.lower(), b.lower()) / 100

        for threshold in (0.7, 0.8, 0.84, 0.9):
            p, r = quality(rf, pairs, corpus, threshold)
            print(f"  rapidfuzz token_set_ratio, normalised  threshold {threshold:.2f}: precision {p:.2f} recall {r:.2f}")
        for threshold in (0.68, 0.8):
            p, r = quality(rf_raw, pairs, corpus, threshold)
            print(f"  rapidfuzz token_set_ratio, raw text    threshold {threshold:.2f}: precision {p:.2f} recall {r:.2f}")
        started = time.perf_counter()
        from rapidfuzz import process
        process.extract(normalise("Télétravail des agents au département"), [normalise(t.title) for t in topics],
                        scorer=fuzz.token_set_ratio, limit=5)
        print(f"  rapidfuzz query over {args.topics} topics (normalising included): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
