"""Where the renderer puts a chart's pieces, read from its scene graph (vl-convert lays the
chart out as the SVG draws it): every month of an axis labelled and none hidden for
overlapping, a phone's legend inside the phone's drawing, a lone bar as thick as one of
several."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from headway.insights import charts
from headway.insights.charts import Table

GAPS = [
    "Defined workflows",
    "Centralized coordination",
    "Dependency visibility",
    "Structured approvals",
    "Connected reporting",
]


@dataclass(frozen=True)
class Placed:
    role: str
    text: Any
    x: float  # from the SVG's left edge
    width: float  # for groups and rectangles (0 for a text)
    height: float
    opacity: float


def scene(spec: dict[str, Any]) -> tuple[float, list[Placed]]:
    """The drawing's width and every item of the roles read here, placed in SVG pixels."""
    import vl_convert

    graph = vl_convert.vegalite_to_scenegraph(spec)
    found: list[Placed] = []

    def walk(mark: dict[str, Any], left: float) -> None:
        role = mark.get("role", "")
        for item in mark.get("items", []):
            x = left + item.get("x", 0)
            if role in ("axis-label", "legend-label", "mark"):
                at = (x, item.get("width", 0), item.get("height", 0), item.get("opacity", 1))
                found.append(Placed(role, item.get("text"), *at))
            if mark.get("marktype") != "group":
                continue
            children = item.get("items", [])
            if any(c.get("role") == "legend-symbol" for c in children):
                found.append(Placed("legend-entry", None, x, item.get("width", 0), 0, 1))
            for child in children:
                walk(child, x)

    walk(graph["scenegraph"], graph["origin"][0])
    return graph["width"], found


def _month_labels(spec: dict[str, Any]) -> list[tuple[str, float]]:
    """The x axis's labels as shown (their first line), with their opacity."""
    _, placed = scene(spec)
    labels = [p for p in placed if p.role == "axis-label"]
    x_labels = [p for p in labels if not str(p.text).isdigit()]
    return [(p.text[0] if isinstance(p.text, list) else p.text, p.opacity) for p in x_labels]


def _scores(months: int) -> charts.Chart:
    first = dt.date(2025, 12, 1)
    rows: list[tuple[str, str, int]] = []
    for k in range(months):
        month = dt.date(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1, 1)
        rows.extend(
            (month.isoformat(), gap, 10 + (k * 7 + i * 13) % 80) for i, gap in enumerate(GAPS)
        )
    table = Table("scores", "Scores month by month", ["month", "gap", "score"], rows)
    return charts.lines(table, x="month", y="score", series="gap", grain="month", description="")


@pytest.mark.parametrize("months", [2, 7, 9, 12, 24])
def test_the_page_drawing_labels_every_month_and_hides_none(months: int) -> None:
    """At 560 px the greedy axis dropped a label it found too close ('Feb 2026', 'Apr
    2026': no March): short names leave room for each, upright when many."""
    labels = _month_labels(_scores(months).spec)
    assert len(labels) == months
    assert all(opacity == 1 for _, opacity in labels), labels
    shown = [text for text, _ in labels]
    assert shown[0].startswith("Dec")
    assert shown[1].startswith("Jan")
    if months <= 12:  # side by side, the year under the first month and each January
        assert shown[:3] == ["Dec", "Jan", "Feb"][:months]
        _, placed = scene(_scores(months).spec)
        texts = [p.text for p in placed if p.role == "axis-label"][:months]
        assert texts[:3] == [["Dec", "2025"], ["Jan", "2026"], "Feb"][:months]
    else:  # upright, each with its year
        assert shown[:2] == ["Dec 2025", "Jan 2026"]


@pytest.mark.parametrize("months", [2, 7, 9, 12])
def test_the_phone_drawing_labels_every_month_of_a_year(months: int) -> None:
    labels = _month_labels(charts.phone_spec(_scores(months).spec))
    assert len(labels) == months
    assert all(opacity == 1 for _, opacity in labels), labels


def test_two_years_on_a_phone_label_every_second_month_and_hide_none() -> None:
    labels = _month_labels(charts.phone_spec(_scores(24).spec))
    assert all(opacity == 1 for _, opacity in labels), labels
    # ticks on every second month of the calendar (the table lists each month)
    assert [t for t, _ in labels][:3] == ["Jan 2026", "Mar 2026", "May 2026"]
    assert len(labels) == 12


def test_the_phone_legend_is_one_column_inside_the_drawing() -> None:
    """On a phone two columns of the gaps' names ran past the drawing's right edge
    ('Centralized coord', 'Structured appro'): one column, every entry inside."""
    spec = charts.phone_spec(_scores(7).spec)
    width, placed = scene(spec)
    assert width <= charts.PHONE_WIDTH
    labels = [p for p in placed if p.role == "legend-label"]
    assert sorted(p.text for p in labels) == sorted(GAPS)
    entries = [p for p in placed if p.role == "legend-entry"]
    assert len(entries) == len(GAPS)
    assert len({round(p.x) for p in entries}) == 1  # one column
    for entry in entries:
        assert entry.x >= 0 and entry.x + entry.width <= width, (entry, width)
    # the page's drawing keeps its two columns
    page = _scores(7).spec["encoding"]["color"]["legend"]
    assert page["columns"] == 2


def _bars(n: int, *, horizontal: bool) -> charts.Chart:
    rows = [(f"Kind {k}", 2.5 + k) for k in range(n)]
    table = Table("rounds", "Revision rounds by kind of work", ["kind", "rounds"], rows)
    return charts.bars(table, x="kind", y="rounds", description="", horizontal=horizontal)


def _bar_marks(spec: dict[str, Any]) -> list[Placed]:
    _, placed = scene(spec)
    return [p for p in placed if p.role == "mark" and (p.width or p.height)]


@pytest.mark.parametrize("horizontal", [True, False])
def test_a_lone_bar_is_as_thick_as_one_of_several(horizontal: bool) -> None:
    """One kind of work drew a bar across the whole chart (200 px thick): a bar's band is
    capped, so the chart is as tall (upright: as wide) as its bars need."""
    page = _bars(1, horizontal=horizontal).spec
    cap = charts.ROW_STEP if horizontal else charts.COLUMN_STEP
    for spec in (page, charts.phone_spec(page)):
        (bar,) = _bar_marks(spec)
        thickness = bar.height if horizontal else bar.width
        assert 0 < thickness <= cap, (bar, spec.get("width"), spec.get("height"))
    phone_width, _ = scene(charts.phone_spec(page))
    assert phone_width <= charts.PHONE_WIDTH
    # many bars still share the chart's full size, each thinner than the cap
    many = _bar_marks(_bars(12, horizontal=horizontal).spec)
    assert len(many) == 12
    thick = max(b.height if horizontal else b.width for b in many)
    assert thick < (charts.ROW_STEP if horizontal else charts.COLUMN_STEP)
