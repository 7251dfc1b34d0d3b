"""When a campaign was planned to launch and when it launched: the one definition the campaign
page, the campaigns list, the crunch, the reviews and the execution facts all read, stored on
the campaign by the status change that fixes it (campaign_create, campaign_set_status).

- Planned launch: the brief's launch date when work began, on the campaign's first move out
  of draft and planned (to in progress, or straight to launched, in review or closed); a
  campaign that had no launch date then takes the one in force when it launched. Moving the
  date once work is under way does not move the plan, so the slip still shows.
- Launched: the moment of its first move to launched, in review or closed, and that moment's
  day in the workspace's time zone.
- Late: working days from the planned launch to the day it launched on the workspace
  calendar (its weekends and holidays, as its plans are dated); negative when early.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models.functions import Coalesce

from headway.engine.calendar import BusinessDays, WorkCalendar

LAUNCHED_OR_LATER = frozenset({"launched", "in_review", "closed"})
STARTED = LAUNCHED_OR_LATER | {"in_progress"}
#: The fields launch_follow_status may change
LAUNCH_FIELDS = ["planned_launch", "launched_at", "launched_on", "launch_late_days"]


@dataclass(frozen=True)
class LaunchRecord:
    planned: dt.date | None
    launched_at: dt.datetime | None


def went_out(relation: str = "") -> Coalesce:
    """The day a campaign went out, as a query expression: its launch record's day, else (no
    launch recorded: older data, or not launched yet) its brief's launch date. `relation` is
    the path to the campaign ("campaign__") when the query starts elsewhere."""
    return Coalesce(f"{relation}launched_on", f"{relation}launch_date")


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def launch_from_log(
    events: Iterable[tuple[Mapping[str, Any], dt.datetime]],
    launch_date: dt.date | None,
    status: str,
    tz: dt.tzinfo,
) -> LaunchRecord:
    """A campaign's launch record replayed from its events' changes (oldest first), for
    campaigns whose status moved before the record was stored. Without a logged launch a
    campaign already out launched at noon on its launch date."""
    rows = list(events)
    seen_date = any("launch_date" in (changes or {}) for changes, _at in rows)
    current = None if seen_date else launch_date
    planned: dt.date | None = None
    started = False
    launched_at: dt.datetime | None = None
    for changes, at in rows:
        changes = changes or {}
        if "launch_date" in changes:
            current = _as_date([*changes["launch_date"], None, None][1])
        after = [*changes.get("status", []), None, None][1]
        if after in STARTED and not started:
            started, planned = True, current
        if after in LAUNCHED_OR_LATER and launched_at is None:
            planned = planned or current
            launched_at = at
    if launched_at is None and status in LAUNCHED_OR_LATER and launch_date is not None:
        launched_at = dt.datetime.combine(launch_date, dt.time(12), tz)
    if planned is None and (started or launched_at is not None or status in STARTED):
        planned = current
    return LaunchRecord(planned, launched_at)


def late_working_days(calendar: WorkCalendar, planned: dt.date, launched_on: dt.date) -> int:
    """Working days the launch came after the planned day (negative: before it)."""
    return BusinessDays(calendar).between(planned, launched_on)


def launch_follow_status(
    campaign: Any, status: str, at: dt.datetime, calendar: WorkCalendar
) -> list[str]:
    """Stores on `campaign` what a move to `status` at `at` fixes of its launch (not saved);
    returns the fields changed."""
    changed: list[str] = []
    if status in STARTED and campaign.planned_launch is None and campaign.launch_date:
        campaign.planned_launch = campaign.launch_date
        changed.append("planned_launch")
    if status in LAUNCHED_OR_LATER and campaign.launched_at is None:
        campaign.launched_at = at
        campaign.launched_on = at.astimezone(campaign.workspace.tzinfo).date()
        changed += ["launched_at", "launched_on"]
        if campaign.planned_launch is not None:
            campaign.launch_late_days = late_working_days(
                calendar, campaign.planned_launch, campaign.launched_on
            )
            changed.append("launch_late_days")
    return changed
