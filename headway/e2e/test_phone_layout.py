"""On a phone (390 x 844) the page itself never scrolls sideways: the board scrolls its
columns inside its own box, one column snapping into view at a time; the campaigns table
stacks as cards; the import page's hidden labels stay inside their table; and a chart over
time that is wider than its card opens on its latest end."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from headway.conftest import client_for, make_team
from headway.e2e.conftest import log_in
from headway.insights.tests.test_flow import history
from headway.planning.models import Task, TaskStatus
from headway.planning.tests.factories import chain as plan_chain
from headway.results.models import ResultRow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LINKEDIN = Path("/work/shared/fixtures/linkedin/campaign_performance_report.csv")


def _page_width(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _team_with_work():  # type: ignore[no-untyped-def]
    team = make_team("pl", "Phone Layout Co")
    statuses = [TaskStatus.IN_PROGRESS, TaskStatus.IN_REVIEW, TaskStatus.DONE]
    for name in ("Spring launch", "Summer sale", "Autumn film"):
        _, tasks = plan_chain(team, name)
        # cards in every column, the last ones too (their hidden Move labels made the page
        # as wide as the board's scrolled content)
        for task, status in zip(tasks, statuses, strict=False):
            Task.objects.filter(pk=task.pk).update(status=status)
    return team


def test_the_board_scrolls_its_columns_inside_itself(page) -> None:  # type: ignore[no-untyped-def]
    team = _team_with_work()
    page.set_viewport_size(PHONE)
    log_in(page, team.manager.email)
    page.goto(f"/w/{team.workspace.slug}/board/")
    assert page.locator("#board .column").nth(4).locator(".task-card").count() >= 1
    assert _page_width(page) <= PHONE["width"]
    board = page.locator("#board")
    style = board.evaluate(
        "b => [getComputedStyle(b).overflowX, getComputedStyle(b).scrollSnapType,"
        " b.scrollWidth > b.clientWidth]"
    )
    assert style[0] == "auto" and style[1].startswith("x") and style[2] is True, style
    column = page.locator("#board .column").first
    assert column.evaluate("c => getComputedStyle(c).scrollSnapAlign") == "start"
    # a column takes most of the phone's width, so a card is readable, the next one peeks in
    assert column.bounding_box()["width"] >= 0.7 * board.bounding_box()["width"]
    assert page.csp_problems == []


def test_the_campaigns_table_stacks_as_cards(page) -> None:  # type: ignore[no-untyped-def]
    team = _team_with_work()
    page.set_viewport_size(PHONE)
    log_in(page, team.manager.email)
    page.goto(f"/w/{team.workspace.slug}/campaigns/")
    assert _page_width(page) <= PHONE["width"]
    row = page.locator("table.stack-on-phone tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    for label in ("Owner", "Problems"):
        box = row.locator(f'td[data-label="{label}"]').bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (label, box)
    assert page.csp_problems == []


def test_the_import_pages_hidden_labels_stay_in_their_table(page, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    team = make_team("pi", "Phone Import Co")
    # rows stored from a file whose campaign names match no campaign: the import page lists
    # them with a (visually hidden) label and a campaign menu in the table's last column
    import_url = reverse("results:import", kwargs={"ws": team.workspace.slug})
    client = client_for(team.manager)
    data = LINKEDIN.read_bytes()
    page_html = client.post(
        import_url, {"action": "preview", "file": SimpleUploadedFile("r.csv", data)}, follow=True
    ).content.decode()
    file_hash = page_html.split('name="file_hash" value="')[1].split('"')[0]
    client.post(import_url, {"action": "store", "file_hash": file_hash})
    assert ResultRow.objects.filter(campaign__isnull=True).exists()
    page.set_viewport_size(PHONE)
    log_in(page, team.manager.email)
    page.goto(import_url)
    assert page.get_by_label("Campaign for", exact=False).count() >= 1
    assert _page_width(page) <= PHONE["width"]
    assert page.csp_problems == []


def test_a_chart_over_time_opens_on_its_latest_end_on_a_phone(page) -> None:  # type: ignore[no-untyped-def]
    team = make_team("pc", "Phone Charts Co")
    history(team, n=3)
    page.set_viewport_size(PHONE)
    log_in(page, team.manager.email)
    page.goto(f"/w/{team.workspace.slug}/flow/?from=2026-02-01&to=2026-03-31")
    assert _page_width(page) <= PHONE["width"]
    figure = page.locator("figure.chart.chart-time").first
    box = figure.bounding_box()
    svg = figure.locator("svg.chart-narrow").bounding_box()
    # the chart's right end (the latest days) is in view, and now its start and its y axis
    # title too: the phone's drawing fits the card whole (the page's scrolled, its start
    # and the axis title out of view to the left)
    assert svg["x"] + svg["width"] <= box["x"] + box["width"] + 1, (svg, box)
    assert svg["x"] >= box["x"] - 1, (svg, box)
    assert figure.evaluate("f => f.scrollWidth <= f.clientWidth")
    # the caption below it is readable from its first word
    caption = figure.locator("figcaption").bounding_box()
    assert caption["x"] >= box["x"] - 1, (caption, box)
    assert page.csp_problems == []
