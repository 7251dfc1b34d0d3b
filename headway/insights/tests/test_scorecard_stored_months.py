"""A chosen period's scorecard reads the whole months the background job stored (figures
computed per month, ~0.3 s each on a big log) and gives what computing them now gives; the
page and the API say when they were computed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.conftest import Team, client_for
from headway.insights.selectors.rollups import scorecard_period_figures
from headway.insights.selectors.scorecard import scorecard_for
from headway.insights.services.rollups import diagnosis_rollups_refresh
from headway.insights.tests.test_crunch_scorecard import UTC, launch

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 12, 9, tzinfo=UTC)


def _history(team: Team) -> None:
    launch(team, "May", dt.date(2026, 5, 20), [dt.date(2026, 5, 4), dt.date(2026, 5, 19)])
    launch(team, "Aug", dt.date(2026, 8, 14), [dt.date(2026, 8, 3), dt.date(2026, 8, 5)])
    launch(team, "Oct", dt.date(2026, 10, 9), [dt.date(2026, 10, 8), dt.date(2026, 10, 8)])


def _scores(card) -> list[tuple[str, int | None, list]]:  # type: ignore[no-untyped-def]
    return [(g.key, g.score, g.trend) for g in card.gaps]


def test_a_periods_scorecard_reads_the_stored_months_and_equals_the_direct_one(
    team: Team,
) -> None:
    _history(team)
    start, end = dt.date(2026, 1, 1), dt.date(2026, 11, 12)
    with time_machine.travel(NOW, tick=False):
        direct = scorecard_for(team.workspace, end, start=start)
        before = scorecard_period_figures(team.workspace, end, start)
        assert before.computed_at is None  # nothing stored yet: computed now
        assert "scorecard_months" in diagnosis_rollups_refresh(team.workspace)
        with CaptureQueriesContext(connection) as stored_reads:
            stored = scorecard_period_figures(team.workspace, end, start)
        with CaptureQueriesContext(connection) as direct_reads:
            scorecard_for(team.workspace, end, start=start)
    assert stored.computed_at == NOW and not stored.behind
    assert _scores(stored.result) == _scores(direct) == _scores(before.result)
    assert stored.result.month == direct.month == dt.date(2026, 10, 1)
    # ten whole months read from one row; only November is computed for the request
    assert len(stored_reads) * 4 < len(direct_reads)


def test_the_period_page_and_api_say_the_months_were_computed_in_the_background(
    team: Team,
) -> None:
    _history(team)
    slug = team.workspace.slug
    query = "?from=2026-01-01&to=2026-11-12"
    with time_machine.travel(NOW, tick=False):
        diagnosis_rollups_refresh(team.workspace)
        page = client_for(team.manager).get(f"/w/{slug}/scorecard/{query}")
        api = client_for(team.manager).get(f"/api/v1/workspaces/{slug}/scorecard{query}")
    assert page.status_code == 200 and api.status_code == 200
    assert "Figures computed in the background" in page.content.decode()
    assert api.json()["computed_at"] is not None
    assert api.json()["start"] == "2026-01-01"


def test_the_month_computed_now_is_kept_until_new_activity(team: Team) -> None:
    from headway.planning.services.campaigns import campaign_create

    _history(team)
    start, end = dt.date(2026, 9, 1), dt.date(2026, 11, 12)
    with time_machine.travel(NOW, tick=False):
        diagnosis_rollups_refresh(team.workspace)
        first = scorecard_period_figures(team.workspace, end, start).result
        with CaptureQueriesContext(connection) as again:
            assert scorecard_period_figures(team.workspace, end, start).result is first
        campaign_create(
            actor=team.manager, workspace=team.workspace, name="Nov", launch_date=end
        )  # this month's first campaign, not from a template: workflows measured at 0
        after = scorecard_period_figures(team.workspace, end, start).result
    assert len(again) <= 3  # the stored months' row, the newest event: nothing recomputed
    november = {g.key: g.trend[-1] for g in after.gaps}
    assert {g.key: g.trend[-1] for g in first.gaps}["workflows"] == (dt.date(2026, 11, 1), None)
    assert november["workflows"] == (dt.date(2026, 11, 1), 0)
