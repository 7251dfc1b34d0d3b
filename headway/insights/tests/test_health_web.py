"""Health and escalations on the pages and over the API, as each role may see them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.insights.models import Escalation, EscalationState
from headway.insights.services.health import campaign_health_refresh
from headway.insights.tests.test_health_services import MONDAY, _block_first, _plan
from headway.planning.models import Campaign

pytestmark = pytest.mark.django_db


def _auth(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, raw = token_create(actor=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _blocked(team: Team) -> tuple[Campaign, int]:
    campaign = _plan(team)
    first = _block_first(team, campaign)
    campaign_health_refresh(campaign, trials=300)
    return campaign, first.pk


@time_machine.travel(MONDAY, tick=False)
def test_health_api_shape_and_visibility(team: Team) -> None:
    campaign, task_id = _blocked(team)
    base = f"/api/v1/workspaces/{team.workspace.slug}/campaigns/{campaign.pk}"
    client = Client()
    body = client.get(f"{base}/health", **_auth(team.member))
    assert body.status_code == 200, body.content
    health = body.json()
    assert set(health) == {"state", "reasons", "since"} and health["state"] == "blocked"
    reason = health["reasons"][0]
    assert set(reason) == {"code", "text", "owner", "object"}
    assert reason["owner"] == {"id": team.admin.pk, "name": team.admin.name}
    assert reason["object"]["kind"] == "task" and reason["object"]["id"] == task_id
    forecast = client.get(f"{base}/forecast", **_auth(team.member)).json()
    assert forecast["trials"] == 300 and 0 <= forecast["p_on_time"] <= 1
    assert forecast["sentence"].startswith(f"{round(forecast['p_on_time'] * 100)}% to launch by")
    listed = client.get(
        f"/api/v1/workspaces/{team.workspace.slug}/campaigns", **_auth(team.member)
    ).json()
    assert listed[0]["health"]["state"] == "blocked"
    # freelancers and clients do not see the campaign at all (404, as if it did not exist)
    for outsider in (team.freelancer, team.client):
        assert client.get(f"{base}/health", **_auth(outsider)).status_code == 404
        assert client.get(f"{base}/forecast", **_auth(outsider)).status_code == 404


@time_machine.travel(MONDAY, tick=False)
def test_health_of_another_workspace_is_404(team: Team, other_team: Team) -> None:
    campaign, _ = _blocked(team)
    url = f"/api/v1/workspaces/{other_team.workspace.slug}/campaigns/{campaign.pk}/health"
    assert Client().get(url, **_auth(other_team.manager)).status_code == 404


@time_machine.travel(MONDAY, tick=False)
def test_escalations_over_the_api(team: Team) -> None:
    campaign, _ = _blocked(team)
    ws = f"/api/v1/workspaces/{team.workspace.slug}"
    client = Client()
    [esc] = client.get(f"{ws}/escalations?state=open", **_auth(team.member)).json()
    assert esc["owner_id"] == team.manager.pk
    bad = client.post(
        f"{ws}/escalations/{esc['id']}/acknowledge",
        {"note": "", "by_date": "2026-03-03"},
        content_type="application/json",
        **_auth(team.manager),
    )
    assert bad.status_code == 400 and bad.json()["field"] == "note"
    # a member who neither owns it nor plans may not acknowledge it
    refused = client.post(
        f"{ws}/escalations/{esc['id']}/acknowledge",
        {"note": "I'll do it", "by_date": "2026-03-03"},
        content_type="application/json",
        **_auth(team.member),
    )
    assert refused.status_code == 403
    ok = client.post(
        f"{ws}/escalations/{esc['id']}/acknowledge",
        {"note": "Chasing the photos", "by_date": "2026-03-03"},
        content_type="application/json",
        **_auth(team.manager),
    )
    assert ok.status_code == 200 and ok.json()["state"] == "acknowledged"
    raised = client.post(
        f"{ws}/campaigns/{campaign.pk}/risks",
        {"text": "Printer has not confirmed"},
        content_type="application/json",
        **_auth(team.member),
    )
    assert raised.status_code == 201 and raised.json()["source"] == "raised"
    assert client.get(f"{ws}/escalations?state=nope", **_auth(team.member)).status_code == 400
    assert client.get(f"{ws}/escalations", **_auth(team.client)).status_code == 403


@time_machine.travel(MONDAY, tick=False)
def test_pages_show_state_reasons_and_the_task_that_is_why(team: Team) -> None:
    campaign, task_id = _blocked(team)
    member = client_for(team.member)
    ws = team.workspace.slug
    page = member.get(f"/w/{ws}/campaigns/").content.decode()
    assert "Blocked" in page and "is blocked and on the critical path" in page
    page = member.get(f"/w/{ws}/campaigns/{campaign.pk}/").content.decode()
    assert 'id="health-h"' in page and team.admin.name in page and "can act" in page
    assert "On track" not in page  # the schedule's own callout does not contradict the health
    page = member.get(f"/w/{ws}/tasks/{task_id}/").content.decode()
    assert "This task is why" in page
    page = member.get(f"/w/{ws}/escalations/").content.decode()
    assert campaign.name in page and "Waiting for" in page  # the member cannot acknowledge
    assert client_for(team.freelancer).get(f"/w/{ws}/escalations/").status_code == 403


@time_machine.travel(MONDAY, tick=False)
def test_acknowledge_and_raise_on_the_pages(team: Team) -> None:
    campaign, task_id = _blocked(team)
    esc = Escalation.objects.get(campaign=campaign)
    ws = team.workspace.slug
    manager = client_for(team.manager)
    url = f"/w/{ws}/escalations/{esc.pk}/acknowledge/"
    bad = manager.post(url, {"note": "Chase", "by_date": "2026-02-01"})
    assert bad.status_code == 400 and "cannot be in the past" in bad.content.decode()
    assert manager.post(url, {"note": "Chase", "by_date": "2026-03-04"}).status_code == 302
    esc.refresh_from_db()
    assert esc.state == EscalationState.ACKNOWLEDGED and esc.ack_by_date == dt.date(2026, 3, 4)
    member = client_for(team.member)
    back = f"/w/{ws}/tasks/{task_id}/"
    r = member.post(
        f"/w/{ws}/campaigns/{campaign.pk}/risks/",
        {"text": "Late files", "task": task_id, "next": back},
    )
    assert r.status_code == 302 and r["Location"] == back
    assert Escalation.objects.filter(source="raised", task_id=task_id).count() == 1
    empty = member.post(f"/w/{ws}/campaigns/{campaign.pk}/risks/", {"text": ""})
    assert empty.status_code == 302
    assert Escalation.objects.filter(source="raised").count() == 1


def _list_queries(client: Client, ws: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/w/{ws}/campaigns/").status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel(MONDAY, tick=False)
def test_the_campaigns_list_reads_health_in_constant_queries(team: Team) -> None:
    for i in range(2):
        campaign_health_refresh(_plan(team, f"C{i}"), trials=50)
    client = client_for(team.member)
    # the first page of a visit stores the workspace in the session
    _list_queries(client, team.workspace.slug)
    few = _list_queries(client, team.workspace.slug)
    for i in range(2, 10):
        campaign_health_refresh(_plan(team, f"C{i}"), trials=50)
    assert _list_queries(client, team.workspace.slug) == few


def test_the_forecasts_critical_tasks_are_listed_in_plan_order_once() -> None:
    from types import SimpleNamespace

    from headway.planning.views.campaigns import _forecast_critical

    tasks = [SimpleNamespace(pk=n) for n in (5, 3, 9)]
    health = SimpleNamespace(forecast=SimpleNamespace(critical_task_ids=[9, 5, 42]))
    assert [t.pk for t in _forecast_critical(health, tasks)] == [5, 9]  # type: ignore[arg-type]
    assert _forecast_critical(None, tasks) == []  # type: ignore[arg-type]
