"""Chart specifications that read at their data's grain: a monthly series is ticked and
labelled by month, a daily one by day without the renderer's mixed formats ("Oct 25November"),
legends in columns, and a series of zeros is a sentence instead of an empty chart."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from headway.insights import charts
from headway.insights.charts import Table

GAPS = ["Defined workflows", "Centralized coordination", "Dependency visibility"]


def _tick_labels(svg: str) -> list[str]:
    """The x axis's labels: the text of the first axis group's labels in the SVG."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


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
    assert x["axis"]["format"] == "%b %Y"
    assert x["axis"]["tickCount"] == {"interval": "month", "step": 1}
    labels = _tick_labels(str(chart.svg))
    # one label per month of the data, none for weeks in between
    months = [t for t in labels if re.fullmatch(r"[A-Z][a-z]{2} 2026", t)]
    assert months == ["May 2026", "Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026",
                      "Nov 2026"]  # fmt: skip
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
    labels = _tick_labels(str(chart.svg))
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
    labels = _tick_labels(str(chart.svg))
    assert [t for t in labels if re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", t)] == [
        "24 Aug", "31 Aug", "7 Sep", "14 Sep", "21 Sep", "28 Sep"
    ]  # fmt: skip
    assert "2026-08-24" not in labels
