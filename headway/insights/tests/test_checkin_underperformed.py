"""The check-in's folded "Underperformed last month": campaigns below their brief's targets or
their channel's return in the month before the meeting, with what they missed and how they
were run (the results app's underperformers), on their owner, linking to that month's
results."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from headway.conftest import Team, client_for
from headway.insights.selectors.checkins import last_month
from headway.results.tests.test_underperformers import EXPECTED
from headway.results.tests.test_underperformers import march as march

pytestmark = pytest.mark.django_db

IN_APRIL = dt.datetime(2026, 4, 6, 9, 30, tzinfo=dt.UTC)


def test_last_month_is_the_month_before_todays() -> None:
    assert last_month(dt.date(2026, 4, 6)) == dt.date(2026, 3, 1)
    assert last_month(dt.date(2026, 1, 31)) == dt.date(2025, 12, 1)


def test_aprils_checkin_lists_marchs_underperformer_folded(march: Team) -> None:
    client = client_for(march.manager)
    ws = march.workspace.slug
    with time_machine.travel(IN_APRIL, tick=False):
        body = client.get(f"/api/v1/workspaces/{ws}/checkins/current").json()
        page = client.get(reverse("insights:checkin-current", kwargs={"ws": ws})).text
    section = next(s for s in body["sections"] if s["key"] == "underperformed")
    assert section["title"] == "Underperformed last month"
    [item] = section["items"]
    assert item["text"].startswith("Spring Launch underperformed in March")
    assert item["detail"] == EXPECTED.format(owner=march.owner.name)
    assert item["object"]["url"] == f"/w/{ws}/results/?month=2026-03"
    # folded: the section opens on a summary, its items inside
    folded = page.split('id="section-underperformed"')[1].split("</section>")[0]
    assert "<summary>Show 1</summary>" in folded and "Spring Launch underperformed" in folded


def test_a_month_without_underperformers_says_so(march: Team) -> None:
    client = client_for(march.manager)
    with time_machine.travel(IN_APRIL + dt.timedelta(days=31), tick=False):
        body = client.get(f"/api/v1/workspaces/{march.workspace.slug}/checkins/current").json()
        page = client.get(
            reverse("insights:checkin-current", kwargs={"ws": march.workspace.slug})
        ).text
    section = next(s for s in body["sections"] if s["key"] == "underperformed")
    assert section["items"] == []
    assert (
        "No campaign fell short of its targets or its channel&#x27;s return in April 2026" in page
    )
