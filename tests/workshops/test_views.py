"""The workshops JSON API: every endpoint, rights across forums, 409 on a stale version."""
from __future__ import annotations

import pytest

from tests.conftest import error_of


def cards_url(board):
    return f"/api/v1/workshops/{board['workshop']['id']}/cards"


def add(client, board, who, section="constat", text="Un constat", **extra):
    response = client.post(cards_url(board), json={"section": section, "text": text, **extra},
                           headers=board[who]["headers"] if who != "organiser" else board["organiser"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_list_and_create_workshops(client, board, make_proposal):
    event = board["event"]
    other_topic = make_proposal(event, title="Nouvelles organisations de travail")

    created = client.post(f"/api/v1/events/{event['id']}/workshops",
                          json={"title": "Deux sujets", "description": "Regroupés", "proposal_ids":
                                [board["topic"], other_topic]}, headers=board["organiser"])
    listing = client.get(f"/api/v1/events/{event['id']}/workshops", headers=board["alice"]["headers"])

    assert created.status_code == 201
    assert created.get_json()["topics"] == ["Le numérique pour tous", "Nouvelles organisations de travail"]
    assert [(w["title"], w["position"], w["proposal_ids"]) for w in listing.get_json()["workshops"]] == [
        ("Transition numérique", 0, [board["topic"]]), ("Deux sujets", 1, [board["topic"], other_topic])]


def test_create_workshop_is_for_the_organiser_and_checks_topics(client, board, make_event, make_proposal,
                                                               make_organiser):
    event = board["event"]
    foreign = make_proposal(make_event(organiser=make_organiser()), title="Ailleurs")

    by_participant = client.post(f"/api/v1/events/{event['id']}/workshops", json={"title": "X"},
                                 headers=board["alice"]["headers"])
    foreign_topic = client.post(f"/api/v1/events/{event['id']}/workshops",
                                json={"title": "X", "proposal_ids": [foreign]}, headers=board["organiser"])

    assert error_of(by_participant) == (403, "forbidden")
    assert error_of(foreign_topic) == (404, "proposal_not_found")


def test_workshops_from_the_ranking_one_per_topic_skipping_taken_ones(client, make_event, make_proposal,
                                                                      make_participant, open_workshops):
    event = make_event(phase="voting")
    topics = [make_proposal(event, title=t) for t in ("Alpha", "Beta", "Gamma")]
    voter = make_participant(event)
    client.put(f"/api/v1/events/{event['id']}/votes/{topics[2]}", json={"value": 2}, headers=voter["headers"])
    client.put(f"/api/v1/events/{event['id']}/votes/{topics[1]}", json={"value": 1}, headers=voter["headers"])
    headers = event["organiser"]["headers"]

    first = client.post(f"/api/v1/events/{event['id']}/workshops/from-ranking", json={"top": 2}, headers=headers)
    again = client.post(f"/api/v1/events/{event['id']}/workshops/from-ranking", json={"top": 3}, headers=headers)

    assert [w["title"] for w in first.get_json()["workshops"]] == ["Gamma", "Beta"]
    assert [w["title"] for w in again.get_json()["workshops"]] == ["Alpha"]


def test_board_has_the_seven_sections_and_the_callers_view(client, board):
    add(client, board, "alice", "propositions", "Créer le SANU", gain="Un accès plus rapide aux droits")

    body = client.get(f"/api/v1/workshops/{board['workshop']['id']}", headers=board["alice"]["headers"]).get_json()

    assert [(s["key"], s["label"]) for s in body["sections"]] == [
        ("constat", "Constat"), ("questions", "Questions"), ("propositions", "Nous proposons de…"),
        ("pistes", "Pistes pour agir"), ("conseils", "Conseils pour réussir"), ("prochaine_etape", "Prochaine étape"),
        ("indicateurs", "Indicateurs")]
    [card] = body["sections"][2]["cards"]
    assert (card["text"], card["gain"], card["version"], card["author_id"]) == (
        "Créer le SANU", "Un accès plus rapide aux droits", 1, board["alice"]["id"])
    assert body["me"] == {"kind": "participant", "facilitator": False, "member": True,
                          "participant_id": board["alice"]["id"], "dots": {}, "remaining": 3, "reported": []}
    assert isinstance(body["version"], int)


@pytest.mark.parametrize("endpoint", ["board", "add", "edit", "delete", "merge", "dots"])
def test_a_participant_of_another_forum_gets_403(client, board, make_event, make_participant, endpoint):
    card = add(client, board, "organiser", "propositions", "Proposition")
    stranger = make_participant(make_event(phase="closed"))["headers"]
    wid = board["workshop"]["id"]
    calls = {
        "board": lambda: client.get(f"/api/v1/workshops/{wid}", headers=stranger),
        "add": lambda: client.post(cards_url(board), json={"section": "constat", "text": "Intrus"}, headers=stranger),
        "edit": lambda: client.patch(f"{cards_url(board)}/{card['id']}", json={"version": 1, "text": "Intrus"},
                                     headers=stranger),
        "delete": lambda: client.delete(f"{cards_url(board)}/{card['id']}", headers=stranger),
        "merge": lambda: client.post(f"{cards_url(board)}/merge", json={"target_id": card["id"], "source_ids": [1]},
                                     headers=stranger),
        "dots": lambda: client.put(f"/api/v1/workshops/{wid}/dots/{card['id']}", json={"value": 1}, headers=stranger),
    }

    assert error_of(calls[endpoint]()) == (403, "not_in_event")


def test_another_organiser_gets_403(client, board, make_organiser):
    other = make_organiser()["headers"]

    assert error_of(client.get(f"/api/v1/workshops/{board['workshop']['id']}", headers=other)) == (
        403, "not_your_event")


def test_patch_with_a_stale_version_gets_409_with_the_current_card(client, board):
    card = add(client, board, "alice", text="Version d'Alice")
    url = f"{cards_url(board)}/{card['id']}"
    first = client.patch(url, json={"version": 1, "text": "Version de l'animateur", "number": 1},
                         headers=board["organiser"])

    stale = client.patch(url, json={"version": 1, "text": "Autre version d'Alice"}, headers=board["alice"]["headers"])

    assert (first.status_code, first.get_json()["version"], first.get_json()["number"]) == (200, 2, 1)
    assert error_of(stale) == (409, "card_conflict")
    current = stale.get_json()["error"]["current"]
    assert (current["id"], current["text"], current["version"]) == (card["id"], "Version de l'animateur", 2)


def test_delete_hides_the_card_and_merge_keeps_the_trail(client, board):
    a = add(client, board, "alice", "pistes", "Une borne numérique")
    b = add(client, board, "bob", "pistes", "Un médiateur numérique")
    c = add(client, board, "bob", "pistes", "Hors sujet")

    removed = client.delete(f"{cards_url(board)}/{c['id']}", headers=board["organiser"])
    merged = client.post(f"{cards_url(board)}/merge", json={"target_id": a["id"], "source_ids": [b["id"]]},
                         headers=board["organiser"])
    board_now = client.get(f"/api/v1/workshops/{board['workshop']['id']}", headers=board["organiser"]).get_json()

    assert removed.get_json() == {"id": c["id"], "version": 2, "deleted": True}
    assert (merged.get_json()["text"], merged.get_json()["merged_ids"]) == (
        "Une borne numérique\n\nUn médiateur numérique", [b["id"]])
    assert [card["text"] for card in board_now["sections"][3]["cards"]] == [
        "Une borne numérique\n\nUn médiateur numérique"]


def test_participant_cannot_remove_someone_elses_card(client, board):
    card = add(client, board, "alice", text="La carte d'Alice")

    assert error_of(client.delete(f"{cards_url(board)}/{card['id']}", headers=board["bob"]["headers"])) == (
        403, "not_facilitator")


def test_dots_endpoint_is_absolute_and_budgeted(client, board):
    card = add(client, board, "organiser", "propositions", "Proposition")
    url = f"/api/v1/workshops/{board['workshop']['id']}/dots/{card['id']}"
    headers = board["alice"]["headers"]

    assert client.put(url, json={"value": 2}, headers=headers).get_json() == {"value": 2, "remaining": 1}
    assert client.put(url, json={"value": 2}, headers=headers).get_json() == {"value": 2, "remaining": 1}
    assert error_of(client.put(url, json={"value": 3}, headers=headers)) == (409, "max_per_card")
    assert error_of(client.put(url, json={"value": 1}, headers=board["organiser"])) == (403, "forbidden")


def test_facilitator_link_through_the_api(client, board):
    wid = board["workshop"]["id"]
    card = add(client, board, "alice", text="À reformuler")

    issued = client.put(f"/api/v1/workshops/{wid}/facilitator", json={"link": True}, headers=board["organiser"])
    token = issued.get_json()["url"].rsplit("/", 1)[1]
    claimed = client.post(f"/api/v1/workshops/{wid}/facilitator/claim", json={"token": token},
                          headers=board["bob"]["headers"])
    edited = client.patch(f"{cards_url(board)}/{card['id']}", json={"version": 1, "number": 1},
                          headers=board["bob"]["headers"])

    assert issued.get_json()["facilitator"] == {"kind": "link", "name": ""}
    assert claimed.get_json()["facilitator"] == {"kind": "participant", "name": "Bob"}
    assert edited.status_code == 200


def test_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    assert set(paths["/api/v1/events/{event_id}/workshops"]) == {"get", "post"}
    assert set(paths["/api/v1/workshops/{workshop_id}/cards/{card_id}"]) == {"patch", "delete"}
    assert set(paths["/api/v1/workshops/{workshop_id}"]) == {"get", "patch", "delete"}
    for path in ("/api/v1/workshops/{workshop_id}", "/api/v1/workshops/{workshop_id}/cards",
                 "/api/v1/workshops/{workshop_id}/cards/merge", "/api/v1/workshops/{workshop_id}/dots/{card_id}",
                 "/api/v1/workshops/{workshop_id}/facilitator"):
        assert path in paths


def test_an_organiser_facilitator_is_named_without_their_email(client, board):
    wid = board["workshop"]["id"]

    named = client.put(f"/api/v1/workshops/{wid}/facilitator", json={"organiser_id": board["event"]["organiser"]["id"]},
                       headers=board["organiser"])
    seen = client.get(f"/api/v1/workshops/{wid}", headers=board["alice"]["headers"]).get_json()

    assert named.get_json() == {"facilitator": {"kind": "organiser", "name": ""}, "url": None}
    assert seen["workshop"]["facilitator"] == {"kind": "organiser", "name": ""}
    assert board["event"]["organiser"]["email"] not in str(seen)


def test_organiser_renames_a_workshop(client, board, make_organiser):
    wid = board["workshop"]["id"]
    other = make_organiser()

    renamed = client.patch(f"/api/v1/workshops/{wid}", json={"title": "  Numérique pour tous  "},
                           headers=board["organiser"])
    by_participant = client.patch(f"/api/v1/workshops/{wid}", json={"title": "X"}, headers=board["alice"]["headers"])
    by_other = client.patch(f"/api/v1/workshops/{wid}", json={"title": "X"}, headers=other["headers"])
    empty = client.patch(f"/api/v1/workshops/{wid}", json={"title": ""}, headers=board["organiser"])

    assert renamed.status_code == 200
    assert (renamed.get_json()["title"], renamed.get_json()["topics"]) == ("Numérique pour tous",
                                                                           ["Le numérique pour tous"])
    assert error_of(by_participant) == (403, "forbidden")
    assert error_of(by_other) == (403, "not_your_event")
    assert error_of(empty)[1] == "invalid_input"
    board_now = client.get(f"/api/v1/workshops/{wid}", headers=board["alice"]["headers"]).get_json()
    assert board_now["workshop"]["title"] == "Numérique pour tous"


def test_deleted_workshop_leaves_lists_boards_and_the_restitution_but_keeps_its_rows(client, board, fresh_db):
    event, wid = board["event"], board["workshop"]["id"]
    add(client, board, "alice", text="Un constat gardé")
    kept = client.post(f"/api/v1/events/{event['id']}/workshops", json={"title": "Atelier gardé"},
                       headers=board["organiser"]).get_json()["id"]

    deleted = client.delete(f"/api/v1/workshops/{wid}", headers=board["organiser"])
    again = client.delete(f"/api/v1/workshops/{wid}", headers=board["organiser"])

    assert (deleted.status_code, deleted.get_data()) == (204, b"")
    assert error_of(again) == (404, "workshop_not_found")
    listing = client.get(f"/api/v1/events/{event['id']}/workshops", headers=board["alice"]["headers"]).get_json()
    assert [w["id"] for w in listing["workshops"]] == [kept]
    assert error_of(client.get(f"/api/v1/workshops/{wid}", headers=board["alice"]["headers"])) == (
        404, "workshop_not_found")
    assert error_of(client.post(cards_url(board), json={"section": "constat", "text": "Trop tard"},
                                headers=board["alice"]["headers"])) == (404, "workshop_not_found")
    restitution = client.get(f"/api/v1/events/{event['id']}/restitution", headers=board["organiser"]).get_json()
    assert restitution["chapter_order"] == [kept]
    assert fresh_db("SELECT count(*) FROM workshop_members WHERE workshop_id = :w", w=wid) == [(1,)]
    assert fresh_db("SELECT text FROM cards WHERE workshop_id = :w", w=wid) == [("Un constat gardé",)]
    # its topic is free again for a workshop "from the ranking"
    recreated = client.post(f"/api/v1/events/{event['id']}/workshops/from-ranking", json={"top": 1},
                            headers=board["organiser"]).get_json()["workshops"]
    assert [(w["title"], w["proposal_ids"]) for w in recreated] == [("Le numérique pour tous", [board["topic"]])]


def test_only_the_forums_organiser_deletes_a_workshop(client, board, make_organiser):
    wid = board["workshop"]["id"]

    by_participant = client.delete(f"/api/v1/workshops/{wid}", headers=board["alice"]["headers"])
    by_other = client.delete(f"/api/v1/workshops/{wid}", headers=make_organiser()["headers"])

    assert error_of(by_participant) == (403, "forbidden")
    assert error_of(by_other) == (403, "not_your_event")
    assert client.get(f"/api/v1/workshops/{wid}", headers=board["organiser"]).status_code == 200
