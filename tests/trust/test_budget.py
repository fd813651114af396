"""No voter ends up over budget: restoring a topic or a card trims the ballots and dots it would push
past the budget (issue 19), and `barcamp recount` reports anyone over budget."""
from __future__ import annotations

from sqlalchemy import text

from barcamp.extensions import db

DOTS_5 = {"mode": "dots", "dots": 5, "max_per_proposal": 3}


def vote(client, event, voter, topic, value):
    response = client.put(f"/api/v1/events/{event['id']}/votes/{topic}", json={"value": value},
                          headers=voter["headers"])
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def mine(client, event, voter) -> dict:
    return client.get(f"/api/v1/events/{event['id']}/votes/mine", headers=voter["headers"]).get_json()


def scores(client, event) -> dict[int, int]:
    results = client.get(f"/api/v1/events/{event['id']}/results", headers=event["organiser"]["headers"]).get_json()
    return {row["proposal_id"]: row["score"] for row in results["ranking"]}


def open_workshops(client, event) -> None:
    client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "workshops"},
               headers=event["organiser"]["headers"])


def report(client, event, topic, make_participant):
    for _ in range(3):
        client.post(f"/api/v1/events/{event['id']}/proposals/{topic}/reports", json={"reason": "hors sujet"},
                    headers=make_participant(event)["headers"])


def test_restoring_a_reported_topic_trims_the_ballots_of_voters_now_over_budget(
        client, make_event, make_participant, make_proposal, barcamp_cli):
    event = make_event(phase="voting", voting=DOTS_5)
    t1, t2, t3 = (make_proposal(event, title=f"Sujet {i}") for i in (1, 2, 3))
    v, w = make_participant(event), make_participant(event)
    vote(client, event, v, t1, 3)
    vote(client, event, w, t1, 2)
    report(client, event, t1, make_participant)
    vote(client, event, v, t2, 3)
    assert vote(client, event, v, t3, 2)["remaining"] == 0

    restored = client.put(f"/api/v1/events/{event['id']}/reports/{t1}", json={"decision": "restore"},
                          headers=event["organiser"]["headers"])

    assert restored.get_json() == {"proposal_id": t1, "status": "visible"}
    assert mine(client, event, v) == {"votes": {str(t2): 3, str(t3): 2}, "remaining": 0}
    assert mine(client, event, w) == {"votes": {str(t1): 2}, "remaining": 3}
    assert scores(client, event) == {t1: 2, t2: 3, t3: 2}
    recount = barcamp_cli("recount", str(event["id"]))
    assert recount.exit_code == 0, recount.output


def test_unhiding_a_topic_trims_only_what_exceeds_the_budget(client, make_event, make_participant, make_proposal):
    event = make_event(phase="voting", voting=DOTS_5)
    t1, t2, t3 = (make_proposal(event, title=f"Sujet {i}") for i in (1, 2, 3))
    v = make_participant(event)
    headers = event["organiser"]["headers"]
    vote(client, event, v, t1, 3)
    assert client.patch(f"/api/v1/events/{event['id']}/proposals/{t1}", json={"hidden": True, "reason": "doublon"},
                        headers=headers).status_code == 200
    vote(client, event, v, t2, 3)
    vote(client, event, v, t3, 1)

    shown = client.patch(f"/api/v1/events/{event['id']}/proposals/{t1}", json={"hidden": False}, headers=headers)

    assert shown.get_json()["status"] == "visible"
    assert mine(client, event, v) == {"votes": {str(t1): 1, str(t2): 3, str(t3): 1}, "remaining": 0}
    assert scores(client, event) == {t1: 1, t2: 3, t3: 1}


def test_restoring_a_hidden_card_trims_the_dots_of_participants_now_over_budget(
        client, make_event, make_participant, fresh_db):
    event = make_event(phase="closed")
    open_workshops(client, event)
    headers = event["organiser"]["headers"]
    wid = client.post(f"/api/v1/events/{event['id']}/workshops", json={"title": "Atelier"},
                      headers=headers).get_json()["id"]
    author, v, w = make_participant(event), make_participant(event), make_participant(event)
    c1, c2, c3 = (client.post(f"/api/v1/workshops/{wid}/cards", json={"section": "propositions", "text": f"Idée {i}"},
                              headers=author["headers"]).get_json()["id"] for i in (1, 2, 3))
    client.put(f"/api/v1/workshops/{wid}/dots/{c1}", json={"value": 2}, headers=v["headers"])
    client.put(f"/api/v1/workshops/{wid}/dots/{c1}", json={"value": 1}, headers=w["headers"])
    for _ in range(3):
        client.post(f"/api/v1/events/{event['id']}/cards/{c1}/reports", json={},
                    headers=make_participant(event)["headers"])
    client.put(f"/api/v1/workshops/{wid}/dots/{c2}", json={"value": 2}, headers=v["headers"])
    assert client.put(f"/api/v1/workshops/{wid}/dots/{c3}", json={"value": 1},
                      headers=v["headers"]).get_json() == {"value": 1, "remaining": 0}

    restored = client.put(f"/api/v1/events/{event['id']}/reports/cards/{c1}", json={"decision": "restore"},
                          headers=headers)

    assert restored.get_json() == {"card_id": c1, "status": "visible"}
    board = client.get(f"/api/v1/workshops/{wid}", headers=v["headers"]).get_json()
    assert (board["me"]["dots"], board["me"]["remaining"]) == ({str(c2): 2, str(c3): 1}, 0)
    assert {c["id"]: c["dots"] for s in board["sections"] for c in s["cards"]} == {c1: 1, c2: 2, c3: 1}
    assert fresh_db("SELECT participant_id, value FROM card_dots WHERE card_id = :c", c=c1) == [(w["id"], 1)]


def test_cli_recount_reports_a_voter_over_budget_and_exits_1(app, client, make_event, make_participant,
                                                             make_proposal, barcamp_cli):
    event = make_event(phase="voting", voting=DOTS_5)
    t1, t2 = make_proposal(event), make_proposal(event)
    v = make_participant(event)
    vote(client, event, v, t1, 3)
    vote(client, event, v, t2, 2)
    with app.app_context():  # slipped in behind the services' back
        db.session.execute(text("UPDATE ballots SET value = 3 WHERE proposal_id = :t"), {"t": t2})
        db.session.commit()

    result = barcamp_cli("recount", str(event["id"]))

    assert result.exit_code == 1, result.output
    assert "OVER BUDGET" in result.output
    assert "6 dots of 5" in result.output


def test_cli_recount_reports_workshop_dots_over_budget_and_exits_1(app, client, make_event, make_participant,
                                                                   barcamp_cli):
    event = make_event(phase="closed")
    open_workshops(client, event)
    wid = client.post(f"/api/v1/events/{event['id']}/workshops", json={"title": "Atelier"},
                      headers=event["organiser"]["headers"]).get_json()["id"]
    v = make_participant(event)
    cards = [client.post(f"/api/v1/workshops/{wid}/cards", json={"section": "propositions", "text": f"Idée {i}"},
                         headers=v["headers"]).get_json()["id"] for i in (1, 2)]
    client.put(f"/api/v1/workshops/{wid}/dots/{cards[0]}", json={"value": 2}, headers=v["headers"])
    client.put(f"/api/v1/workshops/{wid}/dots/{cards[1]}", json={"value": 1}, headers=v["headers"])
    with app.app_context():
        db.session.execute(text("UPDATE card_dots SET value = 2 WHERE card_id = :c"), {"c": cards[1]})
        db.session.commit()

    result = barcamp_cli("recount", str(event["id"]))

    assert result.exit_code == 1, result.output
    assert "OVER BUDGET" in result.output
    assert f"workshop {wid}" in result.output and "4 dots of 3" in result.output
