"""The campaign timeline as drawing instructions: bars, milestones and link paths on a day
grid, computed as numbers and strings; `gantt_svg` prints them as SVG attributes. Coordinates
are kept as text, printed as they are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.safestring import SafeString

from headway.core.markup import fragment, joined
from headway.planning.models import Task

DAY = 18  # pixels per calendar day
ROW = 26  # pixels per row
LABEL = 220  # pixels for the task titles on the left
TITLE_CHARS = 30  # longer titles are cut with an ellipsis on the chart (the tooltip has all)


class LinkLike(Protocol):
    @property
    def predecessor_id(self) -> int: ...
    @property
    def successor_id(self) -> int: ...
    @property
    def type(self) -> str: ...


@dataclass(frozen=True)
class Bar:
    """A task's bar, or a milestone's diamond, with its label on the left: SVG attribute
    values, as text."""

    css: str  # "crit" on the critical path
    milestone: bool
    label: str  # the title, cut to TITLE_CHARS
    label_y: str
    x: str
    y: str
    width: str
    tooltip: str  # "title: start to due"
    diamond_x: str
    diamond_y: str
    rotate: str  # the diamond's turn about its centre


def _bar(x: int, y: int, width: int, t: Task) -> Bar:
    label = t.title if len(t.title) <= TITLE_CHARS else t.title[: TITLE_CHARS - 1] + "…"
    return Bar(
        css="crit" if t.critical else "",
        milestone=t.is_milestone,
        label=label,
        label_y=str(y + 13),
        x=str(x),
        y=str(y),
        width=str(width),
        tooltip=f"{t.title}: {_day(t.start_date)} to {_day(t.due_date)}",
        diamond_x=str(x + 2),
        diamond_y=str(y + 3),
        rotate=f"rotate(45 {x + 8} {y + 9})",
    )


@dataclass(frozen=True)
class Arrow:
    path: str
    css: str  # "link", or "link crit" between two critical tasks


@dataclass(frozen=True)
class Tick:
    x: str
    label_x: str
    label: str
    weekend: bool


@dataclass(frozen=True)
class Gantt:
    bars: list[Bar]
    arrows: list[Arrow]
    ticks: list[Tick]
    width: str
    height: str
    day_width: str
    today_x: str  # "" when today is outside the chart
    launch_x: str  # "" without a launch date


GANTT_ROWS = 60  # bars a screen can hold; a longer plan's chart shows them a page at a time


@dataclass(frozen=True)
class ChartWindow:
    """Which rows of the timeline are drawn: `shown` rows from `start` of `total` dated
    tasks (or of the critical ones only), in start-date order."""

    start: int
    shown: int
    total: int
    critical_only: bool
    rows: int = GANTT_ROWS

    @property
    def paged(self) -> bool:
        return self.critical_only or self.total > self.rows

    @property
    def page(self) -> int:
        return self.start // self.rows

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 0 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.start + self.shown < self.total else None

    @property
    def pages(self) -> int:
        return max(-(-self.total // self.rows), 1)


def _dated(tasks: list[Task]) -> list[tuple[dt.date, dt.date, Task]]:
    dated = [(t.start_date, t.due_date, t) for t in tasks if t.start_date and t.due_date]
    dated.sort(key=lambda row: (row[0], row[2].position, row[2].pk))
    return dated


def gantt_window(
    tasks: list[Task],
    links: Sequence[LinkLike],
    today: dt.date,
    launch: dt.date | None,
    *,
    page: int = 0,
    critical_only: bool = False,
    rows: int = GANTT_ROWS,
) -> tuple[Gantt | None, ChartWindow]:
    """The chart of one page of `rows` bars in start-date order (of the critical tasks only,
    if asked): a plan of any size draws at most what a screen holds. A plan that fits on one
    page is drawn whole, to its launch date."""
    dated = _dated(tasks)
    if critical_only:
        dated = [row for row in dated if row[2].critical]
    pages = max(-(-len(dated) // rows), 1)
    start = min(max(page, 0), pages - 1) * rows
    window = dated[start : start + rows]
    whole = len(window) == len(dated)
    chart = gantt([row[2] for row in window], links, today, launch, to_launch=whole)
    return chart, ChartWindow(start, len(window), len(dated), critical_only, rows)


def gantt(
    tasks: list[Task],
    links: Sequence[LinkLike],
    today: dt.date,
    launch: dt.date | None,
    *,
    to_launch: bool = True,
) -> Gantt | None:
    """The chart of `tasks`, from the first start to the last due date (and to the launch
    date with `to_launch`); the launch line only where it falls on the chart."""
    dated = _dated(tasks)
    if not dated:
        return None
    first = min(row[0] for row in dated)
    last = max(row[1] for row in dated)
    if launch and to_launch:
        last = max(last, launch)
    days = (last - first).days + 2

    def x_of(day: dt.date) -> int:
        return LABEL + (day - first).days * DAY

    bars, where = [], {}
    for n, (start, due, t) in enumerate(dated):
        x, y = x_of(start), 30 + n * ROW
        width = max(((due - start).days + 1) * DAY - 2, 4)
        bars.append(_bar(x, y, width, t))
        where[t.pk] = (x, y, width, t.critical)
    arrows = []
    for d in links:
        p, s = where.get(d.predecessor_id), where.get(d.successor_id)
        if p is None or s is None:
            continue
        x1 = p[0] + (0 if d.type in ("SS", "SF") else p[2])
        x2 = s[0] + (s[2] if d.type in ("FF", "SF") else 0)
        y1, y2 = p[1] + 9, s[1] + 9
        mid = max(x1 + 6, x2 - 6) if x2 > x1 + 12 else x1 + 6
        css = "link crit" if p[3] and s[3] else "link"
        arrows.append(Arrow(f"M{x1},{y1} H{mid} V{y2} H{x2}", css))
    ticks = []
    for k in range(days):
        day = first + dt.timedelta(days=k)
        if day.weekday() == 0 or k == 0:
            ticks.append(Tick(str(x_of(day)), str(x_of(day) + 2), f"{day:%-d %b}", False))
        elif day.weekday() >= 5:
            ticks.append(Tick(str(x_of(day)), "", "", True))
    return Gantt(
        bars=bars,
        arrows=arrows,
        ticks=ticks,
        width=str(LABEL + days * DAY + 10),
        height=str(40 + len(bars) * ROW),
        day_width=str(DAY),
        today_x=str(x_of(today)) if first <= today <= last else "",
        launch_x=str(x_of(launch)) if launch and first <= launch <= last else "",
    )


def _day(day: dt.date | None) -> str:
    return f"{day:%-d %b}" if day else ""


def gantt_svg(chart: Gantt, label: str) -> SafeString:
    """The chart as one SVG element; built with headway.core.markup because a template loop
    over hundreds of bars and links measured more than the rest of the page."""
    h = chart.height
    parts: list[SafeString] = [
        fragment(
            '<svg class="gantt" width="{}" height="{}" role="img" aria-label="{}">',
            chart.width,
            h,
            label,
        )
    ]
    for tick in chart.ticks:
        if tick.weekend:
            parts.append(
                fragment(
                    '<rect class="weekend" x="{}" y="20" width="{}" height="{}"></rect>',
                    tick.x,
                    chart.day_width,
                    h,
                )
            )
        else:
            parts.append(
                fragment(
                    '<line class="tick" x1="{0}" x2="{0}" y1="16" y2="{1}"></line>'
                    '<text class="tick-label" x="{2}" y="12">{3}</text>',
                    tick.x,
                    h,
                    tick.label_x,
                    tick.label,
                )
            )
    for name, line_x in (("launch-line", chart.launch_x), ("today-line", chart.today_x)):
        if line_x:
            parts.append(
                fragment(
                    '<line class="{0}" x1="{1}" x2="{1}" y1="16" y2="{2}"></line>', name, line_x, h
                )
            )
    parts.extend(fragment('<path class="{}" d="{}"></path>', a.css, a.path) for a in chart.arrows)
    parts.extend(_bar_svg(b) for b in chart.bars)
    parts.append(SafeString("</svg>"))
    return joined(parts)


def _bar_svg(b: Bar) -> SafeString:
    if b.milestone:
        shape = fragment(
            '<rect class="milestone" x="{}" y="{}" width="12" height="12" transform="{}"></rect>',
            b.diamond_x,
            b.diamond_y,
            b.rotate,
        )
    else:
        shape = fragment(
            '<rect class="bar" x="{}" y="{}" width="{}" height="18" rx="3">'
            "<title>{}</title></rect>",
            b.x,
            b.y,
            b.width,
            b.tooltip,
        )
    return fragment(
        '<g class="{}"><text class="bar-label" x="6" y="{}">{}</text>{}</g>',
        b.css,
        b.label_y,
        b.label,
        shape,
    )
