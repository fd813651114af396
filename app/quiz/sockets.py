"""The `quiz_answer` event: acknowledged only once the answer is committed."""
from __future__ import annotations

from flask_babel import gettext as _

from barcamp.common.api import validate
from barcamp.common.errors import Forbidden
from barcamp.extensions import socketio
from barcamp.live.guard import socket_action, stored_identity
from barcamp.quiz.actions import answer
from barcamp.quiz.schemas import SocketAnswerIn
from barcamp.realtime import NAMESPACE


@socketio.on("quiz_answer", namespace=NAMESPACE)
@socket_action
def on_quiz_answer(payload=None):
    """Answer with the ids stored on connect: no ORM load on the path the whole room takes at once."""
    data = validate(SocketAnswerIn, payload)
    caller = stored_identity()
    if caller["kind"] != "participant":
        raise Forbidden("participants_only", _("Seuls les participants répondent au quiz."))
    view = answer(caller["event_id"], caller["participant_id"], data.question, data.choice)
    return {"ok": True, "question": data.question, "choice": data.choice, "me": view}
