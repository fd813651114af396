"""Join codes and the phase state machine."""
from __future__ import annotations

import pytest

from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError
from barcamp.events.enums import Phase
from barcamp.events.models import Event
from barcamp.events.services import (
    JOIN_CODE_ALPHABET,
    find_event_by_code,
    generate_join_code,
    normalise_join_code,
    transition_phase,
)
from barcamp.extensions import db


def test_join_code_alphabet_has_no_look_alikes():
    assert set(JOIN_CODE_ALPHABET) & set("0O1IL") == set()


def test_generate_join_code_is_six_unambiguous_characters(ctx):
    codes = {generate_join_code() for _ in range(200)}

    assert all(len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET) for code in codes)
    assert len(codes) == 200


@pytest.mark.parametrize(("raw", "expected"), [("abc-234", "ABC234"), (" ab c2 34 ", "ABC234")],
                         ids=["dash", "spaces"])
def test_normalise_join_code_uppercases_and_drops_separators(raw, expected):
    assert normalise_join_code(raw) == expected


def test_find_event_by_code_ignores_case(ctx, make_event):
    event = make_event()

    assert find_event_by_code(event["join_code"].lower()).id == event["id"]


LEGAL = [("draft", "proposals"), ("proposals", "voting"), ("voting", "closed")]
ILLEGAL = [("draft", "voting"), ("draft", "closed"), ("proposals", "draft"), ("proposals", "closed"),
           ("voting", "proposals"), ("closed", "voting"), ("closed", "draft")]


@pytest.mark.parametrize(("start", "target"), LEGAL, ids=[f"{a}_to_{b}" for a, b in LEGAL])
def test_transition_phase_follows_the_state_machine(ctx, make_event, start, target):
    event_id = make_event(phase=start)["id"]

    with write_transaction():
        transition_phase(db.session.get(Event, event_id), Phase(target))

    assert db.session.get(Event, event_id).phase == Phase(target)


@pytest.mark.parametrize(("start", "target"), ILLEGAL, ids=[f"{a}_to_{b}" for a, b in ILLEGAL])
def test_transition_phase_refuses_illegal_moves(ctx, make_event, start, target):
    event_id = make_event(phase=start)["id"]

    with pytest.raises(DomainError) as refused, write_transaction():
        transition_phase(db.session.get(Event, event_id), Phase(target))

    assert refused.value.code == "illegal_transition"
    db.session.expire_all()
    assert db.session.get(Event, event_id).phase == Phase(start)


def test_opening_the_vote_freezes_the_rules(ctx, make_event):
    event_id = make_event(phase="proposals")["id"]
    assert db.session.get(Event, event_id).voting_opened_at is None

    with write_transaction():
        transition_phase(db.session.get(Event, event_id), Phase.VOTING)

    assert db.session.get(Event, event_id).voting_opened_at is not None
