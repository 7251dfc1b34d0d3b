"""Stored health read back for pages: views with owners resolved, in constant queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from headway.conftest import Team
from headway.insights.models import CampaignHealth, HealthState
from headway.insights.selectors.health import ForecastView, campaign_health_map
from headway.planning.services.campaigns import campaign_create

pytestmark = pytest.mark.django_db


def _store(team: Team, n: int) -> list[int]:
    ids = []
    now = timezone.now()
    for i in range(n):
        c = campaign_create(
            actor=team.manager, workspace=team.workspace, name=f"C{i}", launch_date=None
        )
        CampaignHealth.objects.create(
            workspace=team.workspace,
            campaign=c,
            state=HealthState.AT_RISK,
            reasons=[
                {
                    "code": "unowned_soon",
                    "text": f"Reason {i}",
                    "owner_id": team.member.pk if i % 2 else team.manager.pk,
                    "object": {"kind": "task", "id": 7, "url": "/x"},
                }
            ],
            since=now,
            computed_at=now,
        )
        ids.append(c.pk)
    return ids


def _queries(team: Team) -> int:
    with CaptureQueriesContext(connection) as ctx:
        views = campaign_health_map(team.workspace)
        for v in views.values():
            assert v.reasons[0].owner is not None
    return len(ctx.captured_queries)


def test_health_map_resolves_owners_in_constant_queries(team: Team) -> None:
    _store(team, 2)
    few = _queries(team)
    _store(team, 8)
    assert _queries(team) == few == 2
    views = campaign_health_map(team.workspace)
    assert len(views) == 10
    one = next(iter(views.values()))
    assert one.state_label == "At risk"
    assert one.reason_for_task(7) is not None and one.reason_for_task(8) is None
    assert one.as_api()["reasons"][0]["object"] == {"kind": "task", "id": 7, "url": "/x"}


def test_forecast_sentence() -> None:
    f = ForecastView(
        p_on_time=0.724,
        p50_date=dt.date(2026, 12, 11),
        p85_date=dt.date(2026, 12, 18),
        launch_date=dt.date(2026, 12, 14),
        basis="from the team's 64 finished tasks",
        trials=10000,
        critical_task_ids=[],
    )
    assert (
        f.sentence == "72% to launch by 14 Dec; 85% by 18 Dec — from the team's 64 finished tasks"
    )
    # when the launch date already has 85%, the earlier 85% date adds nothing
    sure = replace(f, p_on_time=0.97, p85_date=dt.date(2026, 12, 10))
    assert sure.headline == "97% to launch by 14 Dec"


def test_forecast_without_a_launch_date_says_so_and_when_the_work_ends() -> None:
    # the demo's "Care guide blog series" read "85% by 27 Nov", as if it had a date to meet
    f = ForecastView(
        p_on_time=None,
        p50_date=dt.date(2026, 11, 25),
        p85_date=dt.date(2026, 11, 27),
        launch_date=None,
        basis="from the team's 64 finished tasks",
        trials=10000,
        critical_task_ids=[],
    )
    assert f.sentence == (
        "No launch date set; the work ends by 27 Nov in 85% of trials"
        " — from the team's 64 finished tasks"
    )
    assert replace(f, blocked=1).headline.endswith(
        "in 85% of trials if the blocked task resumes today"
    )
