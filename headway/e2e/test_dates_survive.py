"""Saved dates survive an edit in a real browser: a brief and a task saved without touching
their dates keep them. Only a browser shows this, since it drops a date input's value that is
not ISO (the en-gb 14/12/2026 of a localised widget) and then posts it empty."""

from __future__ import annotations

import datetime as dt

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.planning.models import Campaign, Task
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.tasks import task_create, task_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_brief_and_task_keep_their_dates_when_saved(page) -> None:  # type: ignore[no-untyped-def]
    # given a campaign with a launch date whose day is past 12, and a task that may not start
    # before a given day
    team = make_team("h1d", "Dated Goods")
    today = team.workspace.today()
    launch = today + dt.timedelta(days=90)
    while launch.day <= 12:  # a day-first date could otherwise pass for an ISO month
        launch += dt.timedelta(days=1)
    campaign = campaign_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Winter range",
        objective="Sell the winter range.",
        launch_date=launch,
    )
    task = task_create(actor=team.manager, campaign=campaign, title="Brief the studio")
    not_before = today + dt.timedelta(days=20)
    task_update(actor=team.manager, task=task, version=task.version, not_before=not_before)
    ws = team.workspace.slug
    log_in(page, team.manager.email)

    # when the brief is edited elsewhere and saved
    page.goto(f"/w/{ws}/campaigns/{campaign.pk}/edit/")
    assert page.get_by_label("Launch date").input_value() == launch.isoformat()
    page.get_by_label("Objective").fill("Sell the winter range before the sales.")
    page.get_by_role("button", name="Save brief").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/")

    # then the launch date is still there, in the database and on the page
    campaign.refresh_from_db()
    assert campaign.objective == "Sell the winter range before the sales."
    assert campaign.launch_date == launch
    page.goto(f"/w/{ws}/campaigns/{campaign.pk}/edit/")
    assert page.get_by_label("Launch date").input_value() == launch.isoformat()

    # when the task is renamed and saved
    page.goto(f"/w/{ws}/tasks/{task.pk}/")
    assert page.get_by_label("Start no earlier than").input_value() == not_before.isoformat()
    page.get_by_label("Title").fill("Brief the design studio")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()

    # then its start-no-earlier-than date is kept
    saved = Task.objects.get(pk=task.pk)
    assert saved.title == "Brief the design studio"
    assert saved.not_before == not_before
    page.goto(f"/w/{ws}/tasks/{task.pk}/")
    assert page.get_by_label("Start no earlier than").input_value() == not_before.isoformat()
    assert Campaign.objects.get(pk=campaign.pk).launch_date == launch
    assert not page.csp_problems
