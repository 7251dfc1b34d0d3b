"""The flow page's view keeps what it drew for the same inputs: the charts (specification
and table HTML) for the same figures, the filter selects for the same choices and value;
the cumulative flow's daily table is made only for its CSV."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.template.loader import render_to_string

from headway.conftest import Team, client_for
from headway.core.widgets import OnePassSelect
from headway.insights import charts
from headway.insights.selectors.flow import flow_for, period_for
from headway.insights.tests.test_flow import NOW, history
from headway.insights.views import flow as views
from headway.planning.services.campaigns import campaign_create

pytestmark = pytest.mark.django_db


def _count_specs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    real = charts._spec

    def counting(chart: Any, title: str) -> dict[str, Any]:
        made.append(title)
        return real(chart, title)

    monkeypatch.setattr(charts, "_spec", counting)
    return made


def test_flow_charts_are_built_once_for_the_same_figures(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    history(team, n=2)
    views._kept.clear()
    made = _count_specs(monkeypatch)
    march = period_for(team.workspace, dt.date(2026, 2, 1), dt.date(2026, 3, 20))
    result = flow_for(team.workspace, march, now=NOW)
    # when
    first = views.flow_charts(result)
    again = views.flow_charts(flow_for(team.workspace, march, now=NOW))
    # then: four specifications built once; the same figures computed again reuse them
    assert len(made) == 4
    assert [c.spec for c in again] == [c.spec for c in first]
    assert [c.table for c in again] == [c.table for c in first]
    for chart in first:
        assert chart.table_html == render_to_string("insights/table.html", {"table": chart.table})
        assert chart.table.title in chart.table_html
    # other figures (a shorter period: fewer weeks, other counts) are other charts
    february = period_for(team.workspace, dt.date(2026, 2, 1), dt.date(2026, 3, 9))
    other = views.flow_charts(flow_for(team.workspace, february, now=NOW))
    assert len(made) == 8
    assert [c.table.rows for c in other] != [c.table.rows for c in first]


def test_kept_charts_forget_the_oldest(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    views._kept.clear()
    monkeypatch.setattr(views, "KEEP_CHARTS", 2)
    tables = [charts.Table("t", "Things", ["name", "n"], [("a", k)]) for k in (1, 2, 3)]
    for table in tables:
        views.kept_charts([(charts.bars, table, {"x": "name", "y": "n", "description": ""})])
    assert len(views._kept) == 2
    made = _count_specs(monkeypatch)
    views.kept_charts([(charts.bars, tables[0], {"x": "name", "y": "n", "description": ""})])
    views.kept_charts([(charts.bars, tables[2], {"x": "name", "y": "n", "description": ""})])
    assert made == ["Things"]  # the first was forgotten, the last kept


def _without_tokens(html: bytes) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html.decode())


def test_the_page_is_the_same_drawn_or_kept_and_the_daily_table_only_for_its_csv(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    history(team, n=2)
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/flow/?from=2026-02-01&to=2026-03-20"
    daily: list[object] = []
    real = views.cumulative_table

    def counting(result: Any) -> charts.Table:
        daily.append(result)
        return real(result)

    monkeypatch.setattr(views, "cumulative_table", counting)
    views._kept.clear()
    views.KeptSelect._drawn.clear()
    with time_machine.travel(NOW, tick=False):
        drawn = client.get(url)
        kept = client.get(url)
        assert daily == []
        csv = client.get(url + "&csv=cumulative-flow")
        weekly = client.get(url + "&csv=throughput")
    assert _without_tokens(kept.content) == _without_tokens(drawn.content)
    html = drawn.content.decode()
    assert "Tasks finished per week" in html
    assert html.count('<table class="table">') == 5  # percentiles and each chart's
    assert len(daily) == 1
    lines = csv.content.decode().splitlines()
    assert lines[0] == "day,status,tasks" and len(lines) > 40  # every day since February
    assert weekly.content.decode().splitlines()[0] == "week,finished"


def test_the_filter_select_is_drawn_once_per_choices_and_value(team: Team) -> None:
    views.KeptSelect._drawn.clear()
    choices = [("", "All campaigns"), (3, "Launch <b>"), (4, "Spring")]
    plain = OnePassSelect(choices=choices)
    kept = views.KeptSelect(choices=views.FlatChoices(choices))
    # then: the same markup as the plain select, escaped, for each value
    for value in (None, 3, 4):
        assert kept.render("campaign", value) == plain.render("campaign", value)
    assert '<option value="4" selected>Spring</option>' in kept.render("campaign", 4)
    assert "Launch &lt;b&gt;" in kept.render("campaign", 3)
    assert len(views.KeptSelect._drawn) == 3
    # other choices (a campaign added) are drawn again
    more = views.KeptSelect(choices=views.FlatChoices([*choices, (5, "Summer")]))
    assert '<option value="5">Summer</option>' in more.render("campaign", 4)


def test_the_period_form_checks_filters_against_the_workspaces_choices(team: Team) -> None:
    with time_machine.travel(NOW, tick=False):
        mine = campaign_create(
            actor=team.manager, workspace=team.workspace, name="Mine", launch_date=None
        )
        client = client_for(team.manager)
        url = f"/w/{team.workspace.slug}/flow/"
        chosen = client.get(f"{url}?campaign={mine.pk}").content.decode()
        unknown = client.get(f"{url}?campaign={mine.pk + 1000}").content.decode()
    assert f'<option value="{mine.pk}" selected>Mine</option>' in chosen
    assert "campaign “Mine”" in chosen
    assert "Select a valid choice" in unknown


def test_the_flow_api_answers_flowout_as_ninja_renders_it(team: Team) -> None:
    from headway.api.root import api
    from headway.insights.api.flow import FlowOut
    from headway.planning.models import TaskStatus
    from headway.planning.services.tasks import task_create, task_set_status

    tasks = history(team, n=2)
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, tzinfo=dt.UTC), tick=False):
        late = task_create(
            actor=team.manager,
            campaign=tasks[0].campaign,
            title="Late <copy>",
            owner=team.member.pk,
        )
        task_set_status(actor=team.manager, task=late, status=TaskStatus.IN_PROGRESS)
    client = client_for(team.manager)
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            f"/api/v1/workspaces/{team.workspace.slug}/flow?from=2026-02-01&to=2026-03-20"
        )
    assert response.status_code == 200
    assert response["Content-Type"] == api.get_content_type()
    body = response.json()
    assert body["finished"] == 4 and body["work_in_progress"][0]["title"] == "Late <copy>"
    assert body["cumulative_flow"] and body["throughput_per_week"]
    # then: the schema's answer, field for field and in its order, rendered as ninja does
    model = FlowOut.model_validate(body)
    assert list(model.model_dump(mode="json")) == list(body)
    assert model.model_dump(mode="json") == body
    rendered = api.renderer.render(None, model.model_dump(), response_status=200)  # type: ignore[arg-type]
    assert response.content == (rendered if isinstance(rendered, bytes) else rendered.encode())
