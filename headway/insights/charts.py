"""Charts as server-rendered SVG: a Vega-Lite specification built with altair, rendered by
vl-convert, and cached by a hash of the specification (a render costs about a second for the
first chart in a process and a tenth after), so a page re-renders only charts whose figures
changed. Every chart comes with a text alternative and the table it draws, which pages show
beside it and offer as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from headway.core.markup import fragment

if TYPE_CHECKING:
    import altair as alt

WIDTH, HEIGHT = 560, 220
# A phone's drawing of each chart: the whole SVG (axes, their titles and the legend
# included) this wide, so it fits a 390 px screen's card at its natural size. The page's
# drawing scrolled sideways in that card, cutting an axis title off one side or the other.
PHONE_WIDTH, PHONE_HEIGHT = 310, 200
# A chart this much narrower than a phone's keeps its own width there (its axes fit beside
# it); the plot of a fitted chart is about this wide once the y axis has its room.
PHONE_AXES, PHONE_PLOT = 120, PHONE_WIDTH - 60
# A bar's band (the bar and the gap after it) is at most this many px: one bar is drawn as
# thick as one of several, not across the whole chart.
ROW_STEP, COLUMN_STEP = 30, 56
# A chart of rows on a phone: each row's label cut (with an ellipsis) at this many px, so
# the bars keep a third of the drawing or more (long campaign names left them 90 px of 310)
PHONE_ROW_LABELS = 150
# A bar's band is at least this many px where its label is drawn level beside it (a row)
# or upright under it (a column), so every bar keeps its name: a label's line is about 14
# px at 12 px, with the axis's 6 px between labels. A chart of more rows grows taller; one
# of more upright columns than its width holds is drawn as rows instead (34 launches at
# 1280 px left every second bar unnamed).
LABEL_STEP = 20
# A date's label level under its column ("24 Aug", about 38 px at 12 px) needs a column
# this wide; narrower, the axis hid every other week, so they are drawn upright.
DATE_LEVEL = 46
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
    # The rows as the page shows them when they read differently from the CSV's ("May
    # 2026" on the page, "2026-05" in the file); empty: the rows themselves. With
    # shown_columns, their columns (one phrase on the page for several columns of the CSV).
    shown_rows: Sequence[Sequence[Any]] = ()
    shown_columns: Sequence[str] = ()

    @property
    def shown(self) -> Sequence[Sequence[Any]]:
        return self.shown_rows or self.rows

    @property
    def headings(self) -> Sequence[str]:
        return self.shown_columns or self.columns

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
    # The phone's drawing when it is not phone_spec(spec) (bars drawn as rows on a phone)
    phone: dict[str, Any] | None = field(default=None, repr=False)
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
        phone = self.phone if self.phone is not None else phone_spec(self.spec)
        narrow = _classed(render(phone), "chart-narrow")
        return mark_safe(wide + narrow)


def phone_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` drawn for a phone: the whole chart fitted to PHONE_WIDTH (a chart of a few
    upright bars, narrower already, keeps its size), its legends in one column of labels
    the width of the chart, a month axis labelled for the phone's width."""
    phone = dict(spec)
    if not _rows(spec):  # a chart of rows keeps the height its labels need
        phone["height"] = min(PHONE_HEIGHT, spec.get("height", HEIGHT))
    if spec.get("width", WIDTH) > PHONE_WIDTH - PHONE_AXES:
        phone["width"] = PHONE_WIDTH
        phone["autosize"] = {"type": "fit-x", "contains": "padding"}
    if "encoding" in spec:
        phone["encoding"] = _phone_encoding(spec["encoding"], spec.get("data"))
    if "layer" in spec:
        phone["layer"] = [
            dict(part, encoding=_phone_encoding(part["encoding"], part.get("data")))
            if "encoding" in part
            else part
            for part in spec["layer"]
        ]
    return phone


def _rows(spec: dict[str, Any]) -> bool:
    """Whether `spec` draws bars as rows: its y axis names them (a nominal field)."""
    parts = [spec, *spec.get("layer", [])]
    return any(
        p.get("encoding", {}).get("y", {}).get("type") == "nominal"
        for p in parts
        if isinstance(p.get("encoding", {}).get("y"), dict)
    )


def _phone_encoding(encoding: dict[str, Any], data: Any) -> dict[str, Any]:
    """A phone's copy of `encoding`: a legend of several columns cut its labels at the
    screen's edge ("Centralized coord"), so one column, each label as wide as the chart."""
    out = dict(encoding)
    color = encoding.get("color")
    if isinstance(color, dict) and isinstance(color.get("legend"), dict):
        # the legend starts under the plot, right of the y axis: its labels end in the chart
        legend = dict(color["legend"], labelLimit=PHONE_PLOT - 30)
        if legend.get("columns", 1) > 1:
            legend.update(columns=1, direction="vertical")
        out["color"] = dict(color, legend=legend)
    y = encoding.get("y")
    if isinstance(y, dict) and y.get("type") == "nominal":
        axis = y.get("axis")
        kept: dict[str, Any] = axis if isinstance(axis, dict) else {}
        out["y"] = dict(y, axis=dict(kept, labelLimit=PHONE_ROW_LABELS))
    x = encoding.get("x")
    if isinstance(x, dict) and x.get("timeUnit") == MONTHS and isinstance(data, dict):
        span = month_span(data.get("values") or [], x["field"])
        out["x"] = dict(x, axis=month_axis(span, PHONE_PLOT))
    return out


def month_span(values: Sequence[dict[str, Any]], field: str) -> int:
    """How many months the axis spans: from the first value's month to the last's."""
    months = [dt.date.fromisoformat(str(v[field])[:10]) for v in values if v.get(field)]
    if not months:
        return 1
    first, last = min(months), max(months)
    return (last.year - first.year) * 12 + last.month - first.month + 1


# Room for the label of every month, when each is the short name ("Mar"): the widest is
# a year ("2026", about 27 px at 12 px) beside a month name, with the axis's 6 px between.
# Upright ("Mar 2026" read sideways) a label needs only its line's height.
SIDE_BY_SIDE, UPRIGHT = 34.0, 20.0
# Shows a tick's year under its month on the first tick and on each January.
MONTH_LABEL = (
    "datum.index == 0 || utcmonth(datum.value) == 0 ? "
    "[datum.label, utcFormat(datum.value, '%Y')] : datum.label"
)


def month_axis(months: int, plot_width: float) -> dict[str, Any]:
    """An axis of `months` months across `plot_width` px that labels each month: short
    names side by side, the year under the first and each January; where they would
    overlap, "Mar 2026" upright; where even those would, every second (third...) month,
    the table beside the chart listing them all. No label is left out to avoid an overlap
    (a greedy axis dropped March from "Feb 2026", "Mar 2026"...)."""
    step = plot_width / max(months - 1, 1)
    # each label centred on its tick, the first and last too (flush, they took more room)
    if step >= SIDE_BY_SIDE:
        every = {"interval": "month", "step": 1}
        return {"format": "%b", "labelExpr": MONTH_LABEL, "labelAngle": 0,
                "tickCount": every, "labelFlush": False}  # fmt: skip
    every = {"interval": "month", "step": max(1, math.ceil(UPRIGHT / step))}
    return {"format": "%b %Y", "labelAngle": 270, "tickCount": every, "labelFlush": False}


def _classed(svg: str, name: str) -> str:
    """The SVG with `name` added to its root element's classes (vl-convert's root is
    `<svg ... class="marks" ...>`)."""
    if ' class="marks"' in svg[:400]:
        return svg.replace(' class="marks"', fragment(' class="marks {}"', name), 1)
    return svg.replace("<svg ", fragment('<svg class="{}" ', name), 1)


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
MONTHS = "utcyearmonth"
GRAINS: dict[str, tuple[Any, str, Any]] = {
    "day": ("utcyearmonthdate", "%-d %b", "week"),
    "week": ("utcyearmonthdate", "%-d %b", "week"),
    "month": (MONTHS, "%b", {"interval": "month", "step": 1}),  # see month_axis
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
    empty = ""
    if values and _all_zero(values, y):
        empty = blank or f"Every {y} is 0, so there is nothing to draw yet; the table lists them."
    bands = max(len({v[x] for v in values}), 1)

    def draw(rows: bool, upright: bool) -> dict[str, Any]:
        axis: Any = alt.Undefined
        if dates and not rows:
            angle = 270 if upright else 0
            axis = alt.Axis(labelExpr="utcFormat(toDate(datum.value), '%-d %b')", labelAngle=angle)
        elif dates:
            axis = alt.Axis(labelExpr="utcFormat(toDate(datum.value), '%-d %b')")
        cat = (
            alt.X(f"{x}:N", sort=None, title=x, axis=axis)
            if not rows
            else alt.Y(f"{x}:N", sort=None, axis=axis)
        )
        num = alt.Y(f"{y}:Q", title=y) if not rows else alt.X(f"{y}:Q", title=y)
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
            layer = layer + line.encode(alt.Y("at:Q") if not rows else alt.X("at:Q"))
        spec = _spec(layer, table.title)
        if rows:
            # each row as thick as its label needs, however many: the chart grows taller
            spec["height"] = max(min(HEIGHT, bands * ROW_STEP), bands * LABEL_STEP)
        else:
            spec["width"] = min(WIDTH, bands * COLUMN_STEP)
        return spec

    # upright columns whose names do not fit under them are drawn as rows. Dates stay
    # columns (a time series reads across), upright under columns too narrow for them level
    # ("24 Aug"); past what upright labels fit (28 weeks on the page, 12 on a phone) the
    # axis labels every other week, the table beside the chart listing them all.
    rows = horizontal or (not dates and bands * LABEL_STEP > WIDTH)
    upright = dates and bands * DATE_LEVEL > min(WIDTH, bands * COLUMN_STEP)
    spec = draw(rows, upright)
    phone = None
    if not rows and not dates and bands * LABEL_STEP > PHONE_PLOT:
        phone = phone_spec(draw(True, False))
    elif not rows and dates and not upright and bands * DATE_LEVEL > PHONE_PLOT:
        phone = _upright(phone_spec(spec))
    return Chart(table=table, description=description, spec=spec, phone=phone, blank=empty)


def _upright(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` (a copy) with its x axis's labels drawn upright."""
    out = dict(spec)
    if "layer" in out:
        out["layer"] = [_upright(part) if "encoding" in part else part for part in out["layer"]]
        return out
    encoding = dict(out.get("encoding") or {})
    if not isinstance(encoding.get("x"), dict):
        return out
    x = dict(encoding["x"])
    x["axis"] = dict(x.get("axis") or {}, labelAngle=270)
    encoding["x"] = x
    out["encoding"] = encoding
    return out


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
    axis: dict[str, Any] = {"format": label_format, "tickCount": ticks, "labelAngle": 0}
    if time_unit == MONTHS:
        axis = month_axis(month_span(values, x), WIDTH)
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
            axis=alt.Axis(**axis),
        ),
        alt.Y(f"{y}:Q", title=y, stack=None),
        alt.Color(f"{series}:N", sort=None, legend=alt.Legend(title=None, **LEGEND)),
    )
    empty = ""
    if values and _all_zero(values, y):
        empty = blank or f"Every {y} is 0 in this period, so there is nothing to draw yet."
    return Chart(table=table, description=description, spec=_spec(chart, table.title), blank=empty)
