"""Every URL pattern, filled and called with each method: the generated isolation and role
tests walk the same routes, so a new route is covered by both without new test code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

METHODS = ("get", "post", "patch", "put", "delete")
# Parameters that are themselves the credential (a link someone was sent): not objects.
CREDENTIAL_KWARGS = {"token", "uidb64"}
USER_SCOPED_KWARGS = {"token_id"}
_PARAM = re.compile(r"<([^>]+)>")


def routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """Each URL pattern's route, `<kind:name>` parameters left in."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from routes(p, route)
        elif isinstance(p, URLPattern):
            yield route


def kwarg_names(route: str) -> list[str]:
    return [m.split(":")[-1] for m in _PARAM.findall(route)]


def fill(route: str, values: dict[str, Any]) -> str:
    """The route as an absolute path, each parameter replaced by its value."""
    return "/" + _PARAM.sub(lambda m: str(values[m.group(1).split(":")[-1]]), route)


def answers(client: Client, url: str) -> dict[str, int]:
    """The status of each method the URL accepts (405s left out)."""
    statuses = {}
    for method in METHODS:
        response = getattr(client, method)(
            url,
            data={} if method == "get" else "{}",
            **({} if method == "get" else {"content_type": "application/json"}),
        )
        if response.status_code != 405:
            statuses[method] = response.status_code
    return statuses
