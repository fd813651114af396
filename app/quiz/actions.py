"""What every channel (page, API, socket) calls: the service, one commit, then the broadcast."""
from __future__ import annotations

from app import realtime
from app.common.db import write_transaction
from app.quiz.services import configure, participant_view, quiz_state, step, submit_answer


def answer(event, participant, question: int, choice: int) -> dict:
    """Record an answer, commit it, then schedule the coalesced counts; return the phone's view."""
    with write_transaction():
        view = submit_answer(event, participant, question, choice)
    realtime.quiz_answered(event.id)
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
