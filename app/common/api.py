"""The JSON API toolkit: request validation and the OpenAPI document, from one set of schemas.

Each endpoint declares its pydantic request/response models once with `api_route`; the same
models validate the request body and describe the endpoint in /api/v1/openapi.json.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from flask import Blueprint, request
from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from app.common.errors import DomainError, InvalidInput

API_PREFIX = "/api/v1"


def _as_utc(value: datetime) -> datetime:
    """SQLite hands stored UTC times back naive: mark them UTC so the JSON carries the offset."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


#: a stored timestamp in a response: always with its UTC offset, as `format: date-time` requires
UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]


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


#: every operation declared with api_route, in declaration order
OPERATIONS: list[Operation] = []


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


def parse_body(model: type[BaseModel]) -> BaseModel:
    """Validate the JSON body against model, or raise a 400/422 domain error."""
    payload = request.get_json(silent=True)
    if payload is None:
        raise DomainError("invalid_json", _("Le corps de la requête doit être un objet JSON."), status=400)
    _check_integers(payload)
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        message, fields = _validation_message(exc)
        raise InvalidInput("invalid_input", message, details={"fields": fields}) from None


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


def api_route(
    bp: Blueprint,
    rule: str,
    method: str,
    *,
    summary: str,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    auth: tuple[str, ...] = (),
    errors: tuple[int, ...] = (),
):
    """Register an API endpoint: validates `body` into a `data` argument and documents it."""
    OPERATIONS.append(
        Operation(API_PREFIX + rule, method.lower(), summary, bp.name, body, response, status, auth, errors)
    )

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if body is not None:
                kwargs["data"] = parse_body(body)
            return view(*args, **kwargs)

        bp.add_url_rule(API_PREFIX + rule, view_func=wrapper, methods=[method], endpoint=f"api_{view.__name__}")
        return wrapper

    return decorator


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


def openapi_document(version: str) -> dict:
    """Build the OpenAPI 3.1 document from the declared operations."""
    models: dict[str, type[BaseModel]] = {"ErrorResponse": ErrorResponse}
    for op in OPERATIONS:
        for model in (op.body, op.response):
            if model is not None:
                models[model.__name__] = model
    modes = [(m, "validation") for m in models.values()]
    _, top = models_json_schema(modes, ref_template="#/components/schemas/{model}")
    schemas = top.get("$defs", {})
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        path = op.path.replace("<int:", "{").replace("<", "{").replace(">", "}")
        entry: dict[str, Any] = {"summary": op.summary, "tags": [op.tag], "operationId": f"{op.method}_{path}"}
        params = [seg[1:-1] for seg in path.split("/") if seg.startswith("{")]
        if params:
            entry["parameters"] = [
                {"name": p, "in": "path", "required": True, "schema": {"type": "integer"}} for p in params
            ]
        if op.body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{op.body.__name__}"}}},
            }
        ok: dict[str, Any] = {"description": "OK"}
        if op.response is not None:
            ok["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{op.response.__name__}"}}}
        responses: dict[str, Any] = {str(op.status): ok}
        error_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
        for code in sorted({*op.errors, *( (401, 403) if op.auth else ()), *((400, 422) if op.body else ())}):
            responses[str(code)] = {"description": "Error", "content": error_ref}
        entry["responses"] = responses
        if op.auth:
            entry["security"] = [{"bearer": []}]
            entry["x-barcamp-roles"] = list(op.auth)
        paths.setdefault(path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "barcamp API", "version": version},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
