"""A scored quiz shows a score only for answers that can no longer change (no score by trial and error).

Self-paced: the score appears once every question is answered, and the answers are then final.
Live: the score counts the closed questions; the open one counts once it closes.
The room's leaderboard follows the same rule.
"""
from __future__ import annotations

from tests.conftest import error_of

#: culture-barcamp: right answers 2, 0, 1 (1,000 points each; the speed bonus is live only)
RIGHT = (2, 0, 1)


def put_answer(client, event, participant, question, choice):
    return client.put(f"/api/v1/events/{event['id']}/quiz/answers/{question}", json={"choice": choice},
                      headers=participant["headers"])


def leaderboard(client, event, who):
    results = client.get(f"/api/v1/events/{event['id']}/quiz/results", headers=who["headers"]).get_json()
    return [(e["name"], e["score"]) for e in results["leaderboard"]]


def test_self_paced_score_is_hidden_while_answers_can_change(client, make_quiz_event, make_participant):
    event = make_quiz_event(quiz="culture-barcamp")
    alice = make_participant(event, "Alice")

    tries = [put_answer(client, event, alice, 0, choice).get_json() for choice in range(4)]
    me = client.get(f"/api/v1/events/{event['id']}/quiz/me", headers=alice["headers"]).get_json()

    assert [t["score"] for t in tries] == [None, None, None, None]
    assert me["score"] is None and me["complete"] is False
    assert leaderboard(client, event, alice) == []


def test_self_paced_score_appears_when_finished_and_the_answers_are_then_final(client, make_quiz_event,
                                                                               make_participant):
    event = make_quiz_event(quiz="culture-barcamp")
    alice = make_participant(event, "Alice")
    put_answer(client, event, alice, 0, RIGHT[0])
    put_answer(client, event, alice, 1, RIGHT[1])

    last = put_answer(client, event, alice, 2, 3)  # wrong
    change = put_answer(client, event, alice, 2, RIGHT[2])
    again = put_answer(client, event, alice, 2, 3)  # the same answer: idempotent

    assert last.status_code == 200 and (last.get_json()["complete"], last.get_json()["score"]) == (True, 2000)
    assert error_of(change) == (409, "quiz_answers_final")
    assert again.status_code == 200 and again.get_json()["score"] == 2000
    assert leaderboard(client, event, alice) == [("Alice", 2000)]


def test_self_paced_leaderboard_lists_only_finished_participants(client, make_quiz_event, make_participant):
    event = make_quiz_event(quiz="culture-barcamp")
    alice, bob = make_participant(event, "Alice"), make_participant(event, "Bob")
    for question, choice in enumerate(RIGHT):
        put_answer(client, event, alice, question, choice)
    put_answer(client, event, bob, 0, RIGHT[0])

    assert leaderboard(client, event, bob) == [("Alice", 3000)]


def test_results_reveal_every_score(client, control, make_quiz_event, make_participant):
    event = make_quiz_event(quiz="culture-barcamp")
    bob = make_participant(event, "Bob")
    put_answer(client, event, bob, 0, RIGHT[0])

    control(event, "results")
    me = client.get(f"/api/v1/events/{event['id']}/quiz/me", headers=bob["headers"]).get_json()

    assert me["score"] == 1000
    assert leaderboard(client, event, bob) == [("Bob", 1000)]


def test_live_score_counts_a_question_once_it_is_closed(client, control, make_quiz_event, make_participant):
    event = make_quiz_event(quiz="culture-barcamp", mode="live")
    alice = make_participant(event, "Alice")
    control(event, "open")

    tries = [put_answer(client, event, alice, 0, choice).get_json()["score"] for choice in range(4)]
    board_while_open = leaderboard(client, event, alice)
    put_answer(client, event, alice, 0, RIGHT[0])
    control(event, "close")
    me = client.get(f"/api/v1/events/{event['id']}/quiz/me", headers=alice["headers"]).get_json()

    assert tries == [0, 0, 0, 0]
    assert board_while_open == [("Alice", 0)]
    assert me["score"] >= 1000
    assert leaderboard(client, event, alice) == [("Alice", me["score"])]
