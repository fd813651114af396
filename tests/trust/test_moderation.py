"""Moderation: participants report topics; past the organiser's threshold a topic is hidden pending review."""
from __future__ import annotations

from tests.conftest import error_of


def report(client, event, voter, topic, reason=""):
    return client.post(f"/api/v1/events/{event['id']}/proposals/{topic}/reports", json={"reason": reason},
                       headers=voter["headers"])


def visible_ids(client, event):
    body = client.get(f"/api/v1/events/{event['id']}/proposals", headers=event["organiser"]["headers"]).get_json()
    return [p["id"] for p in body["proposals"]]


def test_topic_hidden_after_threshold_and_leaves_the_ranking(client, make_event, make_participant, make_proposal):
    event = make_event(phase="voting")
    topic, other = make_proposal(event, title="Sujet douteux"), make_proposal(event)
    reporters = [make_participant(event) for _ in range(3)]

    statuses = [report(client, event, r, topic, "hors sujet").get_json()["status"] for r in reporters]

    assert statuses == ["visible", "visible", "hidden"]
    assert visible_ids(client, event) == [other]
    results = client.get(f"/api/v1/events/{event['id']}/results", headers=event["organiser"]["headers"]).get_json()
    assert [r["proposal_id"] for r in results["ranking"]] == [other]
    listed = client.get(f"/api/v1/events/{event['id']}/reports", headers=event["organiser"]["headers"]).get_json()
    assert listed == {"threshold": 3, "topics": [{"proposal_id": topic, "title": "Sujet douteux", "status": "hidden",
                                                   "reports": 3, "reasons": ["hors sujet"] * 3}], "cards": []}


def test_reporting_twice_counts_once(client, make_event, make_participant, make_proposal, fresh_db):
    event = make_event()
    topic = make_proposal(event)
    me = make_participant(event)

    for _ in range(5):
        assert report(client, event, me, topic).status_code == 201

    assert fresh_db("SELECT count(*) FROM reports") == [(1,)]
    assert visible_ids(client, event) == [topic]


def test_threshold_is_set_by_the_organiser(client, make_event, make_participant, make_proposal):
    event = make_event()
    client.put(f"/api/v1/events/{event['id']}/privacy", json={"report_threshold": 1},
               headers=event["organiser"]["headers"])
    topic = make_proposal(event)

    assert report(client, event, make_participant(event), topic).get_json()["status"] == "hidden"


def test_organiser_restores_a_reported_topic(client, make_event, make_participant, make_proposal):
    event = make_event()
    topic = make_proposal(event)
    for _ in range(3):
        report(client, event, make_participant(event), topic)

    response = client.put(f"/api/v1/events/{event['id']}/reports/{topic}", json={"decision": "restore"},
                          headers=event["organiser"]["headers"])

    assert response.get_json() == {"proposal_id": topic, "status": "visible"}
    assert visible_ids(client, event) == [topic]
    assert client.get(f"/api/v1/events/{event['id']}/reports",
                      headers=event["organiser"]["headers"]).get_json()["topics"] == []
    # one more report after the review does not hide it again at once: reviewed reports are closed
    assert report(client, event, make_participant(event), topic).get_json()["status"] == "visible"


def test_organiser_confirms_a_reported_topic(client, make_event, make_participant, make_proposal, fresh_db):
    event = make_event()
    topic = make_proposal(event)
    report(client, event, make_participant(event), topic)

    response = client.put(f"/api/v1/events/{event['id']}/reports/{topic}", json={"decision": "confirm"},
                          headers=event["organiser"]["headers"])

    assert response.get_json()["status"] == "hidden"
    assert fresh_db("SELECT status FROM reports") == [("CONFIRMED",)]


def test_author_cannot_report_own_topic_and_strangers_cannot_report(client, make_event, make_participant,
                                                                    make_proposal):
    event, elsewhere = make_event(), make_event()
    author = make_participant(event)
    topic = make_proposal(event, author)

    assert error_of(report(client, event, author, topic)) == (409, "own_proposal")
    assert error_of(report(client, event, make_participant(elsewhere), topic)) == (403, "not_in_event")


def test_report_button_on_the_phone_and_review_on_the_dashboard(app, client, make_event, make_proposal):
    event = make_event()
    topic = make_proposal(event, title="Sujet signalé")
    client.put(f"/api/v1/events/{event['id']}/privacy", json={"report_threshold": 1},
               headers=event["organiser"]["headers"])
    client.post(f"/j/{event['join_code']}", data={"name": "", "profile": ""})
    page = client.get(f"/e/{event['id']}").get_data(as_text=True)
    assert f"/e/{event['id']}/proposals/{topic}/report" in page

    assert client.post(f"/e/{event['id']}/proposals/{topic}/report", data={}).status_code == 302

    organiser = app.test_client()
    organiser.post("/organiser/login", data={"email": event["organiser"]["email"],
                                             "password": event["organiser"]["password"]})
    dashboard = organiser.get(f"/organiser/events/{event['id']}").get_data(as_text=True)
    assert "Signalements à examiner" in dashboard and "Sujet signalé" in dashboard
    organiser.post(f"/organiser/events/{event['id']}/reports/{topic}", data={"decision": "restore"})
    assert visible_ids(client, event) == [topic]


# -- workshop cards -----------------------------------------------------------------------------------------------
def card_board(client, make_event, make_participant):
    event = make_event(phase="closed")
    headers = event["organiser"]["headers"]
    client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "workshops"}, headers=headers)
    workshop = client.post(f"/api/v1/events/{event['id']}/workshops", json={"title": "Atelier"},
                           headers=headers).get_json()["id"]
    author = make_participant(event)
    card = client.post(f"/api/v1/workshops/{workshop}/cards", json={"section": "constat", "text": "Carte douteuse"},
                       headers=author["headers"]).get_json()["id"]
    return event, workshop, author, card


def test_card_hidden_after_threshold_then_restored(app, client, make_event, make_participant, fresh_db):
    event, workshop, author, card = card_board(client, make_event, make_participant)
    reporters = [make_participant(event) for _ in range(3)]

    statuses = [client.post(f"/api/v1/events/{event['id']}/cards/{card}/reports", json={"reason": "injurieux"},
                            headers=r["headers"]).get_json()["status"] for r in reporters]

    assert statuses == ["visible", "visible", "hidden"]
    assert fresh_db("SELECT deleted_at IS NULL, hidden_at IS NOT NULL FROM cards WHERE id = :c", c=card) == [(1, 1)]
    listed = client.get(f"/api/v1/events/{event['id']}/reports", headers=event["organiser"]["headers"]).get_json()
    assert listed["cards"] == [{"card_id": card, "workshop_id": workshop, "text": "Carte douteuse", "status": "hidden",
                                "reports": 3, "reasons": ["injurieux"] * 3}]
    organiser = app.test_client()
    organiser.post("/organiser/login", data={"email": event["organiser"]["email"],
                                             "password": event["organiser"]["password"]})
    dashboard = organiser.get(f"/organiser/events/{event['id']}").get_data(as_text=True)
    assert "Carte d'atelier" in dashboard and "masquée en attente de revue" in dashboard

    restored = client.put(f"/api/v1/events/{event['id']}/reports/cards/{card}", json={"decision": "restore"},
                          headers=event["organiser"]["headers"])

    assert restored.get_json() == {"card_id": card, "status": "visible"}
    assert fresh_db("SELECT hidden_at IS NULL FROM cards WHERE id = :c", c=card) == [(1,)]
    assert fresh_db("SELECT DISTINCT status FROM reports WHERE card_id = :c", c=card) == [("RESTORED",)]


def test_reports_of_a_deleted_workshops_cards_leave_the_review_queue(client, make_event, make_participant):
    event, workshop, _author, card = card_board(client, make_event, make_participant)
    reporter = make_participant(event)
    assert client.post(f"/api/v1/events/{event['id']}/cards/{card}/reports", json={"reason": "hors sujet"},
                       headers=reporter["headers"]).status_code == 201
    queue = f"/api/v1/events/{event['id']}/reports"
    assert [c["card_id"] for c in client.get(queue, headers=event["organiser"]["headers"]).get_json()["cards"]] == [card]

    deleted = client.delete(f"/api/v1/workshops/{workshop}", headers=event["organiser"]["headers"])

    assert deleted.status_code == 204
    assert client.get(queue, headers=event["organiser"]["headers"]).get_json()["cards"] == []


def test_card_report_rules(client, make_event, make_participant, fresh_db):
    event, workshop, author, card = card_board(client, make_event, make_participant)
    me = make_participant(event)

    for _ in range(3):
        assert client.post(f"/api/v1/events/{event['id']}/cards/{card}/reports", json={},
                           headers=me["headers"]).status_code == 201
    own = client.post(f"/api/v1/events/{event['id']}/cards/{card}/reports", json={}, headers=author["headers"])
    stranger = make_participant(make_event())
    foreign = client.post(f"/api/v1/events/{event['id']}/cards/{card}/reports", json={},
                          headers=stranger["headers"])

    assert fresh_db("SELECT count(*) FROM reports WHERE card_id = :c", c=card) == [(1,)]
    assert error_of(own) == (409, "own_card")
    assert error_of(foreign)[0] == 403


# -- hidden (moderation) and deleted (author) are two states ------------------------------------------------------
def _hide_by_reports(client, event, card, make_participant):
    for _ in range(3):
        client.post(f"/api/v1/events/{event['id']}/cards/{card}/reports", json={"reason": "douteux"},
                    headers=make_participant(event)["headers"])


def _board_card_ids(client, workshop, headers) -> list[int]:
    board = client.get(f"/api/v1/workshops/{workshop}", headers=headers).get_json()
    return [c["id"] for s in board["sections"] for c in s["cards"]]


def test_restoring_a_hidden_card_never_resurrects_one_its_author_deleted(client, make_event, make_participant,
                                                                         fresh_db):
    event, workshop, author, card = card_board(client, make_event, make_participant)
    _hide_by_reports(client, event, card, make_participant)
    assert client.delete(f"/api/v1/workshops/{workshop}/cards/{card}", headers=author["headers"]).status_code == 200

    restored = client.put(f"/api/v1/events/{event['id']}/reports/cards/{card}", json={"decision": "restore"},
                          headers=event["organiser"]["headers"])

    assert restored.get_json() == {"card_id": card, "status": "deleted"}
    assert _board_card_ids(client, workshop, author["headers"]) == []
    assert fresh_db("SELECT deleted_at IS NOT NULL, hidden_at IS NULL FROM cards WHERE id = :c", c=card) == [(1, 1)]


def test_review_queue_shows_a_card_its_author_deleted_as_deleted(client, make_event, make_participant):
    event, workshop, author, card = card_board(client, make_event, make_participant)
    client.post(f"/api/v1/events/{event['id']}/cards/{card}/reports", json={"reason": "hors sujet"},
                headers=make_participant(event)["headers"])
    client.delete(f"/api/v1/workshops/{workshop}/cards/{card}", headers=author["headers"])
    _hide_by_reports(client, event, card, make_participant)

    listed = client.get(f"/api/v1/events/{event['id']}/reports", headers=event["organiser"]["headers"]).get_json()

    assert [(c["card_id"], c["status"]) for c in listed["cards"]] == [(card, "deleted")]


def test_hiding_a_card_leaves_deleted_at_alone(client, make_event, make_participant, fresh_db):
    event, workshop, author, card = card_board(client, make_event, make_participant)

    _hide_by_reports(client, event, card, make_participant)

    assert fresh_db("SELECT deleted_at IS NULL, hidden_at IS NOT NULL FROM cards WHERE id = :c", c=card) == [(1, 1)]
    assert _board_card_ids(client, workshop, author["headers"]) == []
