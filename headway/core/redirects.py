"""Where a form sends the browser afterwards: its `next` field, only when it stays on this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest) -> str | None:
    """The `next` the request carries (form field, else query string) when it points at this
    site, else None: an unchecked `next` lets a crafted link send a user to another site."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def next_or(request: HttpRequest, fallback: str) -> str:
    """The request's safe `next`, or `fallback`."""
    return next_url(request) or fallback
