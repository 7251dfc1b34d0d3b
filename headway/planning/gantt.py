"""The campaign timeline as drawing instructions: bars, milestones and link paths on a day
grid, computed here so the template only prints SVG attributes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.safestring import SafeString, mark_safe

from headway.planning.fast_html import format_html
from headway.planning.models import Task

DAY = 18  # pixels per calendar day
ROW = 26  # pixels per row
LABEL = 220  # pixels for the task titles on the left


class LinkLike(Protocol):
    @property
    def predecessor_id(self) -> int: ...
    @property
    def successor_id(self) -> int: ...
    @property
    def type(self) -> str: ...


@dataclass(frozen=True)
class Bar:
    task: Task
    x: int
    y: int
    width: int
    milestone: bool
    critical: bool


@dataclass(frozen=True)
class Arrow:
    path: str
    critical: bool


@dataclass(frozen=True)
class Tick:
    x: int
    label: str
    weekend: bool


@dataclass(frozen=True)
class Gantt:
    bars: list[Bar]
    arrows: list[Arrow]
    ticks: list[Tick]
    width: int
    height: int
    today_x: int | None
    launch_x: int | None


def gantt(
    tasks: list[Task], links: Sequence[LinkLike], today: dt.date, launch: dt.date | None
) -> Gantt | None:
    dated: list[tuple[dt.date, dt.date, Task]] = [
        (t.start_date, t.due_date, t) for t in tasks if t.start_date and t.due_date
    ]
    if not dated:
        return None
    dated.sort(key=lambda row: (row[0], row[2].position, row[2].pk))
    first = min(row[0] for row in dated)
    last = max(row[1] for row in dated)
    if launch:
        last = max(last, launch)
    days = (last - first).days + 2

    def x_of(day: dt.date) -> int:
        return LABEL + (day - first).days * DAY

    bars, where = [], {}
    for n, (start, due, t) in enumerate(dated):
        width = max(((due - start).days + 1) * DAY - 2, 4)
        bar = Bar(t, x_of(start), 30 + n * ROW, width, t.is_milestone, t.critical)
        bars.append(bar)
        where[t.pk] = bar
    arrows = []
    for d in links:
        p, s = where.get(d.predecessor_id), where.get(d.successor_id)
        if p is None or s is None:
            continue
        x1 = p.x + (0 if d.type in ("SS", "SF") else p.width)
        x2 = s.x + (s.width if d.type in ("FF", "SF") else 0)
        y1, y2 = p.y + 9, s.y + 9
        mid = max(x1 + 6, x2 - 6) if x2 > x1 + 12 else x1 + 6
        path = f"M{x1},{y1} H{mid} V{y2} H{x2}"
        arrows.append(Arrow(path, p.critical and s.critical))
    ticks = []
    for k in range(days):
        day = first + dt.timedelta(days=k)
        if day.weekday() == 0 or k == 0:
            ticks.append(Tick(x_of(day), f"{day:%-d %b}", False))
        elif day.weekday() >= 5:
            ticks.append(Tick(x_of(day), "", True))
    today_x = x_of(today) if first <= today <= last else None
    return Gantt(
        bars=bars,
        arrows=arrows,
        ticks=ticks,
        width=LABEL + days * DAY + 10,
        height=40 + len(bars) * ROW,
        today_x=today_x,
        launch_x=x_of(launch) if launch else None,
    )


def gantt_svg(chart: Gantt, label: str) -> SafeString:
    """The chart as one SVG element; built here because a template loop over hundreds of
    bars costs more than the rest of the page."""
    parts: list[str] = [
        format_html(
            '<svg class="gantt" width="{}" height="{}" role="img" aria-label="{}">',
            chart.width,
            chart.height,
            label,
        )
    ]
    h = chart.height
    for tick in chart.ticks:
        x = tick.x
        if tick.weekend:
            parts.append(f'<rect class="weekend" x="{x}" y="20" width="{DAY}" height="{h}"></rect>')
        else:
            parts.append(
                f'<line class="tick" x1="{x}" x2="{x}" y1="16" y2="{h}"></line>'
                + format_html('<text class="tick-label" x="{}" y="12">{}</text>', x + 2, tick.label)
            )
    for name, line_x in (("launch-line", chart.launch_x), ("today-line", chart.today_x)):
        if line_x is not None:
            parts.append(
                f'<line class="{name}" x1="{line_x}" x2="{line_x}" y1="16" y2="{h}"></line>'
            )
    for a in chart.arrows:
        parts.append(f'<path class="link{" crit" if a.critical else ""}" d="{a.path}"></path>')
    for b in chart.bars:
        t = b.task
        title = t.title if len(t.title) <= 30 else t.title[:29] + "…"
        parts.append(f'<g class="{"crit" if b.critical else ""}">')
        parts.append(format_html('<text class="bar-label" x="6" y="{}">{}</text>', b.y + 13, title))
        if b.milestone:
            parts.append(
                f'<rect class="milestone" x="{b.x + 2}" y="{b.y + 3}" width="12" height="12" '
                f'transform="rotate(45 {b.x + 8} {b.y + 9})"></rect>'
            )
        else:
            parts.append(
                format_html(
                    '<rect class="bar" x="{}" y="{}" width="{}" height="18" rx="3">'
                    "<title>{}: {} to {}</title></rect>",
                    b.x,
                    b.y,
                    b.width,
                    t.title,
                    _day(t.start_date),
                    _day(t.due_date),
                )
            )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _day(day: dt.date | None) -> str:
    return f"{day:%-d %b}" if day else ""
