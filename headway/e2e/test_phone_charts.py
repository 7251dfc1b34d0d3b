"""On a phone (390 px wide) each diagnosis chart is its phone drawing, whole inside its card
at its natural size: axis titles and all, nothing to scroll (the page's 560 px drawing
scrolled sideways in the card and cut an axis title off); on a desktop, the page's drawing.
The page itself never scrolls sideways, and the load grid shows several weeks side by side."""

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
        svgs = page.locator(".chart svg.chart-narrow")
        assert svgs.count() >= 1, url
        assert all(not s.is_visible() for s in page.locator(".chart svg.chart-wide").all()), url
        # the page does not scroll sideways...
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        for k in range(svgs.count()):
            svg = svgs.nth(k)
            svg.scroll_into_view_if_needed()
            box = svg.bounding_box()
            natural = float(svg.get_attribute("width"))
            # ...each chart is drawn at its natural size (12 px labels stay 12 px), whole
            # inside a card that has nothing to scroll...
            assert box["width"] / natural >= 0.95, (url, box, natural)
            figure = svg.locator("xpath=ancestor::figure[1]")
            assert figure.evaluate("f => f.scrollWidth <= f.clientWidth"), url
            card = figure.bounding_box()
            # ...with every axis title inside the card
            titles = svg.locator("g.role-axis-title text")
            assert titles.count() >= 2, url
            for t in titles.all():
                b = t.bounding_box()
                assert (
                    card["x"] - 1 <= b["x"] and b["x"] + b["width"] <= card["x"] + card["width"] + 1
                ), (url, t.text_content(), b, card)
    # on a desktop, the page's drawing
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/w/{ws}/waits/?from=2026-02-01&to=2026-03-31")
    wide = page.locator(".chart svg.chart-wide").first
    assert wide.is_visible() and wide.bounding_box()["width"] > 500
    assert not page.locator(".chart svg.chart-narrow").first.is_visible()
    page.set_viewport_size(PHONE)
    # the load grid: the person column wraps narrow, three weeks fit beside it
    page.goto(f"/w/{ws}/capacity/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    scroller = page.locator(".load-scroll").first.bounding_box()
    heads = page.locator(".load-grid").first.locator("thead th")
    right = scroller["x"] + scroller["width"]
    visible = [heads.nth(k).bounding_box() for k in range(1, 5)]
    assert all(b["x"] + b["width"] <= right + 1 for b in visible[:3]), visible
    assert page.csp_problems == []


def _shown_texts(svg, role: str) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def,type-arg]
    """The drawing's texts of `role` (axis-label, legend-label) a reader sees, with their
    boxes: the renderer hides a label it found overlapping with opacity 0."""
    texts = svg.locator(f"g.role-{role} text")
    out = []
    for k in range(texts.count()):
        t = texts.nth(k)
        if t.get_attribute("opacity") != "0":
            out.append((t.text_content() or "", t.bounding_box()))
    return out


def test_the_scorecard_reads_whole_on_a_phone_and_labels_each_month_on_a_desktop(page) -> None:  # type: ignore[no-untyped-def]
    """On a phone the scorecard's legend ran past its card ('Centralized coord',
    'Structured appro'): one column, every entry inside the card, nothing to scroll."""
    team = make_team("sc", "Scorecard Co")
    history(team, n=3)
    page.set_viewport_size(PHONE)
    log_in(page, team.manager.email)
    url = f"/w/{team.workspace.slug}/scorecard/?from=2026-01-01&to=2026-03-31"
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    svg = page.locator(".chart svg.chart-narrow").first
    svg.scroll_into_view_if_needed()
    figure = svg.locator("xpath=ancestor::figure[1]")
    assert figure.evaluate("f => f.scrollWidth <= f.clientWidth && f.scrollLeft === 0")
    card = figure.bounding_box()
    legend = _shown_texts(svg, "legend-label")
    assert len(legend) >= 2, legend
    left, right = card["x"] - 1, card["x"] + card["width"] + 1
    for text, box in [*legend, *_shown_texts(svg, "axis-label")]:
        assert left <= box["x"] and box["x"] + box["width"] <= right, (text, box, card)
    assert len({round(box["x"]) for _, box in legend}) == 1  # one column
    # a narrower phone's card (292 px at 360) shrinks the drawing a little: it opened
    # scrolled to its right end, the y axis and the legend's start cut off on the left
    page.set_viewport_size({"width": 360, "height": 800})
    svg.scroll_into_view_if_needed()
    assert figure.evaluate("f => f.scrollWidth <= f.clientWidth")
    box, card = svg.bounding_box(), figure.bounding_box()
    assert card["x"] - 1 <= box["x"] and box["x"] + box["width"] <= card["x"] + card["width"] + 1
    assert box["width"] / float(svg.get_attribute("width")) >= 0.9  # text stays readable
    # on a desktop, the page's drawing with its legend in columns, every label shown
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url)
    wide = page.locator(".chart svg.chart-wide").first
    assert wide.is_visible()
    labels = wide.locator("g.role-axis-label text")
    assert labels.count() == len(_shown_texts(wide, "axis-label"))
    assert page.csp_problems == []
