"""Journey J3: the social media coordinator will be away two weeks. The manager enters the
time off, sees what slips and who could cover, hands the task over, and the launch stays."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from headway.capacity.services import capacity_set
from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.planning.models import Campaign, Task, TimeOff
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_j3_cover_for_two_weeks_off(page) -> None:  # type: ignore[no-untyped-def]
    # given a campaign under way whose social posts the member owns, and an admin who also
    # does social work
    team = make_team("j3", "Juniper Tea")
    campaign = campaign_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Summer social",
        launch_date=dt.date.today() + dt.timedelta(days=40),
        status="in_progress",
    )
    steps = [
        task_create(actor=team.manager, campaign=campaign, title="Brief", duration_days=2,
                    owner=team.manager.pk),
        task_create(actor=team.manager, campaign=campaign, title="Social posts", duration_days=3,
                    owner=team.member.pk, role_needed="social"),
        task_create(actor=team.manager, campaign=campaign, title="Go live", kind="launch"),
    ]  # fmt: skip
    for a, b in itertools.pairwise(steps):
        dependency_add(actor=team.manager, predecessor=a, successor=b)
    for who in (team.member, team.admin):
        capacity_set(
            actor=team.manager, workspace=team.workspace, user_id=who.pk,
            weekly_hours=32, weekdays=[0, 1, 2, 3, 4], skill="social",
        )  # fmt: skip
    campaign.refresh_from_db()
    launch_before = campaign.projected_launch
    posts = Task.objects.get(title="Social posts")
    assert posts.start_date is not None and launch_before is not None
    first, last = posts.start_date, posts.start_date + dt.timedelta(days=13)

    # when the manager enters the member's two weeks off
    page.set_default_timeout(30_000)  # the preview schedules plans; shared CI machines are slow
    log_in(page, team.manager.email)
    page.get_by_role("link", name="Time off").click()
    page.get_by_label("Who", exact=True).select_option(label=team.member.name)
    page.get_by_label("First day").fill(first.isoformat())
    page.get_by_label("Last day").fill(last.isoformat())
    page.get_by_role("button", name="Preview what it moves").click()

    # then the preview shows the slip, the launch that moves and the proposed cover
    page.wait_for_url("**/capacity/cover/")
    task = page.locator(f".cover-task[data-task='{posts.pk}']")
    assert task.get_by_text("slips").is_visible()
    assert page.locator(f"[data-launch='{campaign.pk}'] .badge-crit").is_visible()
    assert (
        task.locator(".candidate")
        .first.get_by_role("cell", name=team.admin.name, exact=True)
        .is_visible()
    )
    assert task.locator(".candidate").first.get_by_text("on its date").is_visible()
    assert not TimeOff.objects.exists()  # a preview stores nothing

    # when the manager reassigns to the proposed cover
    task.get_by_role("button", name=f"Reassign to {team.admin.name}").click()
    page.wait_for_url("**/capacity/cover/?*")
    assert page.get_by_text(f"{team.admin.name} now owns “Social posts”").is_visible()
    assert page.get_by_text("Nothing moves").is_visible()
    assert Task.objects.get(pk=posts.pk).owner_id == team.admin.pk

    # and saves the time off
    page.get_by_role("button", name="Save the time off").click()
    page.wait_for_url("**/time-off/")
    assert TimeOff.objects.filter(user=team.member, first_day=first, last_day=last).exists()
    # then the launch is back on (stays at) its date
    assert Campaign.objects.get(pk=campaign.pk).projected_launch == launch_before
    assert not page.csp_problems
