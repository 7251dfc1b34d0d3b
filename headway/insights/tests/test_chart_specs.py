"""Chart specifications that read at their data's grain: a monthly series is ticked and
labelled by month, a daily one by day without the renderer's mixed formats ("Oct 25November"),
legends in columns, and a series of zeros is a sentence instead of an empty chart."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.template.loader import render_to_string

from headway.conftest import Team, client_for
from headway.insights import charts
from headway.insights.charts import Table
from headway.insights.tests.test_flow import NOW, history

GAPS = ["Defined workflows", "Centralized coordination", "Dependency visibility"]


def _tick_labels(svg: str) -> list[str]:
    """The SVG's texts, a text of several lines (<tspan>s) as its lines joined by a space."""
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return [" ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", t)) or t for t in texts]


def _monthly() -> charts.Chart:
    rows = [(dt.date(2026, m, 1).isoformat(), g, 10 * m) for m in range(5, 12) for g in GAPS]
    table = Table("scores", "Scores", ["month", "gap", "score"], rows)
    return charts.lines(
        table, x="month", y="score", series="gap", description="Scores.", grain="month"
    )


def test_a_monthly_series_is_ticked_and_labelled_by_month(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    chart = _monthly()
    x = chart.spec["encoding"]["x"]
    assert x["timeUnit"] == "utcyearmonth"
    assert x["axis"]["format"] == "%b"
    assert x["axis"]["tickCount"] == {"interval": "month", "step": 1}
    labels = _tick_labels(charts.render(chart.spec))  # the page's drawing
    # one label per month of the data, none for weeks in between; the year under the first
    months = [t for t in labels if re.fullmatch(r"[A-Z][a-z]{2}( 2026)?", t)]
    assert months == ["May 2026", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]
    assert not any(re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", t) for t in labels)


def test_a_daily_series_uses_one_label_format_without_collisions(
    settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    start = dt.date(2026, 8, 26)
    rows = [
        ((start + dt.timedelta(days=k)).isoformat(), s, k)
        for k in range(91)
        for s in ("Not started", "Done")
    ]
    table = Table("cfd", "Cumulative flow", ["day", "status", "tasks"], rows)
    chart = charts.lines(table, x="day", y="tasks", series="status", description="Flow.", area=True)
    assert chart.spec["config"]["axis"]["labelOverlap"] == "greedy"
    labels = _tick_labels(charts.render(chart.spec))  # the page's drawing
    days = [t for t in labels if re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", t)]
    assert len(days) >= 6
    # the renderer's default mixes "Oct 25" with "November": every date label is day month
    assert not any(t in labels for t in ("September", "October", "November"))


def test_the_legend_lays_its_entries_out_in_columns_in_a_font_the_renderer_measures(
    settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    chart = _monthly()
    legend = chart.spec["encoding"]["color"]["legend"]
    assert legend["orient"] == "bottom" and legend["columns"] == 2
    assert legend["columnPadding"] >= 16
    assert chart.spec["config"]["font"].startswith("Liberation Sans")


def test_bars_of_zeros_say_a_sentence_instead_of_drawing(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    columns = ["task", "age (days)", "past 85th percentile"]
    zeros = Table("aging", "Work in progress by age", columns, [("Copy", 0.0, "no")])
    chart = charts.bars(
        zeros, x="task", y="age (days)", horizontal=True, rule=8.0,
        highlight="past 85th percentile", description="Ages.",
        blank="All 1 tasks in progress moved there today.",
    )  # fmt: skip
    assert not chart.drawn and chart.blank == "All 1 tasks in progress moved there today."
    html = render_to_string("insights/chart.html", {"chart": chart, "query": ""})
    assert "<svg" not in html and "All 1 tasks in progress moved there today." in html
    assert "<td>Copy</td>" in html or "Copy" in html  # the table stays
    # one value above zero draws the chart, legend title at the bottom (not clipped at the side)
    aged = Table("aging", "Work in progress by age", columns, [("Copy", 2.5, "no")])
    drawn = charts.bars(
        aged, x="task", y="age (days)", horizontal=True, rule=8.0,
        highlight="past 85th percentile", description="Ages.",
    )  # fmt: skip
    assert drawn.drawn and drawn.blank == ""
    assert drawn.spec["layer"][0]["encoding"]["color"]["legend"]["orient"] == "bottom"
    assert "<svg" in render_to_string("insights/chart.html", {"chart": drawn, "query": ""})


def test_a_line_series_of_zeros_says_so() -> None:
    table = Table("s", "Scores", ["month", "gap", "score"], [("2026-05-01", "A", 0)])
    chart = charts.lines(table, x="month", y="score", series="gap", description="", grain="month")
    assert not chart.drawn and "nothing to draw" in chart.blank


def test_weekly_bars_are_labelled_by_day_and_month(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    rows = [((dt.date(2026, 8, 24) + dt.timedelta(weeks=k)).isoformat(), k + 1) for k in range(6)]
    table = Table("throughput", "Tasks finished per week", ["week", "finished"], rows)
    chart = charts.bars(table, x="week", y="finished", description="", dates=True)
    labels = _tick_labels(charts.render(chart.spec))  # the page's drawing
    assert [t for t in labels if re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", t)] == [
        "24 Aug", "31 Aug", "7 Sep", "14 Sep", "21 Sep", "28 Sep"
    ]  # fmt: skip
    assert "2026-08-24" not in labels


def _every_kind_of_chart() -> list[charts.Chart]:
    """One chart of each shape the helpers build: plain, dated, horizontal with a rule and a
    highlight, lines at each grain, and an area."""
    rows = [("2026-08-24", 3, "yes"), ("2026-08-31", 1, "no")]
    bars = Table("b", "Bars", ["week", "finished", "late"], rows)
    points = [("2026-08-24", "Done", 2), ("2026-08-25", "Done", 3)]
    series = Table("s", "Series", ["day", "status", "tasks"], points)
    return [
        charts.bars(bars, x="week", y="finished", description=""),
        charts.bars(bars, x="week", y="finished", description="", dates=True),
        charts.bars(
            bars,
            x="week",
            y="finished",
            description="",
            horizontal=True,
            rule=2.0,
            highlight="late",
        ),
        charts.bars(bars, x="week", y="finished", description="", rule=1.5),
        *(
            charts.lines(series, x="day", y="tasks", series="status", description="", grain=g)
            for g in charts.GRAINS
        ),
        charts.lines(series, x="day", y="tasks", series="status", description="", area=True),
    ]


def test_every_kind_of_chart_built_is_a_valid_vega_lite_specification() -> None:
    """The specifications are not validated as they are built (it took much of a page's
    time): this validates each kind against the Vega-Lite schema, and shows that
    validate_spec does refuse a wrong one."""
    built = _every_kind_of_chart()
    assert len(built) == 8
    for chart in built:
        charts.validate_spec(chart.spec)
        charts.validate_spec(charts.phone_spec(chart.spec))
    wrong = dict(built[0].spec, mark={"type": "bar", "colour": "red"})
    with pytest.raises(ValueError, match="not a valid Vega-Lite specification at mark"):
        charts.validate_spec(wrong)


@pytest.mark.django_db
def test_the_diagnosis_pages_charts_are_valid_vega_lite(
    team: Team, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every chart the flow, where work waits, crunch and scorecard pages build, validated
    as it is built (the helpers themselves skip it)."""
    settings.VAR_DIR = tmp_path
    history(team, 3)
    built: list[dict[str, Any]] = []
    spec_of = charts._spec

    def validated(chart: Any, title: str) -> dict[str, Any]:
        spec = spec_of(chart, title)
        charts.validate_spec(spec)
        built.append(spec)
        return spec

    monkeypatch.setattr(charts, "_spec", validated)
    client = client_for(team.owner)
    ws = team.workspace.slug
    with time_machine.travel(NOW, tick=False):
        for page in ("flow", "waits", "crunch", "scorecard"):
            query = "" if page == "scorecard" else "?from=2026-02-01&to=2026-03-20"
            assert client.get(f"/w/{ws}/{page}/{query}").status_code == 200
    # the flow page's four charts, where work waits' two, and the others' at least one each
    assert len(built) >= 8


def test_every_chart_comes_with_a_phone_drawing_that_fits_a_phone_whole(
    settings: Any, tmp_path: Path
) -> None:
    """On a 390 px phone the page's 560 px drawing scrolled sideways in its card, cutting
    the axis title off one side: the phone's drawing is the whole chart, titles included,
    at most PHONE_WIDTH wide (the card is 322 px)."""
    settings.VAR_DIR = tmp_path
    for chart in _every_kind_of_chart():
        svg = str(chart.svg)
        assert svg.count("<svg") == 2
        wide, narrow = svg.split("</svg>")[:2]
        assert 'class="marks chart-wide"' in wide and 'class="marks chart-narrow"' in narrow
        width = float(re.search(r'<svg[^>]* width="([0-9.]+)"', narrow).group(1))  # type: ignore[union-attr]
        assert width <= charts.PHONE_WIDTH < 322
        if chart.spec["width"] == charts.WIDTH:  # (a few upright bars are narrower)
            assert float(re.search(r'<svg[^>]* width="([0-9.]+)"', wide).group(1)) > 500  # type: ignore[union-attr]
        texts = _tick_labels(narrow)
        enc = chart.spec.get("encoding") or chart.spec["layer"][0]["encoding"]
        for axis in ("x", "y"):
            title = enc[axis].get("title") or enc[axis]["field"]
            assert title in texts, (axis, title)
