"""When an approval step is due: its limit counted in working days or working hours
(09:00-17:00 on the workspace's working days), in the workspace's time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from headway.approvals.models import LimitUnit
from headway.engine.calendar import WorkCalendar

DAY_START = dt.time(9)
DAY_END = dt.time(17)


def due_at(
    start: dt.datetime, limit: int, unit: str, calendar: WorkCalendar, tz: zoneinfo.ZoneInfo
) -> dt.datetime:
    """The moment `limit` working days or hours after `start` (an aware datetime)."""
    local = start.astimezone(tz)
    if unit == LimitUnit.DAYS:
        first = calendar.next_working(local.date())
        day = calendar.add(first, limit)
        return dt.datetime.combine(day, local.time(), tz)
    cursor = local
    remaining = dt.timedelta(hours=limit)
    while remaining > dt.timedelta(0):
        day = cursor.date()
        end = dt.datetime.combine(day, DAY_END, tz)
        if not calendar.is_working(day) or cursor >= end:
            cursor = dt.datetime.combine(
                calendar.next_working(day + dt.timedelta(1)), DAY_START, tz
            )
            continue
        cursor = max(cursor, dt.datetime.combine(day, DAY_START, tz))
        take = min(remaining, end - cursor)
        cursor += take
        remaining -= take
    return cursor
