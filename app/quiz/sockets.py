"""The `quiz_answer` event: acknowledged only once the answer is committed."""
from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.identity import event_for
from app.common.api import validate
from app.common.errors import Forbidden
from app.extensions import socketio
from app.live.guard import socket_action, socket_identity
from app.quiz.actions import answer
from app.quiz.schemas import SocketAnswerIn
from app.realtime import NAMESPACE


@socketio.on("quiz_answer", namespace=NAMESPACE)
@socket_action
def on_quiz_answer(payload=None):
    data = validate(SocketAnswerIn, payload)
    identity = socket_identity()
    if identity.kind != "participant" or identity.participant is None:
        raise Forbidden("participants_only", _("Seuls les participants répondent au quiz."))
    event = event_for(identity, identity.event_id)
    view = answer(event, identity.participant, data.question, data.choice)
    return {"ok": True, "question": data.question, "choice": data.choice, "me": view}
