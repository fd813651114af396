"""Hypothesis-generated malformed payloads on every /live event: an error in the ack, never a crash."""
from __future__ import annotations

import logging

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barcamp.extensions import socketio
from barcamp.realtime import NAMESPACE as NS

RESERVED = {"connect", "disconnect", "*"}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=50),
    st.sampled_from([0, -1, 2**31, 2**63, 10**30, "", "1", "join", "<script>alert(1)</script>", "\x00", "é" * 40]),
)
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                               st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                           max_leaves=20)
known_keys = st.fixed_dictionaries({}, optional={k: json_values for k in (
    "event_id", "proposal_id", "value", "question", "choice", "workshop_id", "card_id", "text", "title", "id")})


def _deep(depth: int):
    value: object = 1
    for i in range(depth):
        value = [value] if i % 2 else {"event_id": value}
    return value


payloads = st.one_of(json_values, known_keys, st.integers(min_value=50, max_value=400).map(_deep))


def _check(ack, name, payload):
    assert isinstance(ack, dict) and ack.get("ok") in (True, False), (name, payload, ack)
    if ack["ok"] is False:
        assert ack["error"]["code"] != "internal_error", (name, payload, ack)
        assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]


def test_malformed_payloads_on_every_live_event_are_answered_with_an_error(app, socket_client, make_event,
                                                                           make_participant, make_proposal,
                                                                           caplog):
    # no throttling here: the fuzzer sends far more than a person would
    app.config.update(SOCKET_EVENT_RATE=1e6, SOCKET_EVENT_BURST=10**6)
    event = make_event(phase="voting")
    make_proposal(event)
    clients = {"participant": socket_client(make_participant(event)["token"]),
               "organiser": socket_client(event["organiser"]["token"]),
               "projector": socket_client("v_" + event["projector_token"])}
    events = sorted(set(socketio.server.handlers[NS]) - RESERVED) + ["", "no_such_event", "x" * 300]
    caplog.set_level(logging.ERROR)

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(name=st.sampled_from(events), role=st.sampled_from(sorted(clients)), payload=payloads,
           extra=st.lists(json_values, max_size=2), empty=st.booleans())
    def run(name, role, payload, extra, empty):
        sc = clients[role]
        args = () if empty else (payload, *extra)
        ack = sc.emit(name, *args, namespace=NS, callback=True)
        _check(ack, name, args)
        assert sc.is_connected(NS), (name, args)

    run()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
