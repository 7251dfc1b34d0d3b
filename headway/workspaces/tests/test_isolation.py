"""Tenant isolation, generated over every URL pattern and API route.

The foreign data is the demo workspace, which later work fills through the same services
users call; a user who is not a member of it must get 404 for every object in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.core.demo import HARBOR_AND_PINE, demo_load
from headway.workspaces.models import Membership, Workspace
from headway.workspaces.scoping import WORKSPACE_KWARG, registered_kwargs

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "patch", "put", "delete")
# Parameters that are themselves the credential (a link someone was sent): not objects.
CREDENTIAL_KWARGS = {"token", "uidb64"}
USER_SCOPED_KWARGS = {"token_id"}


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, Any]]:
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _patterns(p, route)
        elif isinstance(p, URLPattern):
            yield route, p


def _kwarg_names(route: str) -> list[str]:
    import re

    return [m.split(":")[-1] for m in re.findall(r"<([^>]+)>", route)]


def _fill(route: str, values: dict[str, Any]) -> str:
    import re

    return re.sub(r"<([^>]+)>", lambda m: str(values[m.group(1).split(":")[-1]]), route)


def _answers(client: Client, url: str) -> dict[str, int]:
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


@pytest.fixture
def foreign() -> Workspace:
    demo_load()
    return Workspace.objects.get(name=HARBOR_AND_PINE)


def test_every_workspace_route_hides_other_workspaces(team: Team, foreign: Workspace) -> None:
    client = client_for(team.owner)
    assert not Membership.objects.filter(workspace=foreign, user=team.owner).exists()
    registry = registered_kwargs()
    foreign_user = Membership.objects.filter(workspace=foreign).first().user  # type: ignore[union-attr]
    foreign_token, _ = token_create(actor=foreign_user, name="theirs")
    checked = 0
    for route, _pattern in _patterns():
        names = _kwarg_names(route)
        if not names or set(names) & CREDENTIAL_KWARGS:
            continue
        unknown = set(names) - set(registry) - {WORKSPACE_KWARG} - USER_SCOPED_KWARGS
        assert not unknown, (
            f"{route}: parameters {sorted(unknown)} are not registered in "
            "headway.workspaces.scoping, so isolation cannot be checked"
        )
        values: dict[str, Any] = {"token_id": foreign_token.pk}
        for name in names:
            if name in registry:
                model_fn, path = registry[name]
                row = model_fn().objects.filter(**{path: foreign}).first()
                assert row is not None, f"the demo has no {name} row to check {route} with"
                values[name] = row.pk
        slugs = [foreign.slug] + ([team.workspace.slug] if len(names) > 1 else [])
        for slug in slugs if WORKSPACE_KWARG in names else [None]:
            url = "/" + _fill(route, {**values, WORKSPACE_KWARG: slug})
            statuses = _answers(client, url)
            assert statuses, f"{url} answers no method"
            assert all(code in (403, 404) for code in statuses.values()), (url, statuses)
            assert any(code == 404 for code in statuses.values()), (url, statuses)
            checked += 1
    assert checked >= 10


def test_api_answers_json_404_for_another_workspace(team: Team, foreign: Workspace) -> None:
    response = client_for(team.owner).get(f"/api/v1/workspaces/{foreign.slug}/members")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
