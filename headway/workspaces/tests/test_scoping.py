"""A route's scoped parameter is checked against the workspace; a campaign's check reads the
campaign the route then uses (one query, not a check and a read)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.accounts.services import token_create
from headway.conftest import Team
from headway.planning.models import Campaign, Task
from headway.planning.services.campaigns import campaign_create
from headway.workspaces.scoping import check_kwargs, scoped_row

pytestmark = pytest.mark.django_db


def _bearer(team: Team) -> dict[str, str]:
    _, raw = token_create(actor=team.manager, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_campaign_of_another_workspace_is_404_and_gets_no_task(
    client, team: Team, other_team: Team
) -> None:
    theirs = campaign_create(actor=other_team.manager, workspace=other_team.workspace, name="X")
    for campaign_id in (theirs.pk, 2**70, 0):
        response = client.post(
            f"/api/v1/workspaces/{team.workspace.slug}/campaigns/{campaign_id}/tasks",
            {"title": "Sneaky"},
            content_type="application/json",
            **_bearer(team),
        )
        assert response.status_code == 404, (campaign_id, response.content)
    assert not Task.objects.filter(title="Sneaky").exists()


def test_a_campaign_route_reads_its_campaign_once(client, team: Team) -> None:
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Ours")
    auth = _bearer(team)
    path = f"/api/v1/workspaces/{team.workspace.slug}/campaigns/{campaign.pk}/tasks"
    client.post(path, {"title": "Warm"}, content_type="application/json", **auth)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, {"title": "Second"}, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert sum('FROM "planning_campaign"' in s for s in reads) == 1, reads
    assert Task.objects.get(pk=response.json()["id"]).campaign_id == campaign.pk


def test_the_row_read_by_the_check_is_taken_once_and_only_for_its_id(team: Team) -> None:
    import headway.planning.api.lookups  # noqa: F401 (declares the campaign read whole)

    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Ours")
    rows = check_kwargs(team.workspace, {"campaign_id": str(campaign.pk)})
    assert isinstance(rows["campaign_id"], Campaign)
    assert rows["campaign_id"].workspace is team.workspace
    request = SimpleNamespace(scoped_rows=rows)
    assert scoped_row(request, "campaign_id", campaign.pk + 1) is None  # another id: not it
    assert scoped_row(request, "campaign_id", campaign.pk).pk == campaign.pk
    assert scoped_row(request, "campaign_id", campaign.pk) is None  # taken: read it again
    assert scoped_row(SimpleNamespace(), "campaign_id", campaign.pk) is None
