"""Rules frozen: voting mode, budgets and the quiz cannot change once the vote or the quiz has started."""
from __future__ import annotations

import pytest

from tests.conftest import error_of

RULES = {"mode": "approval", "dots": 5, "max_per_proposal": 3}


def test_rules_change_before_the_vote(client, make_event):
    event = make_event(phase="proposals")

    response = client.put(f"/api/v1/events/{event['id']}/voting", json=RULES, headers=event["organiser"]["headers"])

    assert response.status_code == 200
    assert response.get_json()["voting"] == {"mode": "approval", "dots": 5, "max_per_proposal": 3}


@pytest.mark.parametrize("phase", ["voting", "closed"])
def test_rules_change_after_the_vote_opened_is_409_and_logged(client, make_event, phase, caplog):
    event = make_event(phase=phase, voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})

    response = client.put(f"/api/v1/events/{event['id']}/voting", json=RULES, headers=event["organiser"]["headers"])

    assert error_of(response) == (409, "rules_frozen")
    body = client.get(f"/api/v1/events/{event['id']}", headers=event["organiser"]["headers"]).get_json()
    assert body["voting"] == {"mode": "dots", "dots": 3, "max_per_proposal": 2}
    assert [r.levelname for r in caplog.records if "voting rules change" in r.getMessage()] == ["WARNING"]


def test_rules_form_on_the_dashboard_shows_the_refusal(app, make_event):
    event = make_event(phase="voting")
    organiser = app.test_client()
    organiser.post("/organiser/login", data={"email": event["organiser"]["email"],
                                             "password": event["organiser"]["password"]})

    response = organiser.post(f"/organiser/events/{event['id']}/voting",
                              data={"voting_mode": "majority", "dots": "3", "max_per_proposal": "2"},
                              follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Le vote a commencé : le mode et les budgets ne peuvent plus changer." in page
    assert "Le vote a commencé : le mode et les budgets sont figés." in page
    body = organiser.get(f"/api/v1/events/{event['id']}", headers=event["organiser"]["headers"]).get_json()
    assert body["voting"]["mode"] == "dots"


def test_quiz_choice_frozen_once_the_icebreaker_opened_and_logged(client, make_event, caplog):
    event = make_event(phase="draft")
    headers = event["organiser"]["headers"]
    client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "icebreaker"}, headers=headers)

    response = client.put(f"/api/v1/events/{event['id']}/quiz/settings", json={"quiz": "demo-culture-barcamp"},
                          headers=headers)

    assert error_of(response) == (409, "quiz_frozen")
    assert any("quiz change" in r.getMessage() for r in caplog.records)


def test_quiz_mode_frozen_after_the_first_answer_and_logged(client, make_event, make_participant, caplog):
    event = make_event(phase="draft")
    headers = event["organiser"]["headers"]
    client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "icebreaker"}, headers=headers)
    player = make_participant(event)
    assert client.put(f"/api/v1/events/{event['id']}/quiz/answers/0", json={"choice": 1},
                      headers=player["headers"]).status_code == 200

    response = client.put(f"/api/v1/events/{event['id']}/quiz/settings", json={"mode": "live"}, headers=headers)

    assert error_of(response) == (409, "mode_frozen")
    assert any("quiz mode change" in r.getMessage() for r in caplog.records)
