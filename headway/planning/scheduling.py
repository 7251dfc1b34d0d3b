"""Fetch, then compute: a campaign's plan loaded as the engine's plain dataclasses (tasks,
links, links from other campaigns, the workspace calendar, each owner's time off and the
days other apps say tasks cannot finish before), for `headway.engine.dated.schedule_dated`
to date. The dated scheduling itself lives in the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from headway.engine.calendar import WorkCalendar
from headway.engine.dated import (
    NetworkError,
    OutsideBound,
    PlanInput,
    PlanLink,
    PlanResult,
    PlanTask,
    TaskDates,
)
from headway.planning.models import Campaign, Dependency, Holiday, Task, TaskKind, TimeOff

# Other apps tell the scheduler about days tasks cannot finish before (approvals do):
# each provider maps the campaign and its task ids to {task id: (day, reason)}.
FinishBounds = Callable[[Campaign, list[int]], dict[int, tuple[dt.date, str]]]
_finish_bounds: list[FinishBounds] = []


def register_finish_bounds(provider: FinishBounds) -> None:
    if provider not in _finish_bounds:
        _finish_bounds.append(provider)


def calendar_for(workspace_id: int) -> WorkCalendar:
    days = Holiday.objects.filter(workspace_id=workspace_id).values_list("date", flat=True)
    return WorkCalendar(holidays=frozenset(days))


def plan_load(campaign: Campaign) -> PlanInput:
    """The campaign's tasks and links, links from other campaigns, the calendar and the
    owners' time off: four queries whatever the size of the plan."""
    rows = list(
        Task.objects.filter(campaign=campaign).select_related("owner").order_by("position", "id")
    )
    tasks = [
        PlanTask(
            id=t.pk,
            title=t.title,
            duration=t.expected_days,
            owner_id=t.owner_id,
            owner_name=(t.owner.name.split(" ")[0] if t.owner else ""),
            launch=t.kind == TaskKind.LAUNCH,
        )
        for t in rows
    ]
    ids = {t.id for t in tasks}
    links, outside = [], []
    deps = Dependency.objects.filter(successor__campaign=campaign).select_related("predecessor")
    for d in deps:
        if d.predecessor_id in ids:
            links.append(PlanLink(d.predecessor_id, d.successor_id, d.type, d.lag))
            continue
        p = d.predecessor
        if p.start_date is not None and p.due_date is not None:
            outside.append(
                OutsideBound(d.successor_id, d.type, d.lag, p.title, p.start_date, p.due_date)
            )
    owners = {t.owner_id for t in tasks if t.owner_id}
    days_off: dict[int, set[dt.date]] = {}
    for off in TimeOff.objects.filter(workspace_id=campaign.workspace_id, user_id__in=owners):
        day = off.first_day
        while day <= off.last_day:
            days_off.setdefault(off.user_id, set()).add(day)
            day += dt.timedelta(days=1)
    not_before = {t.pk: t.not_before for t in rows if t.not_before}
    finish_after: dict[int, tuple[dt.date, str]] = {}
    for provider in _finish_bounds:
        finish_after |= provider(campaign, [t.pk for t in rows])
    return PlanInput(
        tasks,
        links,
        outside,
        calendar_for(campaign.workspace_id),
        days_off,
        not_before,
        finish_after,
    )


__all__ = [
    "NetworkError",
    "OutsideBound",
    "PlanInput",
    "PlanLink",
    "PlanResult",
    "PlanTask",
    "TaskDates",
    "calendar_for",
    "plan_load",
    "register_finish_bounds",
]
