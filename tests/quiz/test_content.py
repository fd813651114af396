"""Quiz files: the Sonar quiz as printed (with its reconstructed mapping) and clear validation errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from barcamp.quiz.content import QUIZ_DIR, ContentError, load_quiz_file, load_quizzes
from barcamp.quiz.enums import QuizKind

VALID_SCORED = """\
slug: mini
kind: scored
title: Mini
questions:
  - text: Deux et deux ?
    correct: 1
    answers: [{text: "3"}, {text: "4"}]
"""


def test_style_innovation_quiz_has_six_questions_of_four_answers_one_per_profile():
    quiz = load_quizzes()["style-innovation"]

    assert quiz.kind == QuizKind.PROFILE
    assert [p.symbol for p in quiz.profiles] == ["x", "§", "¿", "¥"]
    assert [p.name for p in quiz.profiles] == ["Culture interne", "Solutions techniques", "Usages",
                                               "Hybride et ouverture"]
    assert len(quiz.questions) == 6
    for question in quiz.questions:
        assert sorted(a.profile for a in question.answers) == sorted(["x", "§", "¿", "¥"])
    assert "reconstruction" in quiz.note
    assert "27e Région" in quiz.credit and "France Urbaine" in quiz.credit and "2018" in quiz.credit
    assert quiz.questions[0].answers[2].text == "la figure du hacker dans l'administration publique"
    assert quiz.questions[0].answers[2].profile == "§"


def test_scored_example_quiz_is_offered_next_to_the_default():
    quizzes = load_quizzes()

    assert quizzes["culture-barcamp"].kind == QuizKind.SCORED
    assert quizzes["culture-barcamp"].speed_bonus.max_points == 500


def test_a_new_yaml_file_is_a_new_quiz_without_code(tmp_path: Path):
    (tmp_path / "mini.yaml").write_text(VALID_SCORED, encoding="utf-8")

    assert list(load_quizzes(tmp_path)) == ["mini"]


def _error(tmp_path: Path, text: str) -> ContentError:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_quiz_file(path)
    return info.value


def test_malformed_yaml_names_the_file_and_the_line(tmp_path):
    error = _error(tmp_path, "slug: a\nquestions: [\n  - text: x\n")

    assert "broken.yaml" in str(error)
    assert error.field.startswith("line ")
    assert "malformed YAML" in error.problem


def test_missing_field_is_named(tmp_path):
    error = _error(tmp_path, VALID_SCORED.replace("title: Mini\n", ""))

    assert "broken.yaml" in str(error)
    assert error.field == "title"
    assert error.problem == "missing"


def test_right_answer_index_out_of_range_is_named(tmp_path):
    error = _error(tmp_path, VALID_SCORED.replace("correct: 1", "correct: 4"))

    assert str(error) == f"{tmp_path / 'broken.yaml'}: questions[0].correct: answer index 4 out of range (0-1)"


def test_unknown_profile_symbol_is_named(tmp_path):
    text = (QUIZ_DIR / "style-innovation.yaml").read_text(encoding="utf-8").replace('profile: "¿"}', 'profile: "?"}', 1)

    error = _error(tmp_path, text)

    assert error.field == "questions[0].answers[3].profile"
    assert "'?' is not a profile symbol" in error.problem


def test_a_broken_file_stops_the_loading_of_the_directory(tmp_path):
    (tmp_path / "ok.yaml").write_text(VALID_SCORED, encoding="utf-8")
    (tmp_path / "zz.yaml").write_text(VALID_SCORED.replace("kind: scored", "kind: poll"), encoding="utf-8")

    with pytest.raises(ContentError) as info:
        load_quizzes(tmp_path)

    assert "zz.yaml" in str(info.value) and info.value.field == "kind"
