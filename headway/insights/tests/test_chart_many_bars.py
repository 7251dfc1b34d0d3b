"""A bar chart of many bars names every bar: upright columns whose labels do not fit under
them (34 launches on the crunch page hid every second name) are drawn as rows, each as
tall as its label needs, on the page and on the phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from headway.insights import charts
from headway.insights.charts import Table
from headway.insights.tests.test_chart_layout import scene


def _launches(n: int, name: str = "Spring launch") -> charts.Chart:
    rows = [(f"{name} {k:02d}", (k * 17) % 90, "yes" if k % 3 else "no") for k in range(n)]
    table = Table("launches", "Launches", ["campaign", "% in final days", "crunch"], rows)
    return charts.bars(
        table, x="campaign", y="% in final days", rule=40, highlight="crunch", description=""
    )


def _names(spec: dict[str, Any]) -> list[tuple[str, float]]:
    _, placed = scene(spec)
    return [
        (str(p.text), p.opacity)
        for p in placed
        if p.role == "axis-label" and str(p.text).startswith("Spring")
    ]


def _phone(chart: charts.Chart) -> dict[str, Any]:
    phone = getattr(chart, "phone", None)
    return phone if phone is not None else charts.phone_spec(chart.spec)


@pytest.mark.parametrize("n", [8, 20, 34, 60])
def test_every_bar_is_named_on_the_page_and_on_the_phone(n: int) -> None:
    chart = _launches(n)
    for spec in (chart.spec, _phone(chart)):
        charts.validate_spec(spec)
        names = _names(spec)
        assert sorted(t for t, _ in names) == sorted(f"Spring launch {k:02d}" for k in range(n))
        assert all(opacity == 1 for _, opacity in names), [t for t, o in names if o != 1]
    phone_width, _ = scene(_phone(chart))
    assert phone_width <= charts.PHONE_WIDTH


def test_a_few_bars_stay_upright_and_many_become_rows() -> None:
    few, many = _launches(8), _launches(34)
    assert few.spec["layer"][0]["encoding"]["x"]["type"] == "nominal"
    assert many.spec["layer"][0]["encoding"]["y"]["type"] == "nominal"
    assert many.spec["height"] == 34 * charts.LABEL_STEP
    # the phone draws the rows as tall as the page does
    assert _phone(many)["height"] == many.spec["height"]


def test_long_names_leave_the_phone_bars_room() -> None:
    """Campaign names of 30 characters took 230 of the phone's 310 px: each label is cut
    at PHONE_ROW_LABELS, the widest bar keeps a third of the drawing or more."""
    chart = _launches(34, "Winter layering paid social burst for the new season")
    width, placed = scene(_phone(chart))
    bars = [p for p in placed if p.role == "mark" and p.height]
    assert len(bars) == 34
    assert max(p.width for p in bars) >= width / 3, (max(p.width for p in bars), width)


def _weeks(n: int) -> charts.Chart:
    rows = [
        ((dt.date(2026, 8, 24) + dt.timedelta(weeks=k)).isoformat(), k % 5 + 1) for k in range(n)
    ]
    table = Table("throughput", "Tasks finished per week", ["week", "finished"], rows)
    return charts.bars(table, x="week", y="finished", description="", dates=True)


def _days(spec: dict[str, Any]) -> list[tuple[str, float]]:
    _, placed = scene(spec)
    return [
        (str(p.text), p.opacity)
        for p in placed
        if p.role == "axis-label" and not str(p.text).replace(".", "").isdigit()
    ]


@pytest.mark.parametrize("n", [4, 8, 12, 14, 26, 52])
def test_every_week_of_a_weekly_chart_is_labelled(n: int) -> None:
    """The flow's 14 weeks at 1280 px hid every other week's "31 Aug" level label: weeks
    too narrow for it are labelled upright, on the page and on a phone. A time series
    stays columns however long (a year is not drawn as 52 rows)."""
    chart = _weeks(n)
    for spec, fits in ((chart.spec, 28), (_phone(chart), 12)):
        encoding = spec.get("encoding") or spec["layer"][0]["encoding"]
        assert encoding["x"]["type"] == "nominal"  # columns, across
        labels = _days(spec)
        assert len(labels) == n, labels
        shown = [t for t, o in labels if o == 1]
        assert shown[0] == "24 Aug"
        if n <= fits:
            assert len(shown) == n, [t for t, o in labels if o != 1]
        else:  # labelled across the whole axis, a week in two (four) shown
            assert len(shown) >= fits // 2, shown


def test_weeks_with_a_reference_line_are_labelled_upright_on_a_phone() -> None:
    rows = [((dt.date(2026, 8, 24) + dt.timedelta(weeks=k)).isoformat(), k + 1) for k in range(8)]
    table = Table("throughput", "Tasks finished per week", ["week", "finished"], rows)
    chart = charts.bars(table, x="week", y="finished", description="", dates=True, rule=3.0)
    phone = _phone(chart)
    charts.validate_spec(phone)
    assert phone["layer"][0]["encoding"]["x"]["axis"]["labelAngle"] == 270
    assert chart.spec["layer"][0]["encoding"]["x"]["axis"]["labelAngle"] == 0  # page: level
    labels = _days(phone)
    assert len(labels) == 8 and all(o == 1 for _, o in labels), labels
