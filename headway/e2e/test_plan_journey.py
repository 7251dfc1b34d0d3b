"""Journey J1: a manager plans a product launch from a template, dated backward from a
launch date six weeks out, assigns owners and adds a third-party go-live condition."""

from __future__ import annotations

import datetime as dt

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.planning.models import Campaign, GoLiveCondition, Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_j1_plan_a_launch_from_a_template(page) -> None:  # type: ignore[no-untyped-def]
    team = make_team("j1", "Juniper Tea")
    log_in(page, team.manager.email)

    # given a launch six weeks out, from the product launch template
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="New campaign").first.click()
    page.get_by_label("Template", exact=True).select_option(label="Product launch")
    page.get_by_label("Name").first.fill("Matcha launch")
    launch = dt.date.today() + dt.timedelta(weeks=6)
    page.get_by_label("Launch date").first.fill(launch.isoformat())
    page.get_by_role("button", name="Create and schedule").click()

    # then the plan is dated backward, the critical path is drawn and feasibility is stated
    page.wait_for_url("**/campaigns/*/")
    assert page.get_by_role("heading", name="Matcha launch").is_visible()
    assert page.locator(".callout").filter(has_text="Schedule fits").is_visible()
    assert page.locator("svg.gantt .crit .bar").count() >= 5
    campaign = Campaign.objects.get(name="Matcha launch")
    assert campaign.short_by == 0
    assert (Task.objects.get(campaign=campaign, kind="launch").start_date or launch) <= launch

    # and a launch date too early says by how much
    page.get_by_role("link", name="Edit brief").click()
    early = dt.date.today() + dt.timedelta(weeks=3)
    page.get_by_label("Launch date").fill(early.isoformat())
    page.get_by_role("button", name="Save brief").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/")
    campaign.refresh_from_db()
    assert campaign.short_by > 0
    assert page.get_by_text(f"{campaign.short_by} working days short").is_visible()

    # when the manager assigns one owner per task, in place
    tasks = list(Task.objects.filter(campaign=campaign, kind="task").order_by("position"))
    for task in tasks:
        row = page.locator(f"#task-{task.pk}")
        row.get_by_label(f"Owner of {task.title}").select_option(label=team.member.name)
        row.get_by_role("button", name="Assign").click()
        page.locator(f"#task-{task.pk} .saved").wait_for()
    assert not Task.objects.filter(campaign=campaign, kind="task", owner__isnull=True).exists()
    page.reload()
    assert page.locator(".badge-warn", has_text="unowned").count() == 0

    # and adds a go-live condition owned by the freelancer
    page.get_by_text("Add a go-live condition").click()
    page.get_by_label("What must be true").fill("Music licence cleared")
    page.get_by_label("Kind").select_option("rights")
    page.get_by_label("Party").select_option("third_party")
    page.get_by_label("Owner", exact=True).select_option(label=team.freelancer.name)
    page.get_by_label("Lead time (working days)").fill("10")
    page.get_by_role("button", name="Add condition").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/#readiness")
    readiness = page.locator("#readiness")
    assert readiness.get_by_role("cell", name="Music licence cleared").is_visible()
    cond = GoLiveCondition.objects.get(campaign=campaign, title="Music licence cleared")
    assert cond.owner == team.freelancer and cond.party == "third_party"

    # and marking it met updates readiness in place
    row = readiness.get_by_role("row").filter(has_text="Music licence cleared")
    row.get_by_role("button", name="Mark met").click()
    readiness.get_by_role("row").filter(has_text="Music licence cleared").locator(
        ".badge-ok"
    ).wait_for()
    cond.refresh_from_db()
    assert cond.is_met
    assert page.csp_problems == [], page.csp_problems


def test_board_moves_a_card_by_keyboard_and_by_dragging(page) -> None:  # type: ignore[no-untyped-def]
    from headway.planning.tests.factories import chain

    team = make_team("kb2", "Board Co")
    _, tasks = chain(team)
    Task.objects.filter(pk__in=[tasks[0].pk, tasks[1].pk]).update(owner=team.member)
    log_in(page, team.member.email)
    page.get_by_role("link", name="Board", exact=True).click()

    select = page.get_by_label("Move Step 1 to")
    select.focus()
    select.select_option("in_progress")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(f'[data-status="in_progress"] [data-task="{tasks[0].pk}"]').wait_for()

    card = page.locator(f'[data-task="{tasks[1].pk}"]')
    card.drag_to(page.locator('[data-status="in_review"]'))
    # Step 1 is still in progress: the board asks before Step 2 moves on, naming it.
    confirm = page.locator("[data-confirm]")
    confirm.wait_for()
    assert "Step 1" in confirm.inner_text()
    assert Task.objects.get(pk=tasks[1].pk).status == "not_started"
    confirm.locator("button[type=submit]").click()
    page.locator(f'[data-status="in_review"] [data-task="{tasks[1].pk}"]').wait_for()
    assert Task.objects.get(pk=tasks[1].pk).status == "in_review"
    assert page.csp_problems == [], page.csp_problems
