"""Domain errors: a broken business rule raises one of these, with a stable code.

The API maps them to a JSON answer `{"code": ..., "message": ..., "details": ...}` with
the HTTP status named here; HTML views show the message. Never a 500 for bad input.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request that breaks a rule of the domain."""

    code = "domain_error"
    http_status = 422

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    http_status = 403


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    http_status = 409


class Conflict(DomainError):
    code = "conflict"
    http_status = 409


class PreconditionRequired(DomainError):
    """A command that must name the state it was read at (a dossier's version) came without it."""

    code = "precondition_required"
    http_status = 428


class InvalidInput(DomainError):
    code = "invalid_input"
    http_status = 422


class TooManyRequests(DomainError):
    """An abuse limit was reached (drafts, submissions per day)."""

    code = "too_many_requests"
    http_status = 429
