"""The quiz domain: runs, idempotent answers, profiles, scores and the room's distribution.

Services flush; the caller commits once (`write_transaction`) and then broadcasts through
`barcamp.realtime`. Nothing here touches the request or Socket.IO.
"""
from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from barcamp.common.db import utcnow
from barcamp.common.errors import Conflict, InvalidInput, NotFound
from barcamp.events.enums import Phase
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.participants.services import display_name
from barcamp.quiz.content import Quiz, get_quiz, load_quizzes
from barcamp.quiz.enums import LiveStatus, QuizKind, QuizMode
from barcamp.quiz.models import QuizAnswer, QuizRun

log = logging.getLogger(__name__)

#: seconds of grace after a countdown ends (a tap on the last second still counts)
COUNTDOWN_GRACE = 1.0
#: leaderboard length (scored quizzes)
LEADERBOARD_SIZE = 10


# -- content and runs -----------------------------------------------------------------------------
def check_quiz_slug(slug: str) -> str:
    """Return the slug if a quiz file defines it, else refuse with the list of known quizzes."""
    if slug not in load_quizzes():
        raise InvalidInput("unknown_quiz", _("Quiz inconnu : « %(slug)s ». Quiz disponibles : %(known)s.",
                                             slug=slug[:60], known=", ".join(sorted(load_quizzes()))))
    return slug


def quiz_of(event: Event) -> Quiz:
    quiz = get_quiz(event.quiz_slug)
    if quiz is None:
        raise NotFound("unknown_quiz", _("Le quiz « %(slug)s » de ce forum est introuvable.", slug=event.quiz_slug))
    return quiz


def get_run(event: Event) -> QuizRun | None:
    return db.session.scalar(select(QuizRun).where(QuizRun.event_id == event.id))


def ensure_run(event: Event) -> QuizRun:
    run = get_run(event)
    if run is None:
        run = QuizRun(event_id=event.id, mode=QuizMode.SELF_PACED, status=LiveStatus.WAITING)
        db.session.add(run)
        db.session.flush()
    return run


def open_icebreaker(event: Event) -> QuizRun:
    """Side effect of entering the icebreaker phase: freeze the quiz choice, start at no question."""
    quiz_of(event)  # refuse to open a phase whose quiz file vanished
    run = ensure_run(event)
    run.started_at = run.started_at or utcnow()
    run.status = LiveStatus.WAITING
    run.current_question = None
    run.question_opened_at = None
    db.session.flush()
    return run


def close_icebreaker(event: Event) -> None:
    """Side effect of leaving the icebreaker phase: store the room's distribution for the restitution."""
    run = get_run(event)
    if run is not None:
        store_distribution(event, run)


def store_distribution(event: Event, run: QuizRun) -> dict:
    results = room_results(event, final=True)
    run.distribution = results
    run.distribution_at = utcnow()
    db.session.flush()
    return results


def configure(event: Event, *, quiz: str | None = None, mode: QuizMode | None = None,
              countdown: int | None | bool = False) -> QuizRun:
    """Organiser settings: the quiz (until the icebreaker opens), the mode (until the first answer),
    the optional countdown (`countdown=None` switches it off; False leaves it unchanged)."""
    run = ensure_run(event)
    if quiz is not None and quiz != event.quiz_slug:
        if event.phase != Phase.DRAFT or run.started_at is not None:
            log.warning("refused: quiz change on forum %s after the icebreaker opened (%s -> %s)", event.id,
                        event.quiz_slug, quiz[:60])
            raise Conflict("quiz_frozen", _("Le quiz ne peut plus être changé : le brise-glace a commencé."))
        event.quiz_slug = check_quiz_slug(quiz)
    if mode is not None and mode != run.mode:
        if _answer_count(event.id) > 0:
            log.warning("refused: quiz mode change on forum %s after the first answer", event.id)
            raise Conflict("mode_frozen", _("Le mode ne peut plus être changé : des réponses ont été données."))
        run.mode = mode
        run.status, run.current_question, run.question_opened_at = LiveStatus.WAITING, None, None
    if countdown is not False:
        if countdown is not None and not 5 <= countdown <= 600:
            raise InvalidInput("invalid_countdown", _("Le compte à rebours va de 5 à 600 secondes."))
        run.countdown_seconds = countdown
    db.session.flush()
    return run


def _answer_count(event_id: int) -> int:
    return db.session.scalar(select(func.count(QuizAnswer.id)).where(QuizAnswer.event_id == event_id)) or 0


# -- live stepping ----------------------------------------------------------------------------------
def step(event: Event, action: str, question: int | None = None) -> QuizRun:
    """Organiser's live control: `open` (the next question, or `question`), `close`, `results`.

    `results` also works in self-paced mode: answers stop and every screen shows the room's result.
    """
    from barcamp.events.services import require_phase

    db.session.refresh(event)
    require_phase(event, Phase.ICEBREAKER)
    quiz = quiz_of(event)
    run = ensure_run(event)
    if action == "results":
        run.status = LiveStatus.RESULTS
        store_distribution(event, run)
        return run
    if run.mode != QuizMode.LIVE:
        raise Conflict("not_live", _("Le quiz est en mode « chacun à son rythme » : rien à piloter."))
    if action == "open":
        if question is None:
            question = 0 if run.current_question is None else run.current_question + 1
        if not 0 <= question < len(quiz.questions):
            raise Conflict("no_more_questions", _("Il n'y a plus de question : affichez les résultats."))
        run.current_question, run.status, run.question_opened_at = question, LiveStatus.OPEN, utcnow()
    elif action == "close":
        if run.status != LiveStatus.OPEN:
            raise Conflict("question_closed", _("Aucune question n'est ouverte."))
        run.status = LiveStatus.CLOSED
    else:
        raise InvalidInput("invalid_action", _("Action inconnue : %(action)s.", action=action[:20]))
    db.session.flush()
    return run


def deadline(run: QuizRun):
    if run.mode != QuizMode.LIVE or run.countdown_seconds is None or run.question_opened_at is None:
        return None
    return _aware(run.question_opened_at) + timedelta(seconds=run.countdown_seconds)


def _aware(moment):
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def accepting(event: Event, run: QuizRun | None, question: int | None = None) -> bool:
    """Whether an answer to `question` (any question if None) is accepted now."""
    if event.phase != Phase.ICEBREAKER or run is None or run.status == LiveStatus.RESULTS:
        return False
    if run.mode == QuizMode.SELF_PACED:
        return True
    if run.status != LiveStatus.OPEN or (question is not None and question != run.current_question):
        return False
    end = deadline(run)
    return end is None or utcnow() <= end + timedelta(seconds=COUNTDOWN_GRACE)


# -- answers ------------------------------------------------------------------------------------------
def profile_of(quiz: Quiz, answers: dict[int, int]) -> dict | None:
    """The majority profile of a set of answers; a tie lists every tied profile (mixed profile).

    None when there is no answer yet. Symbols follow the quiz file's order, never an arbitrary pick.
    """
    counts = Counter(
        quiz.questions[q].answers[c].profile for q, c in answers.items()
        if q < len(quiz.questions) and c < len(quiz.questions[q].answers)
    )
    if not counts:
        return None
    top = max(counts.values())
    symbols = [s for s in quiz.symbols if counts.get(s, 0) == top]
    return {
        "symbols": symbols,
        "mixed": len(symbols) > 1,
        "counts": {s: counts.get(s, 0) for s in quiz.symbols},
        "profiles": [quiz.profile(s).model_dump(exclude={"en"}) for s in symbols],
    }


def _answer_score(quiz: Quiz, question: int, choice: int, response_ms: int | None) -> int:
    q = quiz.questions[question]
    if q.correct is None or choice != q.correct:
        return 0
    bonus = 0
    if quiz.speed_bonus is not None and response_ms is not None:
        left = max(0.0, 1 - response_ms / 1000 / quiz.speed_bonus.window_seconds)
        bonus = round(quiz.speed_bonus.max_points * left)
    return q.points + bonus


def score_of(quiz: Quiz, rows) -> int:
    return sum(_answer_score(quiz, q, c, ms) for q, c, ms in rows if q < len(quiz.questions))


def scored_questions(quiz: Quiz, event, run, answered, *, final: bool = False) -> set[int] | None:
    """The answered questions whose points may be shown: those whose answer can no longer change.

    A score that followed every change of answer would find the right answers by trial and error.
    So, while answers are accepted: self-paced, nothing (None: no score at all) until every
    question is answered — the answers are then final (answers.answers_final); live, every question
    but the open one, which counts once closed. Once answers stop (results shown, countdown over,
    phase left) or for the stored distribution (`final`), every answer counts.
    """
    answered = {q for q in answered if q < len(quiz.questions)}
    if final or not accepting(event, run):
        return answered
    if run.mode == QuizMode.SELF_PACED:
        return answered if len(answered) == len(quiz.questions) else None
    return answered - {run.current_question}


def participant_view(event: Event, participant: Participant, quiz: Quiz | None = None) -> dict:
    """What one phone shows: its answers and, depending on the quiz kind, its profile or score."""
    quiz = quiz or quiz_of(event)
    rows = db.session.execute(
        select(QuizAnswer.question, QuizAnswer.choice, QuizAnswer.response_ms)
        .where(QuizAnswer.participant_id == participant.id)
    ).all()
    shown = scored_questions(quiz, event, get_run(event), (q for q, _c, _ms in rows))
    return participant_view_of(participant.id, quiz, rows, shown)


def participant_view_of(participant_id: int, quiz: Quiz, rows, shown: set[int] | None = None) -> dict:
    """The phone's view from its answer rows (question, choice, response_ms).

    Scored quizzes: `score` counts the questions of `shown` (scored_questions), None when hidden.
    """
    answers = {q: c for q, c, _ms in rows}
    view = {
        "participant_id": participant_id,
        "answers": {str(q): c for q, c in sorted(answers.items())},
        "complete": len(answers) == len(quiz.questions),
    }
    if quiz.kind == QuizKind.PROFILE:
        view["profile"] = profile_of(quiz, answers)
    else:
        view["score"] = None if shown is None else score_of(quiz, [r for r in rows if r[0] in shown])
    return view


# -- the room -------------------------------------------------------------------------------------------
def question_counts(event_id: int, quiz: Quiz, question: int) -> list[int]:
    counts = [0] * len(quiz.questions[question].answers)
    rows = db.session.execute(
        select(QuizAnswer.choice, func.count()).where(QuizAnswer.event_id == event_id, QuizAnswer.question == question)
        .group_by(QuizAnswer.choice)
    ).all()
    for choice, n in rows:
        if 0 <= choice < len(counts):
            counts[choice] = n
    return counts


def room_results(event: Event, quiz: Quiz | None = None, *, final: bool = False) -> dict:
    """The room: respondents, per-question counts, and the profile distribution or the leaderboard.

    Profile quizzes: `profiles` counts the participants whose majority is one profile; `mixed`
    counts the tied ones (they appear in `mixed_profiles` under every tied symbol). Scored
    quizzes: the leaderboard counts what scored_questions shows each phone (`final`: everything).
    """
    quiz = quiz or quiz_of(event)
    rows = db.session.execute(
        select(QuizAnswer.participant_id, QuizAnswer.question, QuizAnswer.choice, QuizAnswer.response_ms)
        .where(QuizAnswer.event_id == event.id)
    ).all()
    per_participant: dict[int, list] = defaultdict(list)
    counts = [[0] * len(q.answers) for q in quiz.questions]
    for pid, q, c, ms in rows:
        if q < len(quiz.questions) and c < len(counts[q]):
            per_participant[pid].append((q, c, ms))
            counts[q][c] += 1
    results: dict = {
        "quiz": quiz.slug,
        "kind": quiz.kind.value,
        "respondents": len(per_participant),
        "questions": [{"index": i, "counts": c} for i, c in enumerate(counts)],
    }
    if quiz.kind == QuizKind.PROFILE:
        profiles = dict.fromkeys(quiz.symbols, 0)
        mixed_profiles = dict.fromkeys(quiz.symbols, 0)
        mixed = 0
        for answers in per_participant.values():
            profile = profile_of(quiz, {q: c for q, c, _ms in answers})
            if profile["mixed"]:
                mixed += 1
                for symbol in profile["symbols"]:
                    mixed_profiles[symbol] += 1
            else:
                profiles[profile["symbols"][0]] += 1
        results.update(profiles=profiles, mixed=mixed, mixed_profiles=mixed_profiles)
    else:
        run = get_run(event)
        shown = {pid: scored_questions(quiz, event, run, (q for q, _c, _ms in rows), final=final)
                 for pid, rows in per_participant.items()}
        results["leaderboard"] = _leaderboard(quiz, {
            pid: [r for r in rows if r[0] in shown[pid]] for pid, rows in per_participant.items()
            if shown[pid] is not None})
    return results


def _leaderboard(quiz: Quiz, per_participant: dict[int, list]) -> list[dict]:
    """The top scores of the rows given (the caller keeps only what may be shown)."""
    scores = sorted(((score_of(quiz, rows), pid) for pid, rows in per_participant.items()),
                    key=lambda item: (-item[0], item[1]))[:LEADERBOARD_SIZE]
    people = {p.id: p for p in db.session.scalars(select(Participant).where(Participant.id.in_([p for _s, p in scores])))}
    board, previous, rank = [], None, 0
    for position, (score, pid) in enumerate(scores, start=1):
        if score != previous:
            rank, previous = position, score
        board.append({"rank": rank, "participant_id": pid, "name": display_name(people.get(pid)), "score": score})
    return board


def live_counts(event: Event) -> dict | None:
    """The coalesced `quiz` message body: answers to the current question (live) or the room (self-paced)."""
    run = get_run(event)
    if run is None or event.phase != Phase.ICEBREAKER:
        return None
    quiz = quiz_of(event)
    if run.mode == QuizMode.LIVE:
        if run.current_question is None:
            return None
        counts = question_counts(event.id, quiz, run.current_question)
        return {"kind": "counts", "question": run.current_question, "counts": counts, "answered": sum(counts)}
    results = room_results(event, quiz)
    return {"kind": "room", "results": results}


# -- what screens see ---------------------------------------------------------------------------------------
def quiz_state(event: Event, run: QuizRun | None = None, quiz: Quiz | None = None) -> dict:
    """The quiz's public state: mode, live status, current question, countdown, revealed counts."""
    quiz = quiz or quiz_of(event)
    run = run if run is not None else get_run(event)
    mode = run.mode if run else QuizMode.SELF_PACED
    status = run.status if run else LiveStatus.WAITING
    current = run.current_question if run else None
    end = deadline(run) if run else None
    state = {
        "slug": quiz.slug,
        "kind": quiz.kind.value,
        "mode": mode.value,
        "status": status.value,
        "question": current,
        "question_count": len(quiz.questions),
        "countdown": run.countdown_seconds if run else None,
        "opened_at": _aware(run.question_opened_at).isoformat() if run and run.question_opened_at else None,
        "deadline": end.isoformat() if end else None,
        "accepting": accepting(event, run),
        "started": bool(run and run.started_at),
    }
    if mode == QuizMode.LIVE and current is not None:
        if status != LiveStatus.OPEN:
            state["counts"] = question_counts(event.id, quiz, current)
            if quiz.questions[current].correct is not None:
                state["correct"] = quiz.questions[current].correct
        else:
            counts = question_counts(event.id, quiz, current)
            state["answered"] = sum(counts)
    if status == LiveStatus.RESULTS:
        state["results"] = run.distribution or room_results(event, quiz)
    return state


def quiz_document(event: Event) -> dict:
    """GET /quiz: the quiz (questions, answers) with its state."""
    quiz = quiz_of(event)
    return {**quiz.public(), "state": quiz_state(event, quiz=quiz)}


def live_state_for(event: Event, participant: Participant | None) -> dict | None:
    """The `quiz` key of a screen's full state (join/sync): quiz, state and the phone's own answers."""
    run = get_run(event)
    if run is None and event.phase != Phase.ICEBREAKER:
        return None
    quiz = quiz_of(event)
    out = {**quiz.public(), "state": quiz_state(event, run, quiz)}
    if participant is not None:
        out["me"] = participant_view(event, participant, quiz)
    return out
