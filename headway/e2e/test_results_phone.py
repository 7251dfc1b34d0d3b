"""The results and attribution reports on a phone (390 x 844) and a wide screen (1280 x 900):
the page never scrolls sideways; on a phone a figure stays on one line with its currency and
the names keep a readable column (their tables scroll inside themselves); on a wide screen the
campaign table fits its card whole."""

from __future__ import annotations

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.results.services import import_store
from headway.results.tests.test_attribution import CONTACTS, DEALS, campaigns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


def _march():  # type: ignore[no-untyped-def]
    team = make_team("rp", "Results Phone Co")
    campaigns(team)
    for data in (CONTACTS, DEALS):
        import_store(actor=team.owner, workspace=team.workspace, data=data)
    return team


def _lines(cell) -> int:  # type: ignore[no-untyped-def]
    """How many lines of text a cell's content takes."""
    return int(
        cell.evaluate(
            "c => { const r = document.createRange(); r.selectNodeContents(c);"
            " const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));"
            " return tops.size; }"
        )
    )


def test_results_tables_on_a_phone_and_a_wide_screen(page) -> None:  # type: ignore[no-untyped-def]
    team = _march()
    log_in(page, team.manager.email)
    page.set_viewport_size(PHONE)
    page.goto(f"/w/{team.workspace.slug}/results/?month=2026-03")
    assert page.locator("#months-h").count() == 1
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= PHONE["width"]
    month_row = page.locator("section[aria-labelledby=months-h] table tbody tr").first
    assert _lines(month_row.locator("td").nth(0)) == 1  # "2026-03", not "2026-" / "03"
    revenue = month_row.locator("td").nth(7)
    assert revenue.inner_text().endswith(" USD") and _lines(revenue) == 1
    name = page.locator("section[aria-labelledby=campaigns-h] table tbody td").first
    assert name.bounding_box()["width"] >= 130  # not one word a line
    page.set_viewport_size(WIDE)
    page.reload()
    table = page.locator("section[aria-labelledby=campaigns-h] table")
    fits = table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    assert fits is True  # every column, ROI and sessions too, without scrolling
    assert page.csp_problems == []


def test_attribution_row_names_read_as_text(page) -> None:  # type: ignore[no-untyped-def]
    team = _march()
    log_in(page, team.manager.email)
    page.set_viewport_size(WIDE)
    page.goto(f"/w/{team.workspace.slug}/results/attribution/")
    row_name = page.locator("table.figures tbody th[scope=row]").first
    cell = page.locator("table.figures tbody td").first
    size = row_name.evaluate("e => getComputedStyle(e).fontSize")
    assert size == cell.evaluate("e => getComputedStyle(e).fontSize")
    assert row_name.evaluate("e => getComputedStyle(e).fontWeight") == "400"
    page.set_viewport_size(PHONE)
    page.reload()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= PHONE["width"]
    assert page.csp_problems == []
