"""Charts as server-rendered SVG: a Vega-Lite specification built with altair, rendered by
vl-convert, and cached by a hash of the specification (a render costs about a second for the
first chart in a process and a tenth after), so a page re-renders only charts whose figures
changed. Every chart comes with a text alternative and the table it draws, which pages show
beside it and offer as CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 560, 220
# Styles come from attributes only: the content security policy refuses style="..."
STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')
_memory: dict[str, str] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Table:
    """A chart's figures: the rows a reader can check and download."""

    name: str  # used in the CSV download's query (?csv=<name>)
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return out.getvalue()


@dataclass(frozen=True)
class Chart:
    table: Table
    description: str  # the text alternative: what the chart shows, in one or two sentences
    spec: dict[str, Any] = field(repr=False)

    @property
    def svg(self) -> SafeString:
        return render(self.spec)


def _cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "charts"


def spec_key(spec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def render(spec: dict[str, Any]) -> SafeString:
    """The chart's SVG: from memory, else from the on-disk cache, else rendered once and kept.
    The SVG comes from vl-convert, which escapes the text it draws."""
    key = spec_key(spec)
    svg = _memory.get(key)
    if svg is None:
        path = _cache_dir() / f"{key}.svg"
        if path.exists():
            svg = path.read_text()
        else:
            import vl_convert

            with _lock:
                svg = STYLE_ATTRIBUTE.sub("", vl_convert.vegalite_to_svg(spec))
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(svg)
            tmp.replace(path)
        _memory[key] = svg
    return mark_safe(svg)


def _base(values: list[dict[str, Any]]) -> alt.Chart:
    return alt.Chart(alt.Data(values=values)).properties(width=WIDTH, height=HEIGHT)


def _spec(chart: alt.TopLevelMixin, title: str) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    spec["description"] = title
    spec["config"] = {
        "font": "system-ui, sans-serif",
        "view": {"stroke": None},
        "axis": {"labelColor": "#5b6473", "titleColor": "#5b6473", "gridColor": "#e6e8ee"},
    }
    return spec


def bars(
    table: Table,
    *,
    x: str,
    y: str,
    description: str,
    horizontal: bool = False,
    rule: float | None = None,
    highlight: str | None = None,
) -> Chart:
    """A bar per row of `table` (columns `x` and `y`); `rule` draws a reference line at that
    value; `highlight` names a yes/no column whose rows are drawn in the warning colour."""
    values = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    cat = alt.X(f"{x}:N", sort=None, title=x) if not horizontal else alt.Y(f"{x}:N", sort=None)
    num = alt.Y(f"{y}:Q", title=y) if not horizontal else alt.X(f"{y}:Q", title=y)
    color: Any = alt.value("#5b7fe0")
    if highlight:
        color = alt.Color(
            f"{highlight}:N",
            scale=alt.Scale(domain=["no", "yes"], range=["#8fa9ea", "#c0392b"]),
            legend=alt.Legend(title=highlight),
        )
    layer: Any = _base(values).mark_bar().encode(cat, num, color=color)
    if rule is not None:
        line = alt.Chart(alt.Data(values=[{"at": rule}])).mark_rule(
            color="#1f2733", strokeDash=[4, 3]
        )
        layer = layer + line.encode(alt.Y("at:Q") if not horizontal else alt.X("at:Q"))
    return Chart(table=table, description=description, spec=_spec(layer, table.title))


def lines(
    table: Table, *, x: str, y: str, series: str, description: str, area: bool = False
) -> Chart:
    """One line (or, with `area`, one unstacked band) per value of `series` over `x`."""
    values = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    mark = (
        _base(values).mark_area(opacity=0.85, line=True)
        if area
        else _base(values).mark_line(point=True)
    )
    chart = mark.encode(
        alt.X(f"{x}:T", title=x),
        alt.Y(f"{y}:Q", title=y, stack=None),
        alt.Color(f"{series}:N", sort=None, legend=alt.Legend(orient="bottom", title=None)),
    )
    return Chart(table=table, description=description, spec=_spec(chart, table.title))
