"""The bulk task endpoint: many tasks in one request, one transaction, one reschedule; all or
nothing, with errors naming the item."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from headway.accounts.models import User
from headway.accounts.services import token_create
from headway.activity.models import Event
from headway.conftest import Team
from headway.planning.models import Task
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db


def _auth(user: User) -> dict[str, str]:
    _, raw = token_create(actor=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client: Client, team: Team, user: User, campaign_id: int, body: Any) -> Any:
    return client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/campaigns/{campaign_id}/tasks/bulk",
        body,
        content_type="application/json",
        **_auth(user),
    )


def test_bulk_creates_every_task_dated_in_one_request(client: Client, team: Team) -> None:
    campaign, tasks = chain(team, "Bulk", 2, 3)
    body = {
        "tasks": [
            {"title": "Write copy", "duration_days": "3", "owner": team.member.pk},
            {"title": "Review", "kind": "milestone"},
            {"title": "Long shoot", "duration_days": "40"},
        ]
    }
    r = _post(client, team, team.manager, campaign.pk, body)
    assert r.status_code == 201, r.content
    made = r.json()["tasks"]
    assert [t["title"] for t in made] == ["Write copy", "Review", "Long shoot"]
    assert all(t["start_date"] and t["due_date"] for t in made)
    # The 40-day task is now the longest path: the plan was rescheduled once, for all.
    assert made[2]["critical"] is True
    assert Task.objects.get(pk=tasks[0].pk).critical is False
    positions = list(Task.objects.filter(campaign=campaign).values_list("position", flat=True))
    assert len(set(positions)) == len(positions) == 6
    created = Event.objects.filter(
        object_id__in=[str(t["id"]) for t in made], verb="created", object_type="planning.task"
    )
    assert created.count() == 3


def test_a_bad_item_stores_nothing_and_names_its_index_and_field(
    client: Client, team: Team
) -> None:
    campaign, _ = chain(team, "Bulk")
    before = Task.objects.count()
    good = {"title": "Fine"}
    r = _post(client, team, team.manager, campaign.pk, {"tasks": [good, good, good, {"x": 1}]})
    assert r.status_code == 422 and r.json()["field"] == "tasks.3.title"
    r = _post(
        client,
        team,
        team.manager,
        campaign.pk,
        {"tasks": [good, {"title": "Nobody's", "owner": 999999}]},
    )
    # The service's own status for an unknown person (403), with the item named.
    assert r.status_code == 403, r.content
    assert r.json()["field"] == "tasks.1.owner" and r.json()["message"].startswith("Task 1:")
    r = _post(
        client, team, team.manager, campaign.pk, {"tasks": [good, {"title": "Odd", "kind": "x"}]}
    )
    assert r.status_code == 400 and r.json()["field"] == "tasks.1.kind"
    r = _post(client, team, team.manager, campaign.pk, {"tasks": []})
    assert r.status_code == 422 and r.json()["field"] == "tasks"
    r = _post(client, team, team.manager, campaign.pk, {"tasks": [good] * 501})
    assert r.status_code == 422 and r.json()["field"] == "tasks"
    assert Task.objects.count() == before


def test_500_tasks_fit_in_one_request(client: Client, team: Team) -> None:
    campaign, _ = chain(team, "Bulk")
    items = [{"title": f"Task {n}", "duration_days": str(1 + n % 5)} for n in range(500)]
    r = _post(client, team, team.manager, campaign.pk, {"tasks": items})
    assert r.status_code == 201 and len(r.json()["tasks"]) == 500
    assert Task.objects.filter(campaign=campaign, start_date__isnull=True).count() == 0


@pytest.mark.parametrize("role", ["freelancer", "client"])
def test_externals_cannot_bulk_create(client: Client, team: Team, role: str) -> None:
    campaign, _ = chain(team, "Bulk")
    before = Task.objects.count()
    r = _post(client, team, getattr(team, role), campaign.pk, {"tasks": [{"title": "Sneaky"}]})
    # Externals do not see the team's campaigns: refused as the other campaign routes are.
    assert r.status_code in (403, 404) and r.json()["code"] in ("forbidden", "not_found")
    assert Task.objects.count() == before


def test_a_member_who_does_not_plan_is_refused(client: Client, team: Team) -> None:
    campaign, _ = chain(team, "Bulk")
    r = _post(client, team, team.member, campaign.pk, {"tasks": [{"title": "Mine"}]})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert not Task.objects.filter(title="Mine").exists()


def test_the_bulk_endpoint_is_described_in_openapi(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    path = "/api/v1/workspaces/{ws}/campaigns/{campaign_id}/tasks/bulk"
    operation = spec["paths"][path]["post"]
    assert "201" in operation["responses"]
    schema = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("TasksBulkOut")
