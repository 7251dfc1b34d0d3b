"""On a phone (390 px wide) the diagnosis charts keep a readable size and scroll sideways
inside their card, the page itself never scrolls sideways, and the load grid shows several
weeks side by side."""

from __future__ import annotations

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.insights.tests.test_flow import history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_charts_and_load_grid_are_readable_on_a_phone(page) -> None:  # type: ignore[no-untyped-def]
    team = make_team("ph", "Pine & Heron")
    history(team, n=3)
    page.set_viewport_size(PHONE)
    log_in(page, team.manager.email)
    ws = team.workspace.slug
    for url in (
        f"/w/{ws}/flow/?from=2026-02-01&to=2026-03-31",
        f"/w/{ws}/waits/?from=2026-02-01&to=2026-03-31",
    ):
        page.goto(url)
        svgs = page.locator(".chart svg")
        assert svgs.count() >= 1, url
        # the page does not scroll sideways...
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        for k in range(svgs.count()):
            svg = svgs.nth(k)
            drawn = svg.bounding_box()["width"]
            natural = float(svg.get_attribute("width"))
            # ...each chart is drawn at least 500 px wide, near its natural size (not squeezed
            # into 330 px, which made its 12 px labels 5 px), inside a card that scrolls
            assert drawn >= 500 and drawn / natural >= 0.75, (url, drawn, natural)
            figure = svg.locator("xpath=ancestor::figure[1]")
            assert figure.evaluate("f => f.scrollWidth > f.clientWidth"), url
            assert figure.evaluate("f => getComputedStyle(f).overflowX") == "auto", url
    # the load grid: the person column wraps narrow, three weeks fit beside it
    page.goto(f"/w/{ws}/capacity/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    scroller = page.locator(".load-scroll").first.bounding_box()
    heads = page.locator(".load-grid").first.locator("thead th")
    right = scroller["x"] + scroller["width"]
    visible = [heads.nth(k).bounding_box() for k in range(1, 5)]
    assert all(b["x"] + b["width"] <= right + 1 for b in visible[:3]), visible
    assert page.csp_problems == []
