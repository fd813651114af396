"""The full state a screen needs, sent on join and on resync."""
from __future__ import annotations

from app.accounts.identity import Identity
from app.events.models import Event
from app.events.presenters import event_out
from app.proposals.services import proposal_out, visible_proposals
from app.realtime import current_stream_versions, current_version
from app.voting.services import compute_results, my_votes


def event_state(event: Event, identity: Identity) -> dict:
    """Snapshot of a forum for one screen, stamped with the version it is current at.

    The version is read *before* the database, so any change committed after the read carries
    a higher version and reaches the client as a message after this snapshot.
    """
    version = current_version(event.id)
    streams = current_stream_versions(event.id)
    state = {
        "version": version,
        "streams": streams,
        "event": event_out(event),
        "proposals": [proposal_out(p) for p in visible_proposals(event.id)],
        "tally": compute_results(event),
        "me": {"kind": identity.kind},
    }
    if identity.kind == "participant" and identity.participant is not None:
        votes, remaining = my_votes(event, identity.participant)
        state["me"].update(
            participant_id=identity.participant.id,
            votes={str(k): v for k, v in votes.items()},
            remaining=remaining,
        )
    from app.quiz.services import live_state_for  # the quiz area sits above live

    quiz = live_state_for(event, identity.participant if identity.kind == "participant" else None)
    if quiz is not None:
        state["quiz"] = quiz
    from app.schedule.services import public_grid  # the schedule area sits above live

    schedule = public_grid(event)
    if schedule["published"]:
        state["schedule"] = schedule
    return state
