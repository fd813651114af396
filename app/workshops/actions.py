"""What every channel (page, API, socket) calls to change a board: commit, then broadcast."""
from __future__ import annotations

from barcamp import realtime
from barcamp.common.db import write_transaction
from barcamp.workshops import services
from barcamp.workshops.models import Workshop
from barcamp.workshops.services import Caller


def add_card(workshop_id: int, caller: Caller, section, text: str, gain=None, indicator=None,
             client_key: str | None = None) -> dict:
    with write_transaction():
        workshop = services.get_workshop(workshop_id)
        card = services.add_card(workshop, caller, section, text, gain, indicator, client_key)
        out = services.single_card_out(card)
    realtime.board_changed(workshop_id)
    return out


def edit_card(workshop_id: int, caller: Caller, card_id: int, version: int, changes: dict) -> dict:
    with write_transaction():
        workshop = services.get_workshop(workshop_id)
        card = services.edit_card(workshop, caller, card_id, version, changes)
        out = services.single_card_out(card)
    realtime.board_changed(workshop_id)
    return out


def remove_card(workshop_id: int, caller: Caller, card_id: int, version: int | None = None) -> dict:
    with write_transaction():
        workshop = services.get_workshop(workshop_id)
        card = services.remove_card(workshop, caller, card_id, version)
        out = {"id": card.id, "version": card.version, "deleted": True}
    realtime.board_changed(workshop_id)
    return out


def merge_cards(workshop_id: int, caller: Caller, target_id: int, source_ids: list[int],
                target_version: int | None = None) -> dict:
    with write_transaction():
        workshop = services.get_workshop(workshop_id)
        card = services.merge_cards(workshop, caller, target_id, source_ids, target_version)
        out = services.single_card_out(card)
    realtime.board_changed(workshop_id)
    return out


def set_dots(workshop_id: int, participant_id: int, card_id: int, value: int) -> dict:
    """Record dots, commit, then schedule the coalesced board (the totals changed)."""
    with write_transaction():
        value, remaining = services.record_dots(workshop_id, participant_id, card_id, value)
    realtime.board_changed(workshop_id)
    return {"value": value, "remaining": remaining}


def report_card(workshop_id: int, caller: Caller, card_id: int, reason: str = "") -> dict:
    """A participant reports a card of this board (app/moderation): past the forum's threshold it is hidden
    pending review, and the board without it goes to every screen."""
    from barcamp.events.models import Event
    from barcamp.extensions import db
    from barcamp.moderation.services import report_card as record_report
    from barcamp.participants.models import Participant

    with write_transaction():
        workshop = services.get_workshop(workshop_id)
        services.require_reporter(workshop, caller, card_id)
        card, hidden_now = record_report(db.session.get(Event, workshop.event_id),
                                         db.session.get(Participant, caller.participant_id), card_id, reason)
        out = {"card_id": card.id, "status": card.status}
    if hidden_now:
        realtime.board_changed(workshop_id)
    return out


def join(workshop_id: int, participant_id: int) -> None:
    with write_transaction():
        services.join_workshop(services.get_workshop(workshop_id), participant_id)
    realtime.board_changed(workshop_id)


def rename_workshop(workshop_id: int, title: str | None, description: str | None = None) -> dict:
    """Rename a workshop (the caller checked it is the forum's organiser); open boards show the new title."""
    with write_transaction():
        workshop = services.rename_workshop(services.get_workshop(workshop_id), title, description)
        out = services.workshops_out([workshop])[0]
    realtime.board_changed(workshop_id)
    return out


def delete_workshop(workshop_id: int) -> None:
    """Delete a workshop (soft); its open boards get a last board message saying so."""
    with write_transaction():
        services.delete_workshop(services.get_workshop(workshop_id))
    realtime.board_changed(workshop_id)


def board_for(workshop: Workshop, caller: Caller) -> dict:
    """The full board for one caller, stamped with the version it is current at (read first)."""
    version = realtime.board_version(workshop.id)
    state = services.board_state(workshop)
    state["version"] = version
    state["me"] = services.board_me(workshop, caller.kind, caller.organiser_id, caller.participant_id)
    return state
