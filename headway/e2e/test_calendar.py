"""The publishing calendar: a piece dragged onto another day moves there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from headway.conftest import PASSWORD, make_team
from headway.planning.services.campaigns import channels_ensure
from headway.publishing.models import ContentPiece
from headway.publishing.services import piece_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drag_a_piece_to_another_day(page) -> None:  # type: ignore[no-untyped-def]
    team = make_team("cal", "Calendar Co")
    blog = next(c for c in channels_ensure(team.workspace) if c.key == "blog")
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    piece = piece_create(
        actor=team.manager,
        workspace=team.workspace,
        title="Care guide",
        kind="blog_post",
        channel=blog.pk,
        stage="drafting",
        owner=team.member.pk,
        publish_at=dt.datetime.combine(monday, dt.time(9), dt.UTC),
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(team.manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/w/**")
    page.goto(f"/w/{team.workspace.slug}/calendar/?view=week")
    target = monday + dt.timedelta(days=3)
    page.locator(f'[data-piece="{piece.pk}"]').drag_to(
        page.locator(f'[data-day="{target:%Y-%m-%d}"]')
    )
    page.get_by_text("moved to").wait_for()
    moved = ContentPiece.objects.get(pk=piece.pk)
    assert moved.publish_at is not None and moved.publish_at.date() == target
    assert page.csp_problems == [], page.csp_problems


def test_drag_a_launch_and_confirm(page) -> None:  # type: ignore[no-untyped-def]
    from headway.planning.models import Campaign
    from headway.planning.tests.factories import chain

    team = make_team("cal2", "Launch Co")
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    launch = monday + dt.timedelta(days=14 + 2)  # Wednesday in two weeks
    campaign, _ = chain(team, launch=launch)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(team.manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/w/**")
    page.goto(f"/w/{team.workspace.slug}/calendar/?view=week&week={launch:%Y-%m-%d}")
    target = launch + dt.timedelta(days=2)
    page.locator(f'[data-launch="{campaign.pk}"]').drag_to(
        page.locator(f'[data-day="{target:%Y-%m-%d}"]')
    )
    page.get_by_role("heading", name="Move the launch of Spring launch?").wait_for()
    page.get_by_role("button", name="Move the launch").click()
    page.get_by_text("The launch of Spring launch is now").wait_for()
    assert Campaign.objects.get(pk=campaign.pk).launch_date == target
    assert page.csp_problems == [], page.csp_problems
