"""Errors under /api/ answered before the API runs are JSON too."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

from headway.api.errors import CODE_BY_STATUS, error_body

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After")


class ApiErrorsAsJsonMiddleware:
    """An unknown URL, a path parameter its converter refuses, a CSRF failure or a crash in a
    middleware is answered by Django as an HTML page; under /api/ a client expects
    `{"code", "message", "field"}`, so such a page becomes that, with the same status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        json = JsonResponse(
            error_body(
                CODE_BY_STATUS.get(status, "server_error" if status >= 500 else "error"),
                f"{phrase}.",
                None,
            ),
            status=status,
        )
        for header in KEPT_HEADERS:
            if header in response:
                json[header] = response[header]
        return json
