"""Tenant isolation, generated over every URL pattern and API route.

The foreign data is the demo workspace, which later work fills through the same services
users call; a user who is not a member of it must get 404 for every object in it.
"""

from __future__ import annotations

from typing import Any

import pytest

from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.core.demo import HARBOR_AND_PINE, demo_load
from headway.workspaces.models import Membership, Workspace
from headway.workspaces.scoping import WORKSPACE_KWARG, registered_kwargs
from headway.workspaces.tests.routes import (
    CREDENTIAL_KWARGS,
    USER_SCOPED_KWARGS,
    answers,
    fill,
    kwarg_names,
    routes,
)

pytestmark = pytest.mark.django_db


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
    for route in routes():
        names = kwarg_names(route)
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
            url = fill(route, {**values, WORKSPACE_KWARG: slug})
            statuses = answers(client, url)
            assert statuses, f"{url} answers no method"
            assert all(code in (403, 404) for code in statuses.values()), (url, statuses)
            assert any(code == 404 for code in statuses.values()), (url, statuses)
            checked += 1
    assert checked >= 10


def test_api_answers_json_404_for_another_workspace(team: Team, foreign: Workspace) -> None:
    response = client_for(team.owner).get(f"/api/v1/workspaces/{foreign.slug}/members")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
