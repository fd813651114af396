"""The JSON API toolkit: request validation and the OpenAPI document, from one set of schemas.

Each endpoint declares its pydantic request/response models once with `api_route`; the same
models validate the request body and describe the endpoint in /api/v1/openapi.json.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, get_args

from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, ValidationError, WithJsonSchema
from pydantic.json_schema import models_json_schema
from pydantic_core.core_schema import ErrorType

from barcamp.common.errors import DomainError, InvalidInput

API_PREFIX = "/api/v1"


def _as_utc(value: datetime) -> datetime:
    """SQLite hands stored UTC times back naive: mark them UTC so the JSON carries the offset."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


#: a stored timestamp in a response: always with its UTC offset, as `format: date-time` requires
UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]

#: RFC 3339 date-time text: a date, a time, optional seconds/fraction, optional offset
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:\d{2})?$")


def _date_time_text(value: Any) -> Any:
    """Refuse a number or a bare number in a string: pydantic would read either as seconds since 1970."""
    if isinstance(value, datetime):
        return value  # built in Python (a page's form), not read from a request
    if not isinstance(value, str) or not _DATE_TIME.match(value):
        raise ValueError("expected an ISO 8601 date-time such as 2026-05-21T09:30:00+02:00")
    try:
        return datetime.fromisoformat(value[:10] + "T" + value[11:].upper())
    except ValueError:  # 2026-02-30, 25:00…
        raise ValueError("expected an ISO 8601 date-time such as 2026-05-21T09:30:00+02:00") from None


#: a date-time in a request body: ISO 8601 text only (never a number of seconds)
ApiDateTime = Annotated[datetime, BeforeValidator(_date_time_text),
                        WithJsonSchema({"type": "string", "format": "date-time"})]


@dataclass
class Operation:
    path: str
    method: str
    summary: str
    tag: str
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    auth: tuple[str, ...]
    errors: tuple[int, ...] = field(default_factory=tuple)
    query: type[BaseModel] | None = None
    body_required: bool = True
    session_auth: bool = False

    def statuses(self) -> tuple[int, ...]:
        """Every status this operation may answer: its own, the declared errors and those api_route adds."""
        implied = set(self.errors)
        if self.auth:
            implied |= {401, 403}
        if self.body is not None:
            implied |= {400, 413, 422}
        if self.query is not None:
            implied.add(400)
        if "<" in self.path:  # an id that names nothing (or does not fit the database) is 404
            implied.add(404)
        return (self.status, *sorted(implied - {self.status}))


#: every operation declared with api_route, in declaration order
OPERATIONS: list[Operation] = []


#: pydantic's own error types; any other one is a rule of ours (PydanticCustomError) and names its error code
_SCHEMA_ERRORS = frozenset(get_args(ErrorType))


def _validation_code(exc: ValidationError) -> str:
    """invalid_input when the schema refuses the body; a rule's own code (max_over_budget…) when a rule the
    schema cannot state does, so a client (and the API's schemathesis test) can tell them apart."""
    rules = sorted({error["type"] for error in exc.errors()} - _SCHEMA_ERRORS)
    return rules[0] if rules else "invalid_input"


def _validation_message(exc: ValidationError) -> tuple[str, dict]:
    first = exc.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or "body"
    fields = {".".join(str(p) for p in e["loc"]) or "body": e["msg"] for e in exc.errors()}
    return _("Champ « %(field)s » invalide : %(reason)s", field=location, reason=first["msg"]), fields


#: largest value of an INTEGER column (PostgreSQL's; SQLite's are wider)
DB_INT_MAX = 2**31 - 1


def _check_integers(payload: Any) -> None:
    """Refuse (422) an integer no INTEGER column holds: PostgreSQL would fail the query with a 500."""
    stack = [("", payload)]
    while stack:
        path, value = stack.pop()
        if type(value) is int:
            if not -DB_INT_MAX <= value <= DB_INT_MAX:
                field = path.lstrip(".") or "body"
                raise InvalidInput("invalid_input", _("Champ « %(field)s » invalide : nombre trop grand.", field=field),
                                   details={"fields": {field: "out of range"}})
        elif isinstance(value, dict):
            stack.extend((f"{path}.{key}", item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}.{index}", item) for index, item in enumerate(value))


def _integral_floats_as_ints(payload: Any) -> tuple[Any, bool]:
    """JSON Schema's `integer` includes 3.0: give such numbers to the strict validator as 3 (and say if any)."""
    if type(payload) is float and payload.is_integer() and abs(payload) <= DB_INT_MAX:
        return int(payload), True
    if isinstance(payload, dict):
        items = [(key, *_integral_floats_as_ints(value)) for key, value in payload.items()]
        return {key: value for key, value, _ in items}, any(changed for *_, changed in items)
    if isinstance(payload, list):
        items = [_integral_floats_as_ints(value) for value in payload]
        return [value for value, _ in items], any(changed for _, changed in items)
    return payload, False


def parse_body(model: type[BaseModel], *, required: bool = True) -> BaseModel:
    """Validate the JSON body against model, or raise a 400/422 domain error.

    The body is parsed once by the app's JSON provider, which bounds its nesting
    (app/common/jsonbounds.py), then validated strictly in JSON mode: `0` is no boolean, `"3"`
    no integer, a number no date-time — what the OpenAPI document says is what is accepted.
    """
    raw = request.get_data(cache=True)
    if not required and not raw.strip():
        return model()
    payload = request.get_json(silent=True)
    if payload is None:
        raise DomainError("invalid_json", _("Le corps de la requête doit être un objet JSON."), status=400)
    _check_integers(payload)
    payload, changed = _integral_floats_as_ints(payload)
    if changed:
        raw = json.dumps(payload)
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        message, fields = _validation_message(exc)
        raise InvalidInput(_validation_code(exc), message, details={"fields": fields}) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    """Validate the query string against model (text read as the declared types), or raise 400 invalid_query."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        message, fields = _validation_message(exc)
        raise DomainError("invalid_query", message, status=400, details={"fields": fields}) from None


def validate(model: type[BaseModel], payload: Any) -> BaseModel:
    """Validate a socket payload the same way as an HTTP body."""
    if not isinstance(payload, dict):
        raise DomainError("invalid_input", _("Le message doit être un objet JSON."), status=400)
    _check_integers(payload)
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        message, fields = _validation_message(exc)
        raise InvalidInput("invalid_input", message, details={"fields": fields}) from None


def _check_schema_name(model: type[BaseModel]) -> None:
    """Refuse a second model of the same name: the OpenAPI document would describe one with the other."""
    for op in OPERATIONS:
        for known in (op.body, op.query, op.response):
            if known is not None and known is not model and known.__name__ == model.__name__:
                raise TypeError(f"two API schemas are named {model.__name__}: {known.__module__} and "
                                f"{model.__module__}; rename one")


def api_route(
    bp: Blueprint,
    rule: str,
    method: str,
    *,
    summary: str,
    body: type[BaseModel] | None = None,
    body_required: bool = True,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    auth: tuple[str, ...] = (),
    session_auth: bool = False,
    errors: tuple[int, ...] = (),
):
    """Register an API endpoint and its OpenAPI description, and enforce what it describes.

    In this order: the caller must be one of `auth` (401/403; `session_auth` also accepts the
    browser's session, for GET downloads opened as links), then `query` is validated into a
    `query` argument (400), then `body` into a `data` argument (400/422). Nothing about the body
    is revealed to a caller who may not call the endpoint.
    """
    if session_auth and (method.upper() != "GET" or not auth):
        raise TypeError(f"{rule}: session_auth is for GET downloads of an authenticated endpoint")
    for model in (body, query, response):
        if model is not None:
            _check_schema_name(model)

    def decorator(view):
        declared = getattr(view, "api_auth", None)  # set by accounts.identity.api_auth
        if declared is not None and (set(declared[0]), declared[1]) != (set(auth), session_auth):
            raise TypeError(f"{view.__name__}: api_auth{declared} differs from api_route(auth={auth}, "
                            f"session_auth={session_auth})")
        OPERATIONS.append(Operation(API_PREFIX + rule, method.lower(), summary, bp.name, body, response, status,
                                    auth, errors, query, body_required, session_auth))

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if auth:
                current_app.extensions["barcamp_authenticate"](auth, session_auth=session_auth)
            if query is not None:
                kwargs["query"] = parse_query(query)
            if body is not None:
                kwargs["data"] = parse_body(body, required=body_required)
            return view(*args, **kwargs)

        bp.add_url_rule(API_PREFIX + rule, view_func=wrapper, methods=[method], endpoint=f"api_{view.__name__}")
        return wrapper

    return decorator


class ErrorBody(BaseModel):
    code: str
    message: str
    #: per-field reasons (invalid_input, invalid_query), or the current state of what conflicted
    details: dict[str, Any] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


_PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _models(operations: list[Operation]) -> list[tuple[type[BaseModel], str]]:
    """Every schema of the document once, each with the mode it is read in; two of one name refused."""
    seen: dict[str, type[BaseModel]] = {"ErrorResponse": ErrorResponse}
    modes: list[tuple[type[BaseModel], str]] = [(ErrorResponse, "serialization")]
    for op in operations:
        for model, mode in ((op.body, "validation"), (op.query, "validation"), (op.response, "serialization")):
            if model is None:
                continue
            if seen.setdefault(model.__name__, model) is not model:
                raise TypeError(f"two API schemas are named {model.__name__}")
            if (model, mode) not in modes:
                modes.append((model, mode))
    return modes


def _bound_integers(schema: Any) -> None:
    """Say in every integer schema what _check_integers enforces: the range of an INTEGER column."""
    if isinstance(schema, dict):
        if schema.get("type") == "integer":
            schema.setdefault("minimum", -DB_INT_MAX)
            schema.setdefault("maximum", DB_INT_MAX)
        for value in schema.values():
            _bound_integers(value)
    elif isinstance(schema, list):
        for value in schema:
            _bound_integers(value)


def _query_parameters(model: type[BaseModel], schemas: dict, ref: str) -> list[dict]:
    """The query model's fields as OpenAPI parameters (its component schema, field by field)."""
    component = schemas[ref.rsplit("/", 1)[-1]]
    required = set(component.get("required", ()))
    parameters = []
    for name, schema in component.get("properties", {}).items():
        parameter = {"name": name, "in": "query", "required": name in required, "schema": schema}
        if schema.get("description"):
            parameter["description"] = schema["description"]
        parameters.append(parameter)
    return parameters


def openapi_document(version: str) -> dict:
    """Build the OpenAPI 3.1 document from the declared operations."""
    refs, top = models_json_schema(_models(OPERATIONS), ref_template="#/components/schemas/{model}")
    schemas = top.get("$defs", {})
    _bound_integers(schemas)
    error_ref = {"application/json": {"schema": refs[(ErrorResponse, "serialization")]}}
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        path = _PATH_PARAM.sub(r"{\2}", op.path)
        entry: dict[str, Any] = {"summary": op.summary, "tags": [op.tag], "operationId": f"{op.method}_{path}"}
        parameters = [
            {"name": name, "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 0, "maximum": DB_INT_MAX} if converter == "int"
             else {"type": "string"}}
            for converter, name in _PATH_PARAM.findall(op.path)
        ]
        if op.query is not None:
            parameters += _query_parameters(op.query, schemas, refs[(op.query, "validation")]["$ref"])
        if parameters:
            entry["parameters"] = parameters
        if op.body is not None:
            entry["requestBody"] = {
                "required": op.body_required,
                "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
            }
        ok: dict[str, Any] = {"description": "OK"}
        if op.response is not None:
            ok["content"] = {"application/json": {"schema": refs[(op.response, "serialization")]}}
        responses: dict[str, Any] = {str(op.status): ok}
        for code in op.statuses()[1:]:
            responses[str(code)] = {"description": "Error", "content": error_ref}
        entry["responses"] = responses
        if op.auth:
            entry["security"] = [{"bearer": []}, {"session": []}] if op.session_auth else [{"bearer": []}]
            entry["x-barcamp-roles"] = list(op.auth)
        paths.setdefault(path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "barcamp API", "version": version},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                # only on downloads a browser opens as a link (agenda.ics): the logged-in session
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
