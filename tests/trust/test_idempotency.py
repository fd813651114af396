"""Resending after a lost acknowledgement never doubles a write: votes and answers are absolute
values; a workshop card carries a client-generated idempotency key."""
from __future__ import annotations

from tests.conftest import error_of, fire_concurrently


def board(client, make_event):
    event = make_event(phase="closed")
    headers = event["organiser"]["headers"]
    assert client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "workshops"},
                      headers=headers).status_code == 200
    workshop = client.post(f"/api/v1/events/{event['id']}/workshops", json={"title": "Atelier"},
                           headers=headers).get_json()
    return event, workshop["id"]


def test_card_resent_with_its_key_is_the_same_card(client, make_event, make_participant, fresh_db):
    event, workshop = board(client, make_event)
    me = make_participant(event)
    body = {"section": "constat", "text": "Les agents manquent de temps", "client_key": "3f2a9c0e5b7d4e1f"}

    first = client.post(f"/api/v1/workshops/{workshop}/cards", json=body, headers=me["headers"])
    again = client.post(f"/api/v1/workshops/{workshop}/cards", json=body, headers=me["headers"])

    assert first.status_code == again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert fresh_db("SELECT count(*) FROM cards WHERE workshop_id = :w", w=workshop) == [(1,)]


def test_a_client_key_is_scoped_to_its_author(client, make_event, make_participant, fresh_db):
    event, workshop = board(client, make_event)
    alice, bob = make_participant(event), make_participant(event)
    key = "3f2a9c0e5b7d4e1f"

    mine = client.post(f"/api/v1/workshops/{workshop}/cards",
                       json={"section": "constat", "text": "Texte d'Alice", "client_key": key}, headers=alice["headers"])
    theirs = client.post(f"/api/v1/workshops/{workshop}/cards",
                         json={"section": "constat", "text": "Texte de Bob", "client_key": key}, headers=bob["headers"])
    again = client.post(f"/api/v1/workshops/{workshop}/cards",
                        json={"section": "constat", "text": "Texte d'Alice", "client_key": key}, headers=alice["headers"])

    assert mine.status_code == theirs.status_code == again.status_code == 201
    assert theirs.get_json()["id"] != mine.get_json()["id"]
    assert (theirs.get_json()["text"], theirs.get_json()["author_id"]) == ("Texte de Bob", bob["id"])
    assert again.get_json()["id"] == mine.get_json()["id"]
    assert fresh_db("SELECT author_participant_id, text FROM cards WHERE workshop_id = :w ORDER BY id", w=workshop) == [
        (alice["id"], "Texte d'Alice"), (bob["id"], "Texte de Bob")]


def test_organisers_resending_a_card_with_its_key_store_it_once(client, make_event, fresh_db):
    event, workshop = board(client, make_event)
    body = {"section": "constat", "text": "Carte de l'équipe", "client_key": "0rg4n1s3r-k3y-01"}

    first = client.post(f"/api/v1/workshops/{workshop}/cards", json=body, headers=event["organiser"]["headers"])
    again = client.post(f"/api/v1/workshops/{workshop}/cards", json=body, headers=event["organiser"]["headers"])

    assert first.status_code == again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert fresh_db("SELECT count(*) FROM cards WHERE workshop_id = :w", w=workshop) == [(1,)]


def test_concurrent_resends_of_one_card_store_it_once(app, client, make_event, make_participant, fresh_db):
    event, workshop = board(client, make_event)
    me = make_participant(event)
    body = {"section": "constat", "text": "Une seule carte", "client_key": "a1b2c3d4e5f60718"}

    statuses = fire_concurrently([
        lambda: app.test_client().post(f"/api/v1/workshops/{workshop}/cards", json=body,
                                       headers=me["headers"]).status_code for _ in range(20)])

    assert statuses == [201] * 20
    assert fresh_db("SELECT count(*) FROM cards WHERE workshop_id = :w", w=workshop) == [(1,)]


def test_cards_without_a_key_are_distinct_and_bad_keys_are_refused(client, make_event, make_participant, fresh_db):
    event, workshop = board(client, make_event)
    me = make_participant(event)
    body = {"section": "constat", "text": "Sans clé"}

    for _ in range(2):
        assert client.post(f"/api/v1/workshops/{workshop}/cards", json=body, headers=me["headers"]).status_code == 201
    bad = client.post(f"/api/v1/workshops/{workshop}/cards", json={**body, "client_key": "<script>"},
                      headers=me["headers"])

    assert fresh_db("SELECT count(*) FROM cards WHERE workshop_id = :w", w=workshop) == [(2,)]
    assert error_of(bad) == (422, "invalid_input")
