"""Schemathesis against /api/v1/openapi.json, in process: no server error, responses match the schema.

One test walks every operation of the document (so endpoints added later are fuzzed too), with a
bounded number of generated requests each, as the forum's organiser and as one of its participants.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from app.extensions import db

#: what generated data cannot know: random ids mostly name nothing (404) and valid bodies are often
#: refused for the forum's phase (409); a valid request refused that way is right, so this check is out
EXCLUDED = [checks.positive_data_acceptance]
EXAMPLES = 6


@pytest.fixture
def forum(app, make_event, make_participant, make_proposal):
    """A forum in the proposals phase with one topic, and tokens of its organiser and a participant."""
    event = make_event(phase="proposals")
    participant = make_participant(event, name="Camille")
    make_proposal(event, participant)
    return {"event": event, "tokens": {"organiser": event["organiser"]["token"], "participant": participant["token"]}}


def _fuzz(app, operation, forum) -> str | None:
    """Run the operation's generated cases; the first failure's text, or None."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              derandomize=True)
    @given(case=operation.as_strategy())
    def run(case):
        if "event_id" in (case.path_parameters or {}):
            case.path_parameters["event_id"] = forum["event"]["id"]  # reach the handlers, not only the 404
        for role in ("organiser", "participant"):
            try:
                case.call_and_validate(headers={"Authorization": f"Bearer {forum['tokens'][role]}"},
                                       excluded_checks=EXCLUDED)
            finally:
                with app.app_context():
                    db.session.remove()

    try:
        run()
    except BaseException as failure:
        if isinstance(failure, KeyboardInterrupt):
            raise
        return f"{type(failure).__name__}: {str(failure)[:1500]}"
    return None


def test_every_api_operation_conforms_to_its_schema_without_server_errors(app, forum):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, tested = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tested += 1
        failure = _fuzz(app, operation, forum)
        if failure:
            failures[operation.label] = failure
    assert tested >= 20
    assert failures == {}, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())
