"""The campaign timeline as drawing instructions: bars, milestones and link paths on a day
grid, computed here so the template only prints SVG attributes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from headway.planning.models import Dependency, Task

DAY = 18  # pixels per calendar day
ROW = 26  # pixels per row
LABEL = 220  # pixels for the task titles on the left


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
    tasks: list[Task], links: list[Dependency], today: dt.date, launch: dt.date | None
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
