"""Profiles from answers (majority, ties), scores, and the room's distribution."""
from __future__ import annotations

import pytest

from barcamp.quiz.content import load_quizzes
from barcamp.quiz.services import profile_of, score_of

QUIZ = load_quizzes()["style-innovation"]


def pure(symbol: str) -> dict[int, int]:
    """The answer set that picks, in every question, the answer counting for `symbol`."""
    return {i: next(j for j, a in enumerate(q.answers) if a.profile == symbol) for i, q in enumerate(QUIZ.questions)}


@pytest.mark.parametrize("symbol,name", [("x", "Culture interne"), ("§", "Solutions techniques"), ("¿", "Usages"),
                                         ("¥", "Hybride et ouverture")], ids=["x", "§", "¿", "¥"])
def test_pure_answer_set_gives_its_profile(symbol, name):
    profile = profile_of(QUIZ, pure(symbol))

    assert profile["symbols"] == [symbol]
    assert profile["mixed"] is False
    assert profile["profiles"][0]["name"] == name
    assert profile["counts"][symbol] == 6


def test_three_three_split_gives_a_mixed_profile_listing_both():
    answers = {**{q: pure("¥")[q] for q in range(3)}, **{q: pure("§")[q] for q in range(3, 6)}}

    profile = profile_of(QUIZ, answers)

    assert profile["symbols"] == ["§", "¥"]  # the file's order, never an arbitrary pick
    assert profile["mixed"] is True
    assert [p["name"] for p in profile["profiles"]] == ["Solutions techniques", "Hybride et ouverture"]
    assert profile["counts"] == {"x": 0, "§": 3, "¿": 0, "¥": 3}


def test_majority_wins_over_a_spread():
    answers = {0: pure("x")[0], 1: pure("x")[1], 2: pure("x")[2], 3: pure("§")[3], 4: pure("¿")[4], 5: pure("¥")[5]}

    assert profile_of(QUIZ, answers)["symbols"] == ["x"]


def test_no_answer_no_profile():
    assert profile_of(QUIZ, {}) is None


def test_scored_quiz_counts_points_and_speed_bonus():
    quiz = load_quizzes()["culture-barcamp"]
    rows = [(0, 2, 0), (1, 0, 10_000), (2, 0, 1_000)]  # right instantly, right after half the window, wrong

    assert score_of(quiz, rows) == (1000 + 500) + (1000 + 250) + 0
