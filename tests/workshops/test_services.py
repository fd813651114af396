"""Workshop services without HTTP: versions, merges, soft deletes, dots and their budget."""
from __future__ import annotations

import pytest

from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.workshops import services
from barcamp.workshops.enums import CardSection
from barcamp.workshops.models import Card
from barcamp.workshops.services import Caller, CardConflict
from tests.conftest import fire_concurrently


@pytest.fixture
def ws(ctx, board):
    """The board fixture seen from the services: ids and callers."""
    workshop = board["workshop"]
    return {
        **board,
        "wid": workshop["id"],
        "orga": Caller("organiser", organiser_id=board["event"]["organiser"]["id"]),
        "alice_c": Caller("participant", participant_id=board["alice"]["id"], event_id=board["event"]["id"]),
        "bob_c": Caller("participant", participant_id=board["bob"]["id"], event_id=board["event"]["id"]),
    }


def add(ws, caller, text="Un constat", section=CardSection.CONSTAT, gain=None):
    with write_transaction():
        card = services.add_card(services.get_workshop(ws["wid"]), caller, section, text, gain)
        return card.id, card.version


def edit(ws, caller, card_id, version, **changes):
    with write_transaction():
        card = services.edit_card(services.get_workshop(ws["wid"]), caller, card_id, version, changes)
        return card.version


def texts(ws):
    board = services.board_state(services.get_workshop(ws["wid"]))
    return {s["key"]: [c["text"] for c in s["cards"]] for s in board["sections"] if s["cards"]}


def test_sections_keep_the_restitutions_order_and_french_labels():
    assert [(s.value, str(s.label)) for s in CardSection] == [
        ("constat", "Constat"), ("questions", "Questions"), ("propositions", "Nous proposons de…"),
        ("pistes", "Pistes pour agir"), ("conseils", "Conseils pour réussir"),
        ("prochaine_etape", "Prochaine étape"), ("indicateurs", "Indicateurs")]


def test_cards_show_by_section_in_order_and_the_author_joins(ws):
    add(ws, ws["alice_c"], "Le numérique, c'est le parcours du combattant")
    add(ws, ws["bob_c"], "Créer le SANU", CardSection.PROPOSITIONS, gain="Un accès plus rapide aux droits")
    add(ws, ws["orga"], "Une médiathèque qui renvoie à l'assistante sociale")

    assert texts(ws) == {"constat": ["Le numérique, c'est le parcours du combattant",
                                     "Une médiathèque qui renvoie à l'assistante sociale"],
                         "propositions": ["Créer le SANU"]}
    assert services.member_of(ws["alice"]["id"]) == {ws["wid"]}


def test_stale_version_is_refused_with_the_current_card_and_nothing_is_lost(ws):
    card_id, version = add(ws, ws["alice_c"], "Texte initial")
    edit(ws, ws["orga"], card_id, version, text="Texte de l'animateur")

    with pytest.raises(CardConflict) as raised:
        edit(ws, ws["alice_c"], card_id, version, text="Texte d'Alice")

    body = raised.value.to_dict()["error"]
    assert raised.value.status == 409
    assert body["code"] == "card_conflict"
    assert (body["current"]["text"], body["current"]["version"]) == ("Texte de l'animateur", 2)
    assert edit(ws, ws["alice_c"], card_id, 2, text="Texte d'Alice") == 3
    assert texts(ws)["constat"] == ["Texte d'Alice"]


def test_two_concurrent_saves_of_one_version_one_wins_one_conflicts(app, ws):
    card_id, version = add(ws, ws["alice_c"], "Texte initial")

    def save(text):
        def _call():
            with app.app_context():
                try:
                    edit(ws, ws["orga"], card_id, version, text=text)
                    return "ok"
                except CardConflict as conflict:
                    return conflict.current["text"]
        return _call

    outcomes = fire_concurrently([save("A"), save("B")], workers=2)

    # the loser is told the winner's text, which is the card's text now
    assert sorted(outcomes) in (["A", "ok"], ["B", "ok"])
    assert texts(ws)["constat"] == [next(t for t in outcomes if t != "ok")]


def test_participant_edits_only_their_own_card_and_never_numbers(ws):
    card_id, version = add(ws, ws["alice_c"], "Proposition d'Alice", CardSection.PROPOSITIONS)

    with pytest.raises(DomainError) as other:
        edit(ws, ws["bob_c"], card_id, version, text="Réécrit par Bob")
    with pytest.raises(DomainError) as numbering:
        edit(ws, ws["alice_c"], card_id, version, number=1)

    assert (other.value.status, other.value.code) == (403, "not_facilitator")
    assert (numbering.value.status, numbering.value.code) == (403, "not_facilitator")
    assert edit(ws, ws["orga"], card_id, version, number=1) == 2


def test_merge_appends_text_and_keeps_the_merged_card_readable(ws):
    target, _ = add(ws, ws["alice_c"], "Une borne numérique", CardSection.PROPOSITIONS, gain="Autonomie")
    source, _ = add(ws, ws["bob_c"], "Un médiateur numérique", CardSection.PROPOSITIONS, gain="Accompagnement")

    with write_transaction():
        merged = services.merge_cards(services.get_workshop(ws["wid"]), ws["orga"], target, [source])
        out = services.single_card_out(merged)

    assert (out["text"], out["gain"], out["merged_ids"], out["version"]) == (
        "Une borne numérique\n\nUn médiateur numérique", "Autonomie\n\nAccompagnement", [source], 2)
    assert texts(ws)["propositions"] == ["Une borne numérique\n\nUn médiateur numérique"]
    kept = db.session.get(Card, source)
    assert (kept.text, kept.merged_into_id) == ("Un médiateur numérique", target)


def test_merge_is_for_the_facilitator_only(ws):
    target, _ = add(ws, ws["alice_c"], "A")
    source, _ = add(ws, ws["alice_c"], "B")

    with pytest.raises(DomainError) as refused, write_transaction():
        services.merge_cards(services.get_workshop(ws["wid"]), ws["alice_c"], target, [source])

    assert refused.value.code == "not_facilitator"


def test_removed_card_is_hidden_but_kept(ws, fresh_db):
    card_id, _ = add(ws, ws["alice_c"], "À retirer")
    add(ws, ws["alice_c"], "À garder")

    with write_transaction():
        services.remove_card(services.get_workshop(ws["wid"]), ws["orga"], card_id)

    assert texts(ws) == {"constat": ["À garder"]}
    [(text, removed)] = fresh_db("SELECT text, deleted_at IS NOT NULL FROM cards WHERE id = :c", c=card_id)
    assert (text, bool(removed)) == ("À retirer", True)


def test_facilitator_link_makes_its_holder_the_facilitator(ws):
    card_id, version = add(ws, ws["alice_c"], "Carte d'Alice")
    workshop = services.get_workshop(ws["wid"])
    with write_transaction():
        token = services.set_facilitator(workshop, None, link=True)

    with pytest.raises(DomainError) as wrong, write_transaction():
        services.claim_facilitator(workshop, db.session.get(Participant, ws["bob"]["id"]), token + "x")
    with write_transaction():
        services.claim_facilitator(workshop, db.session.get(Participant, ws["bob"]["id"]), token)

    assert wrong.value.code == "bad_facilitator_link"
    assert len(token) >= 32 and token.startswith("f_")
    assert workshop.facilitator_token_hash != token
    assert edit(ws, ws["bob_c"], card_id, version, text="Reformulé par l'animateur Bob") == 2


def dots(ws, participant, card_id, value):
    with write_transaction():
        return services.record_dots(ws["wid"], participant["id"], card_id, value)


def test_dots_are_absolute_budgeted_and_capped(ws):
    a, _ = add(ws, ws["orga"], "Proposition A", CardSection.PROPOSITIONS)
    b, _ = add(ws, ws["orga"], "Proposition B", CardSection.PROPOSITIONS)
    c, _ = add(ws, ws["orga"], "Proposition C", CardSection.PROPOSITIONS)

    assert dots(ws, ws["alice"], a, 2) == (2, 1)
    assert dots(ws, ws["alice"], a, 2) == (2, 1)  # idempotent
    assert dots(ws, ws["alice"], b, 1) == (1, 0)
    with pytest.raises(DomainError) as over:
        dots(ws, ws["alice"], c, 1)
    with pytest.raises(DomainError) as cap:
        dots(ws, ws["bob"], c, 3)
    assert dots(ws, ws["alice"], a, 0) == (0, 2)

    assert (over.value.code, cap.value.code) == ("budget_exceeded", "max_per_card")
    board = services.board_state(services.get_workshop(ws["wid"]))
    assert [c["dots"] for c in board["sections"][2]["cards"]] == [0, 1, 0]


def test_dots_only_on_visible_proposals(ws):
    constat, _ = add(ws, ws["orga"], "Un constat")
    gone, _ = add(ws, ws["orga"], "Retirée", CardSection.PROPOSITIONS)
    with write_transaction():
        services.remove_card(services.get_workshop(ws["wid"]), ws["orga"], gone)

    with pytest.raises(DomainError) as not_proposal:
        dots(ws, ws["alice"], constat, 1)
    with pytest.raises(DomainError) as removed:
        dots(ws, ws["alice"], gone, 1)

    assert (not_proposal.value.code, removed.value.code) == ("not_a_proposal", "card_gone")


def test_removing_a_card_releases_its_dots(ws):
    a, _ = add(ws, ws["orga"], "A", CardSection.PROPOSITIONS)
    b, _ = add(ws, ws["orga"], "B", CardSection.PROPOSITIONS)
    dots(ws, ws["alice"], a, 2)
    with write_transaction():
        services.remove_card(services.get_workshop(ws["wid"]), ws["orga"], a)

    assert dots(ws, ws["alice"], b, 2) == (2, 1)


def test_fifty_concurrent_dot_requests_of_one_participant_never_overspend(app, ws, fresh_db):
    cards = [add(ws, ws["orga"], f"Proposition {i}", CardSection.PROPOSITIONS)[0] for i in range(5)]
    plan = [(cards[i % 5], 1 + i % 2) for i in range(50)]

    def call(card_id, value):
        def _call():
            with app.app_context():
                try:
                    return dots(ws, ws["alice"], card_id, value)[0]
                except DomainError as error:
                    return error.code
                finally:
                    db.session.remove()
        return _call

    outcomes = fire_concurrently([call(c, v) for c, v in plan])

    assert set(outcomes) <= {1, 2, "budget_exceeded"}
    rows = fresh_db("SELECT card_id, count(*), sum(value) FROM card_dots WHERE participant_id = :p GROUP BY card_id",
                    p=ws["alice"]["id"])
    assert all(count == 1 for _, count, _ in rows)
    assert 1 <= sum(total for _, _, total in rows) <= 3


def test_fifty_concurrent_identical_requests_leave_exactly_one_row(app, ws, fresh_db):
    card = add(ws, ws["orga"], "Proposition", CardSection.PROPOSITIONS)[0]

    def call():
        with app.app_context():
            try:
                return dots(ws, ws["alice"], card, 2)
            finally:
                db.session.remove()

    outcomes = fire_concurrently([call for _ in range(50)])

    assert outcomes == [(2, 1)] * 50
    assert fresh_db("SELECT value FROM card_dots WHERE participant_id = :p", p=ws["alice"]["id"]) == [(2,)]


def test_participants_write_only_during_the_workshops_phase(ctx, make_event, make_participant, client):
    event = make_event(phase="closed")
    workshop = client.post(f"/api/v1/events/{event['id']}/workshops", json={"title": "Préparé à l'avance"},
                           headers=event["organiser"]["headers"]).get_json()
    alice = make_participant(event)

    with pytest.raises(DomainError) as early, write_transaction():
        services.add_card(services.get_workshop(workshop["id"]), Caller(
            "participant", participant_id=alice["id"], event_id=event["id"]), CardSection.CONSTAT, "Trop tôt")

    assert (early.value.status, early.value.code) == (409, "wrong_phase")
