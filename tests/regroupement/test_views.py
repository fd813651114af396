"""The regroupement API and pages: similar topics, merge/undo permissions, suggestions on the propose page."""
from __future__ import annotations

from barcamp.extensions import db
from barcamp.proposals.models import Coproposer, Proposal


def _topics(make_proposal, event, participant=None):
    titles = ["Télétravail des agents", "Le télétravail pour les agents du département", "Covoiturage",
              "Budget vert"]
    return [make_proposal(event, participant, t) for t in titles]


def test_similar_returns_visible_topics_best_first(client, make_event, make_participant, make_proposal):
    event = make_event()
    lea = make_participant(event, "Léa")
    a, b, _c, _d = _topics(make_proposal, event, lea)
    client.patch(f"/api/v1/events/{event['id']}/proposals/{b}", json={"hidden": True, "reason": "doublon"},
                 headers=event["organiser"]["headers"])
    r = client.get(f"/api/v1/events/{event['id']}/similar", query_string={"text": "teletravail des agents"},
                   headers=lea["headers"])
    assert r.status_code == 200
    assert r.get_json() == [{"proposal_id": a, "title": "Télétravail des agents", "similarity": 1.0}]


def test_similar_limits_to_five_and_checks_the_forum(client, make_event, make_participant, make_proposal):
    event, other = make_event(), make_event()
    lea, stranger = make_participant(event), make_participant(other)
    for i in range(7):
        make_proposal(event, None, f"Covoiturage des agents {i}")
    url = f"/api/v1/events/{event['id']}/similar"
    r = client.get(url, query_string={"text": "covoiturage des agents"}, headers=lea["headers"])
    assert len(r.get_json()) == 5
    assert client.get(url, query_string={"text": "x"}).status_code == 401
    r = client.get(url, query_string={"text": "covoiturage"}, headers=stranger["headers"])
    assert (r.status_code, r.get_json()["error"]["code"]) == (403, "not_in_event")
    r = client.get(url, query_string={"text": "covoiturage", "threshold": "2"}, headers=lea["headers"])
    assert (r.status_code, r.get_json()["error"]["code"]) == (422, "invalid_threshold")


def test_merge_api_permissions_and_result(client, make_event, make_organiser, make_participant, make_proposal):
    event = make_event()
    lea = make_participant(event, "Léa")
    a, b, c, d = _topics(make_proposal, event, lea)
    url = f"/api/v1/events/{event['id']}/proposals/merge"
    body = {"proposal_ids": [a, b], "title": "Le télétravail", "description": "Regroupé"}
    assert client.post(url, json=body).status_code == 401
    r = client.post(url, json=body, headers=lea["headers"])
    assert (r.status_code, r.get_json()["error"]["code"]) == (403, "forbidden")
    r = client.post(url, json=body, headers=make_organiser()["headers"])
    assert (r.status_code, r.get_json()["error"]["code"]) == (403, "not_your_event")

    r = client.post(url, json={**body, "into": a, "proposal_ids": [b]}, headers=event["organiser"]["headers"])
    assert r.status_code == 201
    merge = r.get_json()
    assert (merge["result_id"], merge["source_ids"], merge["created_result"]) == (a, [b], False)
    assert (merge["result"]["title"], merge["result"]["merged_count"]) == ("Le télétravail", 2)
    listed = client.get(f"/api/v1/events/{event['id']}/proposals", headers=lea["headers"]).get_json()["proposals"]
    assert [p["id"] for p in listed] == [a, c, d]
    trail = client.get(f"/api/v1/events/{event['id']}/proposals/{a}/trail", headers=lea["headers"]).get_json()
    assert [o["title"] for o in trail["originals"]] == ["Télétravail des agents",
                                                       "Le télétravail pour les agents du département"]

    undo = f"/api/v1/events/{event['id']}/merges/{merge['id']}/undo"
    assert client.post(undo, headers=lea["headers"]).status_code == 403
    r = client.post(undo, headers=event["organiser"]["headers"])
    assert r.status_code == 200 and r.get_json()["undone_at"] is not None
    listed = client.get(f"/api/v1/events/{event['id']}/proposals", headers=lea["headers"]).get_json()["proposals"]
    assert [(p["id"], p["title"]) for p in listed][:2] == [(a, "Télétravail des agents"),
                                                          (b, "Le télétravail pour les agents du département")]
    assert client.post(undo, headers=event["organiser"]["headers"]).status_code == 409


def test_merge_api_409_after_voting_closed(client, make_event, make_proposal):
    event = make_event(phase="voting")
    a, b = make_proposal(event, None, "Open data"), make_proposal(event, None, "Ouvrir les données")
    headers = event["organiser"]["headers"]
    merge = client.post(f"/api/v1/events/{event['id']}/proposals/merge",
                        json={"proposal_ids": [a, b], "title": "Open data"}, headers=headers).get_json()
    assert client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "closed"},
                      headers=headers).status_code == 200
    c, d = make_proposal(event, None, "Zéro papier"), make_proposal(event, None, "Sans papier")
    r = client.post(f"/api/v1/events/{event['id']}/proposals/merge",
                    json={"proposal_ids": [c, d], "title": "Papier"}, headers=headers)
    assert (r.status_code, r.get_json()["error"]["code"]) == (409, "merge_closed")
    r = client.post(f"/api/v1/events/{event['id']}/merges/{merge['id']}/undo", headers=headers)
    assert (r.status_code, r.get_json()["error"]["code"]) == (409, "merge_closed")


def test_groups_api(client, make_event, make_proposal):
    event = make_event()
    a, b, _c, _d = _topics(make_proposal, event)
    r = client.get(f"/api/v1/events/{event['id']}/groups", headers=event["organiser"]["headers"])
    assert [[m["proposal_id"] for m in g] for g in r.get_json()["groups"]] == [[a, b]]


def _join(client, event, name="Léa"):
    client.post(f"/j/{event['join_code']}", data={"name": name}, follow_redirects=True)
    with client.session_transaction() as session:
        return session["participants"][str(event["id"])]


def test_propose_page_offers_suggestions_and_support_makes_a_coproposer(app, client, make_event, make_proposal,
                                                                       make_participant):
    event = make_event()
    max_ = make_participant(event, "Max")
    topic = make_proposal(event, max_, "Télétravail des agents")
    _join(client, event)
    page = client.get(f"/e/{event['id']}").get_data(as_text=True)
    assert "Ce sujet existe peut-être déjà" in page and "data-similar-url" in page
    assert "js/regroupement.js" in page
    r = client.post(f"/e/{event['id']}/proposals/{topic}/support", follow_redirects=True)
    text = r.get_data(as_text=True)
    assert "Vous soutenez « Télétravail des agents »" in text
    assert "avec Léa" in text
    with app.app_context():
        assert db.session.query(Proposal).filter_by(event_id=event["id"]).count() == 1  # no duplicate posted
        assert db.session.query(Coproposer).filter_by(proposal_id=topic, merge_id=None).count() == 1


def test_support_api_is_idempotent_and_for_participants(client, make_event, make_participant, make_proposal):
    event = make_event()
    lea, max_ = make_participant(event, "Léa"), make_participant(event, "Max")
    topic = make_proposal(event, max_, "Covoiturage")
    url = f"/api/v1/events/{event['id']}/proposals/{topic}/support"
    for _ in range(2):
        r = client.put(url, headers=lea["headers"])
        assert (r.status_code, r.get_json()["coproposers"]) == (200, ["Léa"])
    assert client.put(url, headers=event["organiser"]["headers"]).status_code == 403
    assert client.delete(url, headers=lea["headers"]).status_code == 204
    assert client.put(url, headers=max_["headers"]).get_json()["coproposers"] == []  # the author already carries it


def test_organiser_page_lists_groups_and_merges_by_form(app, client, make_event, make_proposal):
    event = make_event()
    a, b, _c, _d = _topics(make_proposal, event)
    organiser = event["organiser"]
    client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})
    page = client.get(f"/organiser/events/{event['id']}/regroupement").get_data(as_text=True)
    assert "1 groupe de sujets similaires" in page and "Le télétravail pour les agents du département" in page
    r = client.post(f"/organiser/events/{event['id']}/regroupement/merge",
                    data={"proposal_ids": [a, b], "into": "", "title": "Télétravail", "description": ""},
                    follow_redirects=True)
    assert "2 sujets regroupés dans « Télétravail »" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Proposal, a).status.value == "merged"
    dashboard = client.get(f"/organiser/events/{event['id']}").get_data(as_text=True)
    assert f"/organiser/events/{event['id']}/regroupement" in dashboard
