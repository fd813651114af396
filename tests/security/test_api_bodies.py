"""What a JSON API body may cost: bounded nesting before parsing, and no validation before authentication."""
from __future__ import annotations

import logging
import re

import pytest

from barcamp.common.api import OPERATIONS
from barcamp.common.jsonbounds import json_too_deep
from tests.conftest import error_of

#: a 2 KB body nested 1,000 deep (the issue's payload)
DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def _url(op, event_id: int) -> str:
    """The operation's URL with the forum's id and 1 for any other id (the body is refused first)."""
    path = op.path.replace("<int:event_id>", str(event_id))
    return re.sub(r"<int:\w+>", "1", path)


def _roles(event, participant) -> dict:
    return {"organiser": event["organiser"]["headers"], "participant": participant["headers"]}


@pytest.fixture
def forum(make_event, make_participant):
    event = make_event(phase="proposals")
    return event, make_participant(event, name="Léa")


def _body_operations():
    """Every documented operation that takes a JSON body (the app fixture has declared them)."""
    operations = [op for op in OPERATIONS if op.body is not None]
    # the endpoints of the issue, and every body-taking one declared later
    assert {"/api/v1/join", "/api/v1/events", "/api/v1/auth/token"} <= {op.path for op in operations}
    return operations


@pytest.mark.parametrize("payload", [DEEP, DEEP_OBJECT], ids=["arrays", "objects"])
def test_deeply_nested_body_is_400_invalid_json_on_every_endpoint_without_a_traceback(client, forum, caplog,
                                                                                       payload):
    event, lea = forum
    caplog.set_level(logging.ERROR)
    answers = {}

    for op in _body_operations():
        headers = _roles(event, lea)[op.auth[0]] if op.auth else {}
        response = client.open(_url(op, event["id"]), method=op.method.upper(), data=payload,
                               content_type="application/json", headers=headers)
        code = (response.get_json() or {}).get("error", {}).get("code")
        answers[f"{op.method} {op.path}"] = response.status_code, code

    assert {label: answer for label, answer in answers.items() if answer != (400, "invalid_json")} == {}
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_anonymous_body_is_401_before_any_validation_on_every_endpoint(client, forum):
    event, _ = forum
    answers = {}

    for op in [op for op in _body_operations() if op.auth]:
        url, method = _url(op, event["id"]), op.method.upper()
        deep = client.open(url, method=method, data=DEEP, content_type="application/json")
        invalid = client.open(url, method=method, json={"unexpected": [1, 2, 3]})
        details = "details" in invalid.get_json()["error"]
        answers[f"{op.method} {op.path}"] = (error_of(deep), error_of(invalid), details)

    expected = ((401, "unauthorized"), (401, "unauthorized"), False)
    assert {label: answer for label, answer in answers.items() if answer != expected} == {}


def test_participant_body_to_an_organiser_endpoint_is_403_before_validation(client, forum):
    event, lea = forum

    response = client.post("/api/v1/events", json={"title": 5}, headers=lea["headers"])

    assert error_of(response) == (403, "forbidden")
    assert "details" not in response.get_json()["error"]


def test_nesting_within_the_bound_still_parses(client, forum):
    event, lea = forum
    # 30 levels inside a field: parsed, then refused by the schema with field details (422), not 400
    body = '{"title": ' + "[" * 30 + "]" * 30 + "}"

    response = client.post(f"/api/v1/events/{event['id']}/proposals", data=body,
                           content_type="application/json", headers=lea["headers"])

    assert error_of(response) == (422, "invalid_input")


@pytest.mark.parametrize(("text", "expected"), [
    ("[" * 33 + "]" * 33, True),
    ("[" * 32 + "]" * 32, False),
    ('{"a": "' + "[" * 500 + '"}', False),
    ('{"a": "\\"' + "{" * 500 + '"}', False),
    ('[' * 20 + ']' * 20 + '[' * 20 + ']' * 20, False),
    (b"[" * 40, True),
], ids=["33_deep", "32_deep", "brackets_in_a_string", "escaped_quote_then_brackets", "wide_not_deep", "bytes"])
def test_json_too_deep_counts_nesting_outside_strings(text, expected):
    assert json_too_deep(text, 32) is expected
