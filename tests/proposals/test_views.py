"""Topics over the API: propose, list, edit, withdraw, hide."""
from __future__ import annotations

import pytest

from tests.conftest import error_of


@pytest.fixture
def forum(make_event, make_participant):
    event = make_event(phase="proposals")
    return event, make_participant(event, name="Léa"), make_participant(event, name="Marc")


def url(event, pid=None):
    base = f"/api/v1/events/{event['id']}/proposals"
    return f"{base}/{pid}" if pid else base


def titles(client, event, headers):
    return [p["title"] for p in client.get(url(event), headers=headers).get_json()["proposals"]]


def test_participant_proposes_a_topic_everyone_sees(client, forum):
    event, lea, marc = forum

    response = client.post(url(event), json={"title": "Tiers-lieux", "description": "Ouvrir les mairies",
                                             "tags": ["lieux", "Lieux", "mairie"]}, headers=lea["headers"])

    assert response.status_code == 201
    topic = response.get_json()
    assert (topic["title"], topic["description"], topic["tags"]) == ("Tiers-lieux", "Ouvrir les mairies",
                                                                    ["lieux", "mairie"])
    assert (topic["author_id"], topic["author_name"], topic["status"]) == (lea["id"], "Léa", "visible")
    assert titles(client, event, marc["headers"]) == ["Tiers-lieux"]
    assert titles(client, event, event["organiser"]["headers"]) == ["Tiers-lieux"]


@pytest.mark.parametrize(
    "body",
    [{"title": "x" * 121}, {"title": "ok titre", "description": "d" * 2001}, {"title": "ab"}, {"description": "d"},
     {"title": "ok titre", "theme_id": 999}],
    ids=["title_over_120", "description_over_2000", "title_under_3", "missing_title", "unknown_theme"],
)
def test_propose_schema_violation_is_422(client, forum, body):
    event, lea, _ = forum

    response = client.post(url(event), json=body, headers=lea["headers"])

    assert error_of(response)[0] == 422
    assert titles(client, event, lea["headers"]) == []


def test_propose_outside_proposals_phase_is_409(client, make_event, make_participant):
    event = make_event(phase="voting")
    lea = make_participant(event)

    response = client.post(url(event), json={"title": "Trop tard"}, headers=lea["headers"])

    assert error_of(response) == (409, "wrong_phase")


def test_author_edits_own_topic(client, forum):
    event, lea, marc = forum
    pid = client.post(url(event), json={"title": "Brouillon"}, headers=lea["headers"]).get_json()["id"]

    response = client.patch(url(event, pid), json={"title": "Version finale"}, headers=lea["headers"])

    assert response.status_code == 200
    assert titles(client, event, marc["headers"]) == ["Version finale"]


@pytest.mark.parametrize(("method", "body"), [("patch", {"title": "Détourné"}), ("delete", None)],
                         ids=["edit", "withdraw"])
def test_participant_cannot_change_someone_elses_topic(client, forum, method, body):
    event, lea, marc = forum
    pid = client.post(url(event), json={"title": "Sujet de Léa"}, headers=lea["headers"]).get_json()["id"]

    response = getattr(client, method)(url(event, pid), json=body, headers=marc["headers"])

    assert error_of(response) == (403, "not_your_proposal")
    assert titles(client, event, lea["headers"]) == ["Sujet de Léa"]


def test_participant_cannot_hide_a_topic(client, forum):
    event, lea, marc = forum
    pid = client.post(url(event), json={"title": "Sujet de Léa"}, headers=lea["headers"]).get_json()["id"]

    response = client.patch(url(event, pid), json={"hidden": True, "reason": "je n'aime pas"}, headers=lea["headers"])

    assert error_of(response) == (403, "organiser_only")


def test_author_edit_after_proposals_closed_is_409(client, app, forum):
    event, lea, _ = forum
    pid = client.post(url(event), json={"title": "Figé"}, headers=lea["headers"]).get_json()["id"]
    client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "voting"}, headers=event["organiser"]["headers"])

    response = client.patch(url(event, pid), json={"title": "Changé"}, headers=lea["headers"])

    assert error_of(response) == (409, "wrong_phase")


def test_author_withdraws_own_topic(client, forum, fresh_db):
    event, lea, marc = forum
    pid = client.post(url(event), json={"title": "Retiré"}, headers=lea["headers"]).get_json()["id"]

    response = client.delete(url(event, pid), headers=lea["headers"])

    assert response.status_code == 204
    assert titles(client, event, marc["headers"]) == []
    assert fresh_db("SELECT status FROM proposals WHERE id = :id", id=pid) == [("WITHDRAWN",)]


def test_organiser_hides_a_topic_with_a_reason(client, forum, fresh_db):
    event, lea, marc = forum
    pid = client.post(url(event), json={"title": "Publicité"}, headers=lea["headers"]).get_json()["id"]
    client.post(url(event), json={"title": "Vrai sujet"}, headers=marc["headers"])
    organiser = event["organiser"]["headers"]

    response = client.patch(url(event, pid), json={"hidden": True, "reason": "publicité"}, headers=organiser)

    assert response.status_code == 200
    assert response.get_json()["status"] == "hidden"
    for headers in (lea["headers"], marc["headers"], organiser):
        assert titles(client, event, headers) == ["Vrai sujet"]
    assert fresh_db("SELECT title, status, hidden_reason FROM proposals WHERE id = :id", id=pid) == [
        ("Publicité", "HIDDEN", "publicité")]
    everything = client.get(url(event) + "?include_hidden=1", headers=organiser).get_json()["proposals"]
    assert [(p["title"], p["status"]) for p in everything] == [("Publicité", "hidden"), ("Vrai sujet", "visible")]


def test_hiding_without_reason_is_refused(client, forum):
    event, lea, _ = forum
    pid = client.post(url(event), json={"title": "Publicité"}, headers=lea["headers"]).get_json()["id"]

    response = client.patch(url(event, pid), json={"hidden": True}, headers=event["organiser"]["headers"])

    assert error_of(response) == (422, "reason_required")
    assert titles(client, event, lea["headers"]) == ["Publicité"]


def test_hidden_topic_never_appears_in_results(client, make_event, make_participant, make_proposal):
    event = make_event(phase="voting")
    lea = make_participant(event)
    hidden, kept = make_proposal(event, title="Masqué"), make_proposal(event, title="Gardé")
    client.put(f"/api/v1/events/{event['id']}/votes/{hidden}", json={"value": 2}, headers=lea["headers"])
    client.put(f"/api/v1/events/{event['id']}/votes/{kept}", json={"value": 1}, headers=lea["headers"])

    client.patch(url(event, hidden), json={"hidden": True, "reason": "hors charte"},
                 headers=event["organiser"]["headers"])

    results = client.get(f"/api/v1/events/{event['id']}/results", headers=lea["headers"]).get_json()
    assert [(r["title"], r["score"]) for r in results["ranking"]] == [("Gardé", 1)]
    client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "closed"}, headers=event["organiser"]["headers"])
    final = client.get(f"/api/v1/events/{event['id']}/results", headers=event["organiser"]["headers"]).get_json()
    assert [r["title"] for r in final["ranking"]] == ["Gardé"]


def test_participant_of_another_forum_cannot_read_or_propose(client, forum, make_event, make_participant):
    event, lea, _ = forum
    stranger = make_participant(make_event(phase="proposals"))
    client.post(url(event), json={"title": "Interne"}, headers=lea["headers"])

    read = client.get(url(event), headers=stranger["headers"])
    propose = client.post(url(event), json={"title": "Intrusion"}, headers=stranger["headers"])

    assert error_of(read) == (403, "not_in_event")
    assert error_of(propose) == (403, "not_in_event")
    assert titles(client, event, lea["headers"]) == ["Interne"]


def test_topic_of_another_forum_is_404(client, forum, make_event, make_participant, make_proposal):
    event, lea, _ = forum
    other = make_event(phase="proposals")
    foreign = make_proposal(other, title="Ailleurs")

    response = client.patch(url(event, foreign), json={"title": "Piraté"}, headers=event["organiser"]["headers"])

    assert error_of(response) == (404, "proposal_not_found")
