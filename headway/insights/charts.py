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
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    import altair as alt

WIDTH, HEIGHT = 560, 220
# A phone's drawing of each chart: the whole SVG (axes, their titles and the legend
# included) this wide, so it fits a 390 px screen's card at its natural size. The page's
# drawing scrolled sideways in that card, cutting an axis title off one side or the other.
PHONE_WIDTH, PHONE_HEIGHT = 310, 200
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
    # Said instead of drawing when every value is zero (an empty chart explains nothing);
    # empty when there is something to draw.
    blank: str = ""

    @property
    def drawn(self) -> bool:
        return bool(self.table.rows) and not self.blank

    @property
    def svg(self) -> SafeString:
        """Both drawings, the page's (class chart-wide) and the phone's (chart-narrow): the
        stylesheet shows the one that fits the screen."""
        wide = _classed(render(self.spec), "chart-wide")
        narrow = _classed(render(phone_spec(self.spec)), "chart-narrow")
        return mark_safe(wide + narrow)


def phone_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` drawn for a phone: the whole chart fitted to PHONE_WIDTH, its axes' labels
    thinned where they would overlap (the table beside it lists every row)."""
    phone = dict(spec)
    phone["width"], phone["height"] = PHONE_WIDTH, PHONE_HEIGHT
    phone["autosize"] = {"type": "fit-x", "contains": "padding"}
    return phone


def _classed(svg: str, name: str) -> str:
    """The SVG with `name` added to its root element's classes (vl-convert's root is
    `<svg ... class="marks" ...>`)."""
    if ' class="marks"' in svg[:400]:
        return svg.replace(' class="marks"', f' class="marks {name}"', 1)
    return svg.replace("<svg ", f'<svg class="{name}" ', 1)


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
    import altair as alt  # ~0.7 s to import: loaded by the pages that draw charts

    # altair validates each object as it is made: for the data, every value of the table
    # (our own figures). Not done here; the tests validate the whole specifications.
    with alt.utils.schemapi.debug_mode(False):
        return alt.Chart(alt.Data(values=values)).properties(width=WIDTH, height=HEIGHT)


# The renderer measures text with the font it has (Liberation Sans, metrically the same as
# Arial) while the browser draws the SVG's text with the font named here: naming a font the
# browser would swap for a wider one (system-ui) made labels run into each other.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
# A legend lays its entries out in columns, with room between them.
LEGEND: dict[str, Any] = {"orient": "bottom", "columns": 2, "columnPadding": 24, "labelLimit": 240}


def _spec(chart: alt.TopLevelMixin, title: str) -> dict[str, Any]:
    # Not validated against the Vega-Lite schema here (that took ~40% of a year-long flow
    # page): every specification is built by the functions below, and the tests validate
    # each kind they build (test_chart_specs: validate_spec).
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["description"] = title
    spec["config"] = {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {
            "labelColor": "#5b6473",
            "titleColor": "#5b6473",
            "gridColor": "#e6e8ee",
            "labelFontSize": 12,
            "titleFontSize": 12,
            "labelOverlap": "greedy",
            "labelSeparation": 6,
        },
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "titleLimit": 0},
    }
    return spec


def validate_spec(spec: dict[str, Any]) -> None:
    """Raises ValueError, naming what is wrong and where, when `spec` is not a valid
    Vega-Lite specification (the tests call it for the specifications built here)."""
    import jsonschema
    from altair.vegalite.v6.schema.core import Root

    try:
        Root.validate(spec)
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path) or "the top level"
        raise ValueError(f"not a valid Vega-Lite specification at {where}: {e.message}") from e


def _all_zero(values: list[dict[str, Any]], column: str) -> bool:
    return all(not v.get(column) for v in values)


# Axis formats for a time series by the grain of its data (d3 time formats, read in UTC:
# a date "2026-05-01" is that day wherever the server runs).
GRAINS: dict[str, tuple[Any, str, Any]] = {
    "day": ("utcyearmonthdate", "%-d %b", "week"),
    "week": ("utcyearmonthdate", "%-d %b", "week"),
    "month": ("utcyearmonth", "%b %Y", {"interval": "month", "step": 1}),
}


def bars(
    table: Table,
    *,
    x: str,
    y: str,
    description: str,
    horizontal: bool = False,
    rule: float | None = None,
    highlight: str | None = None,
    blank: str = "",
    dates: bool = False,
) -> Chart:
    """A bar per row of `table` (columns `x` and `y`); `rule` draws a reference line at that
    value; `highlight` names a yes/no column whose rows are drawn in the warning colour.
    With `dates`, `x` holds ISO dates (a week's Monday, say), labelled "24 Aug" level.
    When every `y` is zero, the page says `blank` (or a default sentence) instead."""
    import altair as alt  # ~0.7 s to import: loaded by the pages that draw charts

    values = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    axis: Any = alt.Undefined
    if dates:
        axis = alt.Axis(labelExpr="utcFormat(toDate(datum.value), '%-d %b')", labelAngle=0)
    cat = (
        alt.X(f"{x}:N", sort=None, title=x, axis=axis)
        if not horizontal
        else alt.Y(f"{x}:N", sort=None)
    )
    num = alt.Y(f"{y}:Q", title=y) if not horizontal else alt.X(f"{y}:Q", title=y)
    color: Any = alt.value("#5b7fe0")
    if highlight:
        color = alt.Color(
            f"{highlight}:N",
            scale=alt.Scale(domain=["no", "yes"], range=["#8fa9ea", "#c0392b"]),
            legend=alt.Legend(title=highlight, orient="bottom", direction="horizontal"),
        )
    layer: Any = _base(values).mark_bar().encode(cat, num, color=color)
    if rule is not None:
        line = alt.Chart(alt.Data(values=[{"at": rule}])).mark_rule(
            color="#1f2733", strokeDash=[4, 3]
        )
        layer = layer + line.encode(alt.Y("at:Q") if not horizontal else alt.X("at:Q"))
    empty = ""
    if values and _all_zero(values, y):
        empty = blank or f"Every {y} is 0, so there is nothing to draw yet; the table lists them."
    return Chart(table=table, description=description, spec=_spec(layer, table.title), blank=empty)


def lines(
    table: Table,
    *,
    x: str,
    y: str,
    series: str,
    description: str,
    area: bool = False,
    grain: str = "day",
    blank: str = "",
) -> Chart:
    """One line (or, with `area`, one unstacked band) per value of `series` over `x`, a date
    column holding one value per `grain` ("day", "week" or "month"): the axis is labelled and
    ticked at that grain. When every `y` is zero, the page says `blank` instead."""
    import altair as alt  # ~0.7 s to import: loaded by the pages that draw charts

    values = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    time_unit, label_format, ticks = GRAINS[grain]
    mark = (
        _base(values).mark_area(opacity=0.85, line=True)
        if area
        else _base(values).mark_line(point=True)
    )
    chart = mark.encode(
        alt.X(
            f"{x}:T",
            title=x,
            timeUnit=time_unit,
            axis=alt.Axis(format=label_format, tickCount=ticks, labelAngle=0),
        ),
        alt.Y(f"{y}:Q", title=y, stack=None),
        alt.Color(f"{series}:N", sort=None, legend=alt.Legend(title=None, **LEGEND)),
    )
    empty = ""
    if values and _all_zero(values, y):
        empty = blank or f"Every {y} is 0 in this period, so there is nothing to draw yet."
    return Chart(table=table, description=description, spec=_spec(chart, table.title), blank=empty)
