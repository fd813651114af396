"""The quiz over HTTP: the JSON API, the no-JavaScript answer form, the organiser's control page."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from barcamp.accounts.identity import Identity, api_auth, event_for, session_participant_token
from barcamp.common.api import api_route
from barcamp.common.errors import DomainError, Forbidden
from barcamp.events.enums import Phase
from barcamp.events.presenters import projector_url
from barcamp.events.services import get_event, get_event_for_organiser
from barcamp.participants.services import participant_from_token
from barcamp.quiz import bp
from barcamp.quiz.actions import answer, control, me, settings
from barcamp.quiz.content import quiz_choices
from barcamp.quiz.enums import QuizMode
from barcamp.quiz.forms import AnswerForm, ControlForm, SettingsForm
from barcamp.quiz.presenters import projector_context
from barcamp.quiz.schemas import AnswerIn, MyQuiz, QuizControlIn, QuizOut, QuizResults, QuizSettingsIn, QuizStateOut
from barcamp.quiz.services import get_run, quiz_document, room_results


# -- API ----------------------------------------------------------------------------------------
@api_route(bp, "/events/<int:event_id>/quiz", "GET", summary="The forum's quiz: questions, answers and state",
           response=QuizOut, auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_quiz(event_id: int, identity: Identity):
    return jsonify(quiz_document(event_for(identity, event_id)))


@api_route(bp, "/events/<int:event_id>/quiz/answers/<int:question_index>", "PUT",
           summary="Answer one question (absolute choice, idempotent); 409 outside the icebreaker or when closed",
           body=AnswerIn, response=MyQuiz, auth=("participant",), errors=(404, 409))
@api_auth("participant")
def api_answer(event_id: int, question_index: int, data: AnswerIn, identity: Identity):
    event = event_for(identity, event_id)
    return jsonify(answer(event.id, identity.participant.id, question_index, data.choice))


@api_route(bp, "/events/<int:event_id>/quiz/me", "GET", summary="One's own answers and profile (or score)",
           response=MyQuiz, auth=("participant",), errors=(404,))
@api_auth("participant")
def api_me(event_id: int, identity: Identity):
    return jsonify(me(event_for(identity, event_id), identity.participant))


@api_route(bp, "/events/<int:event_id>/quiz/results", "GET",
           summary="The room: respondents, counts per question, profile distribution or leaderboard",
           response=QuizResults, auth=("organiser", "participant", "projector"), errors=(404,))
@api_auth("organiser", "participant", "projector")
def api_results(event_id: int, identity: Identity):
    return jsonify(room_results(event_for(identity, event_id)))


@api_route(bp, "/events/<int:event_id>/quiz/settings", "PUT",
           summary="Pick the quiz (until the icebreaker opens), the mode and the optional countdown",
           body=QuizSettingsIn, response=QuizStateOut, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_settings(event_id: int, data: QuizSettingsIn, identity: Identity):
    event = event_for(identity, event_id)
    changes = {k: getattr(data, k) for k in ("quiz", "mode") if getattr(data, k) is not None}
    if "countdown" in data.model_fields_set:
        changes["countdown"] = data.countdown
    return jsonify(settings(event, **changes))


@api_route(bp, "/events/<int:event_id>/quiz/control", "POST",
           summary="Live mode: open the next question, close it, or show the results",
           body=QuizControlIn, response=QuizStateOut, auth=("organiser",), errors=(404, 409))
@api_auth("organiser")
def api_control(event_id: int, data: QuizControlIn, identity: Identity):
    event = event_for(identity, event_id)
    return jsonify(control(event, data.action, data.question))


# -- phone, without JavaScript ---------------------------------------------------------------------
@bp.route("/e/<int:event_id>/quiz/answers/<int:question_index>", methods=["POST"])
def page_answer(event_id: int, question_index: int):
    """The answer buttons without JavaScript: same action, then the next question."""
    event = get_event(event_id)
    participant = participant_from_token(session_participant_token(event.id))
    if participant is None:
        raise Forbidden("not_joined", _("Rejoignez d'abord ce forum avec son code."))
    form = AnswerForm()
    target = url_for("participants.forum", event_id=event.id)
    if not form.validate_on_submit():
        flash(_("Réponse invalide."), "error")
        return redirect(target + f"?q={question_index}")
    try:
        view = answer(event.id, participant.id, question_index, form.choice.data)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(target + f"?q={question_index}")
    run = get_run(event)
    if run is not None and run.mode == QuizMode.SELF_PACED and not view["complete"]:
        return redirect(target)
    return redirect(target + "#quiz-result" if view["complete"] else target)


# -- organiser ----------------------------------------------------------------------------------------
@bp.route("/organiser/events/<int:event_id>/quiz", methods=["GET", "POST"])
@login_required
def organiser_page(event_id: int):
    """Pick the quiz and the mode; in live mode, step through the questions."""
    event = get_event_for_organiser(event_id, current_user.id)
    run = get_run(event)
    form = SettingsForm()
    form.quiz.choices = quiz_choices()
    if request.method == "GET":
        form.quiz.data = event.quiz_slug
        form.mode.data = (run.mode if run else QuizMode.SELF_PACED).value
        form.countdown.data = run.countdown_seconds if run else None
    elif form.validate_on_submit():
        try:
            changes = {"mode": QuizMode(form.mode.data), "countdown": form.countdown.data}
            if event.phase == Phase.DRAFT:
                changes["quiz"] = form.quiz.data
            settings(event, **changes)
            flash(_("Réglages du quiz enregistrés."))
        except DomainError as error:
            flash(str(error.message), "error")
        return redirect(url_for("quiz.organiser_page", event_id=event.id))
    return render_template(
        "quiz/organiser.html",
        event=event,
        form=form,
        control_form=ControlForm(),
        quiz_frozen=event.phase != Phase.DRAFT,
        projector_url=projector_url(event),
        **projector_context(event),
    )


@bp.route("/organiser/events/<int:event_id>/quiz/control", methods=["POST"])
@login_required
def organiser_control(event_id: int):
    event = get_event_for_organiser(event_id, current_user.id)
    form = ControlForm()
    if not form.validate_on_submit():
        flash(_("Action inconnue."), "error")
    else:
        try:
            control(event, form.action.data)
        except DomainError as error:
            flash(str(error.message), "error")
    return redirect(url_for("quiz.organiser_page", event_id=event.id))
