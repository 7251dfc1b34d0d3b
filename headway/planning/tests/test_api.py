from __future__ import annotations

import datetime as dt

import pytest

from headway.accounts.services import token_create
from headway.conftest import Team
from headway.planning.models import CampaignTemplate, Task
from headway.planning.services.templates import templates_ensure
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db


def _auth(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, raw = token_create(actor=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_campaign_from_template_over_the_api(client, team: Team) -> None:
    templates_ensure(team.workspace)
    template = CampaignTemplate.objects.get(workspace=team.workspace, name="Blog post")
    launch = dt.date.today() + dt.timedelta(days=30)
    body = client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/campaigns",
        {"name": "Care guide", "launch_date": launch.isoformat(), "template_id": template.pk},
        content_type="application/json",
        **_auth(team.manager),
    )
    assert body.status_code == 201, body.content
    campaign = body.json()
    assert campaign["short_by"] == 0 and campaign["plan_start"] is not None
    detail = client.get(
        f"/api/v1/workspaces/{team.workspace.slug}/campaigns/{campaign['id']}",
        **_auth(team.manager),
    ).json()
    assert len(detail["tasks"]) == 6 and len(detail["links"]) == 6
    assert any(t["critical"] for t in detail["tasks"])
    assert "campaigns" in client.get("/api/v1/openapi.json").content.decode()


def test_api_enforces_the_same_rules(client, team: Team) -> None:
    _, tasks = chain(team)
    ws = team.workspace.slug
    auth = _auth(team.manager)
    # a cycle is refused with the loop named
    r = client.post(
        f"/api/v1/workspaces/{ws}/tasks/{tasks[0].pk}/dependencies",
        {"predecessor": tasks[2].pk},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 400 and r.json()["code"] == "cycle"
    assert "Step 1 → Step 2 → Step 3 → Step 1" in r.json()["message"]
    # an unowned task cannot start
    r = client.post(
        f"/api/v1/workspaces/{ws}/tasks/{tasks[0].pk}/status",
        {"status": "in_progress"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 400 and r.json()["code"] == "unowned"
    # a stale edit answers 409 and changes nothing
    r = client.patch(
        f"/api/v1/workspaces/{ws}/tasks/{tasks[0].pk}",
        {"version": 99, "title": "Overwrite"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 409
    assert Task.objects.get(pk=tasks[0].pk).title == "Step 1"
    # a preview says what a link would move and saves nothing
    extra = client.post(
        f"/api/v1/workspaces/{ws}/campaigns/{tasks[0].campaign_id}/tasks",
        {"title": "Legal check", "duration_days": 7},
        content_type="application/json",
        **auth,
    ).json()
    r = client.post(
        f"/api/v1/workspaces/{ws}/tasks/{tasks[2].pk}/dependencies?preview=true",
        {"predecessor": extra["id"]},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200
    assert r.json()["summary"] == "moves 2 tasks; the launch moves 2 working days later"


def test_externals_cannot_list_campaigns_over_the_api(client, team: Team) -> None:
    r = client.get(f"/api/v1/workspaces/{team.workspace.slug}/campaigns", **_auth(team.freelancer))
    assert r.status_code == 403


def test_board_comments_time_off_and_channels_over_the_api(client, team: Team) -> None:
    _, tasks = chain(team)
    ws = team.workspace.slug
    auth = _auth(team.member)
    board = client.get(f"/api/v1/workspaces/{ws}/board", **auth).json()
    assert [t["title"] for t in board["not_started"]] == ["Step 1", "Step 2", "Step 3"]
    r = client.post(
        f"/api/v1/workspaces/{ws}/tasks/{tasks[0].pk}/comments",
        {"body": "@Alpha can you check the brief?"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201 and r.json()["mention_ids"]
    r = client.post(
        f"/api/v1/workspaces/{ws}/time-off",
        {"user_id": team.admin.pk, "first_day": "2030-01-02", "last_day": "2030-01-03"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 403  # a member records only their own time off
    r = client.post(
        f"/api/v1/workspaces/{ws}/channels",
        {"name": "Podcasts"},
        content_type="application/json",
        **_auth(team.manager),
    )
    assert r.status_code == 201 and r.json()["key"] == "podcasts"
    dup = client.post(
        f"/api/v1/workspaces/{ws}/channels",
        {"name": "Podcasts"},
        content_type="application/json",
        **_auth(team.manager),
    )
    assert dup.status_code == 400 and dup.json()["field"] == "name"


def test_a_campaign_status_change_from_a_stale_copy_is_refused(client, team: Team) -> None:
    # given a campaign read at one version, then changed by someone else
    campaign, _ = chain(team)
    url = f"/api/v1/workspaces/{team.workspace.slug}/campaigns/{campaign.pk}/status"
    auth = _auth(team.manager)
    read = campaign.version
    first = client.post(
        url, {"status": "in_progress", "version": read}, content_type="application/json", **auth
    )
    assert first.status_code == 200 and first.json()["version"] == read + 1
    # when the first copy is used again
    stale = client.post(
        url, {"status": "cancelled", "version": read}, content_type="application/json", **auth
    )
    # then it is refused on the version and the status stays
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    campaign.refresh_from_db()
    assert campaign.status == "in_progress"
