"""Schemathesis against /api/v1/openapi.json, in process, with every check it has (`--checks all`).

One test walks every operation of the document (so endpoints added later are fuzzed too), with a
bounded number of generated requests each, valid ones and invalid ones, as the forum's organiser
and as one of its participants. Every response must be no server error, have a documented status,
content type and headers, match its schema (response conformance), and an invalid request must be
refused. About a minute on the 2-core CI machine.

One setting differs from the defaults: a schema-valid request may be refused with 422 when a rule
no schema can state refuses it (a theme id that names no theme of the forum, a slot ending before it
starts, a threshold out of range) — with that rule's own code. A refusal by the schema validation
itself (invalid_input, invalid_json, invalid_query) of a request the document calls valid is a
failure (`schema_valid_request_passes_validation` below): the document and the validation agree.
"""
from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from barcamp.extensions import db

#: generated requests per operation, per mode (valid, invalid) and per role
EXAMPLES = 8
#: the codes of the API's own schema validation (app/common/api.py)
SCHEMA_CODES = {"invalid_input", "invalid_json", "invalid_query"}
#: positive_data_acceptance's default statuses, and 422 for the rules a schema cannot state
ACCEPTED_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]


@schemathesis.check
def schema_valid_request_passes_validation(ctx, response, case):
    """A request the document calls valid is never refused by the API's schema validation."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code not in (400, 422):
        return None
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return None
    # parse_body/parse_query's refusals: invalid_json, or field details (a service's own refusal has none)
    code, details = error.get("code"), error.get("details") or {}
    if code == "invalid_json" or (code in SCHEMA_CODES and "fields" in details):
        raise AssertionError("Schema-valid request refused by the schema validation: "
                             + response.content.decode(errors="replace")[:500])
    return None


def all_checks() -> list:
    """Every check schemathesis registers: the Python API's `--checks all`."""
    load_all_checks()
    checks = CHECKS.get_all()
    assert {"not_a_server_error", "status_code_conformance", "content_type_conformance",
            "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
            "positive_data_acceptance", "schema_valid_request_passes_validation"} <= {c.__name__ for c in checks}
    return checks


@pytest.fixture
def forum(app, make_event, make_participant, make_proposal):
    """A forum in the proposals phase with one topic, and tokens of its organiser and a participant."""
    event = make_event(phase="proposals")
    participant = make_participant(event, name="Camille")
    make_proposal(event, participant)
    return {"event": event, "tokens": {"organiser": event["organiser"]["token"], "participant": participant["token"]}}


def _fuzz(app, operation, forum, mode: GenerationMode, checks: list) -> str | None:
    """Run the operation's generated cases; the first failure's text, or None."""
    fixed = {"event_id": forum["event"]["id"]} if "{event_id}" in operation.path else None

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              derandomize=True)
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))  # reach the handlers
    def run(case):
        for role in ("organiser", "participant"):
            try:
                case.call_and_validate(headers={"Authorization": f"Bearer {forum['tokens'][role]}"}, checks=checks)
            finally:
                with app.app_context():
                    db.session.remove()

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (an operation without parameters nor body)
        assert mode == GenerationMode.NEGATIVE
        return None
    except BaseException as failure:
        if isinstance(failure, KeyboardInterrupt):
            raise
        return f"{type(failure).__name__}: {str(failure)[:1500]}"
    return None


def test_every_api_operation_conforms_to_its_schema_with_every_check(app, forum):
    config = SchemathesisConfig.from_dict(
        {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_STATUSES}}})
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    checks = all_checks()
    failures, tested = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tested += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _fuzz(app, operation, forum, mode, checks)
            if failure:
                failures[f"{operation.label} [{mode.value}]"] = failure
    assert tested >= 80
    assert failures == {}, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())
