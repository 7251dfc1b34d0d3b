"""The crunch's table reads each launch against its launch record: "planned 2 Mar 2026,
launched 4 Mar 2026 (2 working days late)" on the page, the days and the delay in the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine

from headway.conftest import Team, client_for
from headway.insights.tests.test_crunch_page import PLAN, _crunch
from headway.insights.tests.test_crunch_scorecard import UTC, launch
from headway.insights.views import crunch as view
from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_create, campaign_set_status
from headway.planning.services.tasks import task_create

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def test_the_table_says_when_each_launch_was_planned_and_went_out(team: Team) -> None:
    # given: "Late" briefed for Monday 2 March went out Wednesday 4 March (the helper
    # launches on the brief's day, so the brief is moved first); "Prompt" went out as planned
    early = dt.date(2026, 2, 23)
    launch(team, "Prompt", dt.date(2026, 3, 9), [early, early])
    with time_machine.travel(dt.datetime(2026, 2, 1, 10, tzinfo=UTC), tick=False):
        late = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Late",
            launch_date=dt.date(2026, 3, 2),
        )
        task_create(actor=team.manager, campaign=late, title="Late 0", owner=team.member.pk)
        task_create(actor=team.manager, campaign=late, title="Late 1", owner=team.member.pk)
        campaign_set_status(actor=team.manager, campaign=late, status="in_progress")
    with time_machine.travel(dt.datetime(2026, 3, 4, 16, tzinfo=UTC), tick=False):
        campaign_set_status(
            actor=team.manager, campaign=Campaign.objects.get(pk=late.pk), status="launched"
        )
    # when
    client = client_for(team.manager)
    with time_machine.travel(dt.datetime(2026, 3, 20, tzinfo=UTC), tick=False):
        page = client.get(f"/w/{team.workspace.slug}/crunch/").content.decode()
        got = client.get(f"/w/{team.workspace.slug}/crunch/?csv=launches").content.decode()
    # then: the page's table says it in words
    table = page[page.index("per launch</caption>") :]
    table = table[: table.index("</table>")]
    assert (
        f"<td>planned 2{NBSP}Mar 2026, launched 4{NBSP}Mar 2026 (2 working days late)</td>" in table
    ), table
    assert f"<td>launched 9{NBSP}Mar 2026, as planned</td>" in table
    assert ">planned launch<" not in table
    # the CSV keeps the days and the delay in columns of their own
    rows = {r["campaign"]: r for r in csv.DictReader(io.StringIO(got))}
    assert rows["Late"]["launch"] == "2026-03-04"
    assert rows["Late"]["planned launch"] == "2026-03-02"
    assert rows["Late"]["working days late"] == "2"
    assert rows["Prompt"]["working days late"] == "0"


# "Other crunches" under a recurring channel's banner ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("older", "heading"),
    [(True, "Older crunches and other channels"), (False, "Other crunches")],
)
def test_the_other_crunches_heading_says_when_it_holds_older_launches_of_the_channel(
    team: Team, monkeypatch: pytest.MonkeyPatch, older: bool, heading: str
) -> None:
    plan = [("Organic 0", "Organic social", True), *PLAN] if older else PLAN
    monkeypatch.setattr(view, "crunch_for", lambda *a, **k: _crunch(plan))
    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/crunch/").text
    others = page.split("A recurring crunch in Organic social")[1]
    assert f'<h2 id="piled-h">{heading}</h2>' in others
    # the older organic crunch is listed there, apart from the five its banner counts
    assert ("<h3>Organic 0 <small" in others.split('id="piled-h"')[1]) is older
