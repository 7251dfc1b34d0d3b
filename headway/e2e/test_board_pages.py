"""The board at real size in a browser: a column of more than one page of cards shows more
through htmx, and a card from its second page moves to another column by dragging and by
the keyboard, as the first page's cards do."""

from __future__ import annotations

import datetime as dt

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.planning.models import Task, TaskStatus
from headway.planning.selectors import BOARD_PAGE
from headway.planning.services.campaigns import campaign_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_card_from_the_second_page_moves_by_drag_and_by_keyboard(page) -> None:  # type: ignore[no-untyped-def]
    team = make_team("bp", "Board Pages Co")
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Big launch")
    day = dt.date.today()
    tasks = Task.objects.bulk_create(
        Task(
            workspace=team.workspace,
            campaign=campaign,
            title=f"Card {k:03d}",
            position=k,
            owner=team.member,
            due_date=day + dt.timedelta(days=k),
        )
        for k in range(BOARD_PAGE + 20)
    )
    page.set_default_timeout(30_000)  # a busy machine; nothing here is timed
    log_in(page, team.member.email)
    page.goto(f"/w/{team.workspace.slug}/board/")
    waiting = page.locator('[data-status="not_started"]')
    assert waiting.locator("[data-task]").count() == BOARD_PAGE
    assert "70" in waiting.locator("h2").inner_text()

    # the second page comes in through htmx, under the first
    waiting.get_by_role("link", name="Show more").click()
    dragged, keyed = tasks[BOARD_PAGE + 5], tasks[BOARD_PAGE + 12]
    card = waiting.locator(f'[data-task="{dragged.pk}"]')
    card.wait_for()
    assert waiting.locator("[data-task]").count() == BOARD_PAGE + 20
    assert waiting.get_by_role("link", name="Show more").count() == 0

    # dragging a card of the second page moves it
    card.drag_to(page.locator('[data-status="in_progress"]'))
    page.locator(f'[data-status="in_progress"] [data-task="{dragged.pk}"]').wait_for()
    assert Task.objects.get(pk=dragged.pk).status == TaskStatus.IN_PROGRESS

    # and so does the keyboard's Move menu, after showing more again
    page.locator('[data-status="not_started"]').get_by_role("link", name="Show more").click()
    select = page.get_by_label(f"Move {keyed.title} to")
    select.focus()
    select.select_option("in_review")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(f'[data-status="in_review"] [data-task="{keyed.pk}"]').wait_for()
    assert Task.objects.get(pk=keyed.pk).status == TaskStatus.IN_REVIEW
    assert "68" in page.locator('[data-status="not_started"] h2').inner_text()
    assert page.csp_problems == [], page.csp_problems
