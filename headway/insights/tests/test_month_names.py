"""Month tables name their months ("Feb 2026", on one line) where they read "2026-02",
which wrapped on a phone; the scorecard's CSV keeps ISO months."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from headway.conftest import Team, client_for
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.tasks import task_create
from headway.results.tests.test_underperformers import _url, march  # noqa: F401

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")
NBSP = "\u00a0"


def test_the_scorecard_table_names_its_months_and_its_csv_keeps_iso(team: Team) -> None:
    with time_machine.travel(dt.datetime(2026, 2, 10, 10, tzinfo=UTC), tick=False):
        campaign = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Feb",
            launch_date=dt.date(2026, 2, 27),
        )
        task_create(actor=team.manager, campaign=campaign, title="A", owner=team.member.pk)
    client = client_for(team.manager)
    with time_machine.travel(dt.datetime(2026, 3, 12, tzinfo=UTC), tick=False):
        page = client.get(f"/w/{team.workspace.slug}/scorecard/").content.decode()
        csv = client.get(f"/w/{team.workspace.slug}/scorecard/?csv=scores").content.decode()
    table = page[page.index("Scores month by month</caption>") :]
    table = table[: table.index("</table>")]
    assert f"<td>Feb{NBSP}2026</td>" in table
    assert "2026-02" not in table
    lines = csv.splitlines()
    assert lines[0].startswith("month,")
    assert any(line.startswith("2026-02,") for line in lines[1:]), lines


def test_the_results_by_month_table_names_its_months(march: Team) -> None:  # noqa: F811
    page = client_for(march.manager).get(_url(march, "?month=2026-03")).content.decode()
    table = page[page.index("Results by month, oldest first") :]
    table = table[: table.index("</table>")]
    assert f"<td>Mar{NBSP}2026</td>" in table
    assert "<td>2026-03</td>" not in table
