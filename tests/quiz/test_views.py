"""The quiz API: document, idempotent answers, 409s, results, the participant's profile, live stepping."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from barcamp.extensions import db
from barcamp.quiz.models import QuizAnswer, QuizRun
from tests.quiz.test_services import pure


def put_answer(client, event, participant, question, choice):
    return client.put(f"/api/v1/events/{event['id']}/quiz/answers/{question}", json={"choice": choice},
                      headers=participant["headers"])


def test_quiz_document_lists_questions_answers_and_state(client, make_quiz_event, make_participant):
    event = make_quiz_event()
    alice = make_participant(event, "Alice")

    body = client.get(f"/api/v1/events/{event['id']}/quiz", headers=alice["headers"]).get_json()

    assert body["slug"] == "style-innovation"
    assert len(body["questions"]) == 6 and len(body["questions"][5]["answers"]) == 4
    assert body["state"]["mode"] == "self_paced" and body["state"]["accepting"] is True


def test_self_paced_pure_answers_give_the_profile_and_the_room(client, make_quiz_event, make_participant):
    event = make_quiz_event()
    alice, bob = make_participant(event, "Alice"), make_participant(event, "Bob")

    for q, c in pure("¿").items():
        assert put_answer(client, event, alice, q, c).status_code == 200
    for q, c in pure("x").items():
        put_answer(client, event, bob, q, c)
    me = client.get(f"/api/v1/events/{event['id']}/quiz/me", headers=alice["headers"]).get_json()
    results = client.get(f"/api/v1/events/{event['id']}/quiz/results", headers=alice["headers"]).get_json()

    assert me["complete"] is True
    assert me["profile"]["symbols"] == ["¿"] and me["profile"]["profiles"][0]["name"] == "Usages"
    assert results["respondents"] == 2
    assert results["profiles"] == {"x": 1, "§": 0, "¿": 1, "¥": 0}
    assert results["mixed"] == 0
    assert results["questions"][0] == {"index": 0, "counts": [1, 0, 0, 1]}


def test_answering_twice_changes_the_answer(client, app, make_quiz_event, make_participant):
    event = make_quiz_event()
    alice = make_participant(event)

    put_answer(client, event, alice, 0, 1)
    second = put_answer(client, event, alice, 0, 3)

    assert second.get_json()["answers"] == {"0": 3}
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAnswer.id))) == 1


def test_answers_outside_the_icebreaker_are_refused_with_409(client, make_event, make_participant):
    event = make_event(phase="proposals")
    alice = make_participant(event)

    r = put_answer(client, event, alice, 0, 0)

    assert r.status_code == 409
    assert r.get_json()["error"]["code"] == "wrong_phase"


def test_bad_choice_and_question_are_clear_errors(client, make_quiz_event, make_participant):
    event = make_quiz_event()
    alice = make_participant(event)

    assert put_answer(client, event, alice, 0, 4).get_json()["error"]["code"] == "invalid_choice"
    assert put_answer(client, event, alice, 9, 0).status_code == 404
    assert put_answer(client, event, alice, 0, "b").status_code == 422


def test_live_mode_accepts_only_the_open_question(client, control, make_quiz_event, make_participant):
    event = make_quiz_event(mode="live")
    alice = make_participant(event)

    assert put_answer(client, event, alice, 0, 0).status_code == 409  # nothing open yet
    state = control(event, "open")
    assert state["question"] == 0 and state["status"] == "open"
    assert put_answer(client, event, alice, 1, 0).status_code == 409
    assert put_answer(client, event, alice, 0, 2).status_code == 200
    closed = control(event, "close")
    late = put_answer(client, event, alice, 0, 1)

    assert closed["status"] == "closed" and closed["counts"] == [0, 0, 1, 0]
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "question_closed"


def test_results_store_the_distribution_with_the_forum(client, app, control, make_quiz_event, make_participant):
    event = make_quiz_event(mode="live")
    alice = make_participant(event)
    control(event, "open")
    put_answer(client, event, alice, 0, 0)

    state = control(event, "results")

    assert state["status"] == "results" and state["results"]["profiles"]["x"] == 1
    with app.app_context():
        run = db.session.scalar(select(QuizRun))
        assert run.distribution["respondents"] == 1 and run.distribution["profiles"]["x"] == 1


def test_leaving_the_icebreaker_stores_the_distribution(client, app, make_quiz_event, make_participant):
    event = make_quiz_event()
    alice = make_participant(event)
    for q, c in pure("¥").items():
        put_answer(client, event, alice, q, c)

    r = client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "proposals"},
                   headers=event["organiser"]["headers"])

    assert r.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(QuizRun)).distribution["profiles"]["¥"] == 1


def test_quiz_choice_is_frozen_once_the_icebreaker_opened(client, make_quiz_event):
    event = make_quiz_event()

    r = client.put(f"/api/v1/events/{event['id']}/quiz/settings", json={"quiz": "culture-barcamp"},
                   headers=event["organiser"]["headers"])

    assert r.status_code == 409 and r.get_json()["error"]["code"] == "quiz_frozen"


def test_organiser_picks_another_quiz_in_draft(client, make_event):
    event = make_event(phase="draft")
    headers = event["organiser"]["headers"]

    r = client.put(f"/api/v1/events/{event['id']}/quiz/settings", json={"quiz": "culture-barcamp", "mode": "live"},
                   headers=headers)
    unknown = client.put(f"/api/v1/events/{event['id']}/quiz/settings", json={"quiz": "nope"}, headers=headers)

    assert r.status_code == 200 and r.get_json()["slug"] == "culture-barcamp" and r.get_json()["mode"] == "live"
    assert unknown.status_code == 422 and unknown.get_json()["error"]["code"] == "unknown_quiz"


def test_scored_quiz_gives_a_leaderboard(client, control, make_quiz_event, make_participant):
    event = make_quiz_event(quiz="culture-barcamp", mode="live")
    alice, bob = make_participant(event, "Alice"), make_participant(event, "Bob")
    control(event, "open")
    put_answer(client, event, alice, 0, 2)
    put_answer(client, event, bob, 0, 1)
    control(event, "close")

    results = client.get(f"/api/v1/events/{event['id']}/quiz/results", headers=alice["headers"]).get_json()

    assert "profiles" not in results or results["profiles"] is None
    assert [(e["rank"], e["name"]) for e in results["leaderboard"]] == [(1, "Alice"), (2, "Bob")]
    assert results["leaderboard"][0]["score"] >= 1000 and results["leaderboard"][1]["score"] == 0


def test_endpoints_appear_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    assert set(paths["/api/v1/events/{event_id}/quiz/answers/{question_index}"]) == {"put"}
    assert "409" in paths["/api/v1/events/{event_id}/quiz/answers/{question_index}"]["put"]["responses"]
    assert "/api/v1/events/{event_id}/quiz/results" in paths and "/api/v1/events/{event_id}/quiz/me" in paths


def test_concurrent_answers_of_one_participant_leave_one_row(live_server):
    import requests

    server = live_server
    headers = {"Authorization": f"Bearer {server.organiser_token()}"}
    event = requests.post(f"{server.url}/api/v1/events", json={"title": "Concurrence"}, headers=headers,
                          timeout=10).json()
    requests.put(f"{server.url}/api/v1/events/{event['id']}/phase", json={"phase": "icebreaker"}, headers=headers,
                 timeout=10).raise_for_status()
    people = [requests.post(f"{server.url}/api/v1/join", json={"code": event["join_code"]}, timeout=10).json()
              for _ in range(4)]
    statuses: list[int] = []
    lock = threading.Lock()

    def hammer(person, choice):
        with requests.Session() as s:
            for _ in range(5):
                r = s.put(f"{server.url}/api/v1/events/{event['id']}/quiz/answers/0", json={"choice": choice},
                          headers={"Authorization": f"Bearer {person['token']}"}, timeout=30)
                with lock:
                    statuses.append(r.status_code)

    threads = [threading.Thread(target=hammer, args=(p, c)) for p in people for c in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results = requests.get(f"{server.url}/api/v1/events/{event['id']}/quiz/results", headers=headers, timeout=10).json()

    assert statuses == [200] * 80
    assert results["respondents"] == 4
    assert sum(results["questions"][0]["counts"]) == 4  # one row per participant × question
