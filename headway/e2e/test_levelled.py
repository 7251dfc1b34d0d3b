"""The load page's levelled section in a browser: htmx loads it after the grid, and it says
which launch moves and whom its work waits for."""

from __future__ import annotations

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.planning.models import Task
from headway.planning.services.tasks import task_update
from headway.planning.tests.factories import chain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_load_page_shows_what_would_move(page) -> None:  # type: ignore[no-untyped-def]
    # given two campaigns whose tasks the member works full days at the same time
    team = make_team("lv", "Larch Studio")
    for name, days in (("Spring launch", 3), ("Newsletter", 2)):
        _, tasks = chain(team, name, days)
        task = Task.objects.get(pk=tasks[0].pk)
        task_update(
            actor=team.manager, task=task, version=task.version,
            owner=team.member.pk, effort_hours=6.4 * days,
        )  # fmt: skip
    # when the manager opens the load page
    log_in(page, team.manager.email)
    page.goto(f"/w/{team.workspace.slug}/capacity/")
    # then the section arrives with the newsletter's launch and the reason
    section = page.locator("#levelled")
    section.get_by_role("heading", name="Launches that would move").wait_for()
    assert "Newsletter" in section.locator(".levelled-launches").inner_text()
    row = section.locator("table.levelled-moves tbody tr")
    assert row.count() == 1
    assert "Waits for Lv (busy on Spring launch until" in row.inner_text()
    assert page.csp_problems == []
