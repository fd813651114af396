"""Template contexts of the quiz pages (phone, projector, organiser)."""
from __future__ import annotations

from barcamp.quiz.enums import QuizMode
from barcamp.quiz.services import get_run, participant_view, quiz_of, quiz_state, room_results


def phone_context(event, participant, requested: int | None = None) -> dict:
    """The phone page: which question to show (self-paced: the first unanswered, or `requested`)."""
    quiz = quiz_of(event)
    run = get_run(event)
    state = quiz_state(event, run, quiz)
    me = participant_view(event, participant, quiz)
    answers = {int(q): c for q, c in me["answers"].items()}
    show = None
    if state["mode"] == QuizMode.LIVE.value:
        show = state["question"]
    elif state["status"] != "results":
        if requested is not None and 0 <= requested < len(quiz.questions):
            show = requested
        else:
            show = next((i for i in range(len(quiz.questions)) if i not in answers), None)
    return {
        "quiz": quiz,
        "quiz_public": quiz.public(),
        "quiz_state": state,
        "me": me,
        "answers": answers,
        "show_question": show,
        "room": state.get("results") or (room_results(event, quiz) if show is None else None),
    }


def projector_context(event) -> dict:
    quiz = quiz_of(event)
    run = get_run(event)
    state = quiz_state(event, run, quiz)
    return {"quiz": quiz, "quiz_public": quiz.public(), "quiz_state": state, "room": room_results(event, quiz)}
