"""Charts render once per specification: later pages read the SVG from memory or disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from headway.insights import charts
from headway.insights.charts import Table


def test_a_chart_is_rendered_once_and_cached_by_its_spec(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.VAR_DIR = tmp_path
    charts._memory.clear()
    table = Table("t", "Things", ["name", "n"], [("<script>", 3), ("b", 5)])
    chart = charts.bars(table, x="name", y="n", description="Things per name.")
    # when
    svg = chart.svg
    # then: SVG without style attributes, the text escaped, stored under its spec's hash
    assert svg.startswith("<svg") and ' style="' not in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    stored = tmp_path / "charts" / f"{charts.spec_key(chart.spec)}.svg"
    drawn = charts.render(chart.spec)
    assert stored.read_text() == drawn
    assert svg.count("<svg") == 2  # the page's drawing and the phone's
    # a second page (another process: memory empty) reads the file instead of rendering
    charts._memory.clear()
    import vl_convert

    def refuse(spec: object) -> str:
        raise AssertionError("rendered again")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", refuse)
    assert charts.render(chart.spec) == drawn
    # different figures are a different chart
    other = charts.bars(
        Table("t", "Things", ["name", "n"], [("b", 6)]), x="name", y="n", description=""
    )
    assert charts.spec_key(other.spec) != charts.spec_key(chart.spec)


def test_csv_of_a_table() -> None:
    table = Table("t", "Things", ["name", "n"], [("a, b", 3)])
    assert table.csv().splitlines() == ["name,n", '"a, b",3']
