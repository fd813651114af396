"""What every channel (page, API, socket) calls: the service, one commit, then the broadcast."""
from __future__ import annotations

from barcamp import realtime
from barcamp.common.db import write_transaction
from barcamp.quiz.answers import AnswerRequest, combiner
from barcamp.quiz.services import configure, participant_view, quiz_state, step


def answer(event_id: int, participant_id: int, question: int, choice: int) -> dict:
    """Record an answer, committed (possibly with other concurrent answers), then schedule the counts.

    Return the phone's view. Concurrent answers share transactions (app/quiz/answers.py): each
    caller returns only once the transaction holding its answer has committed.
    """
    view = combiner.submit(AnswerRequest(event_id, participant_id, question, choice))
    realtime.quiz_answered(event_id)
    return view


def control(event, action: str, question: int | None = None) -> dict:
    """Open or close a live question, or show the results; every screen hears it at once."""
    with write_transaction():
        step(event, action, question)
    state = quiz_state(event)
    realtime.quiz_changed(event.id, state)
    return state


def settings(event, **changes) -> dict:
    with write_transaction():
        configure(event, **changes)
    state = quiz_state(event)
    realtime.quiz_changed(event.id, state)
    return state


def me(event, participant) -> dict:
    return participant_view(event, participant)
