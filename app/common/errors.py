"""Domain errors and the handlers that turn every failure into a clear answer."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A refused action: carries an HTTP status, a stable code and a user-facing message."""

    status = 400

    def __init__(self, code: str, message, status: int | None = None, details: dict | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.details = details or {}
        if status is not None:
            self.status = status

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": str(self.message)}
        if self.details:
            body["details"] = self.details
        return {"error": body}


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Unauthorized(DomainError):
    status = 401


class InvalidInput(DomainError):
    status = 422


def wants_json() -> bool:
    return request.path.startswith("/api/")


_HTTP_CODES = {
    400: ("bad_request", _l("La requête est mal formée.")),
    401: ("unauthorized", _l("Authentification requise.")),
    403: ("forbidden", _l("Vous n'avez pas accès à cette ressource.")),
    404: ("not_found", _l("Cette page ou cette ressource n'existe pas.")),
    405: ("method_not_allowed", _l("Méthode non autorisée.")),
    413: ("too_large", _l("La requête est trop volumineuse.")),
    429: ("rate_limited", _l("Trop de requêtes : patientez un instant puis réessayez.")),
    500: ("internal_error", _l("Une erreur interne est survenue. Réessayez dans un instant.")),
}


def _error_page(status: int, message):
    return render_template("errors/error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Answer JSON on /api/, a page elsewhere; never a stack trace."""

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        if wants_json():
            return jsonify(error.to_dict()), error.status
        return _error_page(error.status, error.message)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code, message = _HTTP_CODES.get(error.code or 500, ("http_error", error.description))
        if error.code == 400 and error.description and "CSRF" in str(error.description):
            code, message = "csrf_failed", _l("Le formulaire a expiré : rechargez la page et réessayez.")
        if wants_json():
            response = jsonify({"error": {"code": code, "message": str(message)}})
            response.status_code = error.code or 500
            for header in ("Retry-After", "Allow"):
                if error.get_response().headers.get(header):
                    response.headers[header] = error.get_response().headers[header]
            return response
        return _error_page(error.code or 500, message)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        from barcamp.extensions import db

        db.session.rollback()
        code, message = _HTTP_CODES[500]
        if wants_json():
            return jsonify({"error": {"code": code, "message": str(message)}}), 500
        return _error_page(500, message)
