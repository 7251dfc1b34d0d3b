"""Errors raised by services; views turn them into form errors, the API into JSON."""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks a rule: says what was wrong, and where (the field) when it can."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class OutOfRange(DomainError):
    """A value well-formed on its own that is out of range with another (a date range)."""

    status = 422
    code = "validation_error"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"
