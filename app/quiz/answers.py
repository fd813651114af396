"""Record many quiz answers in one transaction: the write path of a live question under load.

When the organiser opens a question, the whole room answers within seconds. `record_answers`
checks and writes a batch of answers with a handful of Core statements and returns each phone's
view; `combiner` (app/common/batching.py) forms the batches from concurrent callers and answers
each one after the commit.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from barcamp.common.batching import GroupCommit
from barcamp.common.db import utcnow
from barcamp.common.errors import Conflict, DomainError, InvalidInput, NotFound
from barcamp.events.enums import Phase
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.services import lock_forums_of
from barcamp.quiz.content import get_quiz
from barcamp.quiz.enums import LiveStatus, QuizKind, QuizMode
from barcamp.quiz.models import QuizAnswer, QuizRun

_answers = QuizAnswer.__table__
_insert_answer = _answers.insert()
_update_answer = (
    _answers.update().where(_answers.c.id == bindparam("a_id"))
    .values(choice=bindparam("a_choice"), response_ms=bindparam("a_ms"), answered_at=bindparam("a_at"))
)


@dataclass(frozen=True, slots=True)
class AnswerRequest:
    """One participant's choice on one question of a forum's quiz."""

    event_id: int
    participant_id: int
    question: int
    choice: int


def record_answers(requests: list[AnswerRequest]) -> list[dict | DomainError]:
    """Check and write a batch of answers, in order; return each phone's view or its refusal.

    Run inside write_transaction(). An answer is absolute: a second one to the same question
    replaces the first (the unique constraint (participant, question) forbids a second row). On
    PostgreSQL the participants' rows are locked first, in id order.
    """
    from barcamp.quiz.services import (  # services import this module
        accepting,
        participant_view_of,
        scored_questions,
    )

    if not requests:
        return []
    connection = db.session.connection()  # Core statements: no ORM layer on the hot path
    participant_ids = sorted({r.participant_id for r in requests})
    owners = lock_forums_of(participant_ids)
    event_ids = {r.event_id for r in requests}
    events = {row.id: row for row in connection.execute(
        select(Event.id, Event.phase, Event.quiz_slug).where(Event.id.in_(event_ids)))}
    runs = {row.event_id: row for row in connection.execute(
        select(QuizRun.event_id, QuizRun.mode, QuizRun.status, QuizRun.current_question,
               QuizRun.question_opened_at, QuizRun.countdown_seconds).where(QuizRun.event_id.in_(event_ids)))}
    # every participant's answers: {participant: {question: [answer id or None, choice, response_ms]}}
    answers: dict[int, dict[int, list]] = defaultdict(dict)
    for row in connection.execute(
        select(QuizAnswer.id, QuizAnswer.participant_id, QuizAnswer.question, QuizAnswer.choice,
               QuizAnswer.response_ms).where(QuizAnswer.participant_id.in_(participant_ids))
    ):
        answers[row.participant_id][row.question] = [row.id, row.choice, row.response_ms]
    stored = {(p, q): tuple(entry) for p, mine in answers.items() for q, entry in mine.items()}

    now = utcnow()
    outcomes: list[dict | DomainError] = []
    touched: dict[tuple[int, int], int] = {}  # (participant, question) -> event
    for request in requests:
        try:
            quiz = _apply(request, owners, events, runs, answers[request.participant_id], accepting, now)
            touched[(request.participant_id, request.question)] = request.event_id
            rows = [(q, entry[1], entry[2]) for q, entry in answers[request.participant_id].items()]
            shown = scored_questions(quiz, events[request.event_id], runs.get(request.event_id),
                                     answers[request.participant_id])
            outcomes.append(participant_view_of(request.participant_id, quiz, rows, shown))
        except DomainError as refusal:
            outcomes.append(refusal)
    _write_changes(connection, touched, stored, answers, now)
    return outcomes


def _apply(request: AnswerRequest, owners, events, runs, mine: dict[int, list], accepting, now):
    """Check one answer against the phase, the quiz and the live question; apply it to `mine`."""
    if owners.get(request.participant_id) != request.event_id:
        raise Conflict("not_a_participant", _l("Vous ne participez pas à ce forum."))
    event = events[request.event_id]
    if event.phase != Phase.ICEBREAKER:
        raise Conflict("wrong_phase", _l("Action impossible pendant la phase « %(phase)s ».",
                                         phase=Phase(event.phase).label))
    quiz = get_quiz(event.quiz_slug)
    if quiz is None:
        raise NotFound("unknown_quiz", _l("Le quiz « %(slug)s » de ce forum est introuvable.", slug=event.quiz_slug))
    if not 0 <= request.question < len(quiz.questions):
        raise NotFound("unknown_question", _l("Question inconnue : %(n)s.", n=request.question))
    if not 0 <= request.choice < len(quiz.questions[request.question].answers):
        raise InvalidInput("invalid_choice", _l("Réponse inconnue : %(n)s.", n=request.choice))
    run = runs.get(request.event_id)
    if not accepting(event, run, request.question):
        if run is not None and run.status == LiveStatus.RESULTS:
            raise Conflict("quiz_finished", _l("Le quiz est terminé : les réponses sont closes."))
        raise Conflict("question_closed", _l("Cette question n'est pas ouverte aux réponses."))
    response_ms = None
    if run.mode == QuizMode.LIVE and run.question_opened_at is not None:
        opened = run.question_opened_at
        if opened.tzinfo is None:
            opened = opened.replace(tzinfo=now.tzinfo)
        response_ms = max(0, int((now - opened).total_seconds() * 1000))
    current = mine.get(request.question)
    if answers_final(quiz, run, mine) and current[1] != request.choice:
        raise Conflict("quiz_answers_final",
                       _l("Vous avez répondu à toutes les questions : vos réponses sont définitives."))
    if current is None:
        mine[request.question] = [None, request.choice, response_ms]
    elif current[1] != request.choice:
        current[1], current[2] = request.choice, response_ms
    return quiz


def answers_final(quiz, run, mine: dict[int, list]) -> bool:
    """Self-paced scored quiz: a phone that answered every question has seen its score, so its answers stay."""
    return quiz.kind == QuizKind.SCORED and run.mode == QuizMode.SELF_PACED and len(mine) == len(quiz.questions)


def _write_changes(connection, touched, stored, answers, now) -> None:
    """Write the difference between the stored answers and the in-memory ones, one statement per kind."""
    inserts, updates = [], []
    for (participant_id, question), event_id in touched.items():
        before = stored.get((participant_id, question))
        after = answers[participant_id][question]
        if before is None:
            inserts.append({"event_id": event_id, "participant_id": participant_id, "question": question,
                            "choice": after[1], "response_ms": after[2], "answered_at": now})
        elif before[1] != after[1]:
            updates.append({"a_id": before[0], "a_choice": after[1], "a_ms": after[2], "a_at": now})
    if updates:
        connection.execute(_update_answer, updates)
    if inserts:
        connection.execute(_insert_answer, inserts)


#: the group commit of this process's quiz answers
combiner = GroupCommit(record_answers)
