"""The one shape of an API error, shared by the API's handlers and the middleware that catches
what happens before the API runs."""

from __future__ import annotations

from typing import Any

# Every operation documents these, so clients (and schemathesis) know what to expect.
ERROR_STATUSES: dict[str, str] = {
    "400": "The request breaks a rule (the message says which, the field where)",
    "401": "No valid token or session",
    "403": "Your role may not do this",
    "404": "No such object in this workspace",
    "409": "Changed meanwhile, or conflicts with the current state",
    "413": "The request body is too large",
    "422": "A value is malformed or out of bounds (the field is named)",
    "500": "A bug on the server (logged)",
}

CODE_BY_STATUS = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_error",
    429: "throttled",
}


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field, **extra}
