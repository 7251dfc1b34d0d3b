"""Fetch, then compute: a campaign's plan loaded as the engine's plain dataclasses (tasks,
links, links from other campaigns, the workspace calendar, each owner's time off and the
days other apps say tasks cannot finish before), for `headway.engine.dated.schedule_dated`
to date. The dated scheduling itself lives in the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

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
from headway.engine.three_point import pert_mean
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


# What a campaign's stored schedule holds per task: (start, due, float, critical, why).
Stored = tuple[dt.date | None, dt.date | None, float, bool, str]

_TASK_COLUMNS = (
    "pk",
    "title",
    "kind",
    "duration_days",
    "optimistic_days",
    "likely_days",
    "pessimistic_days",
    "owner_id",
    "owner__name",
    "not_before",
    "start_date",
    "due_date",
    "total_float",
    "critical",
    "explanation",
)


_MILESTONE_KINDS = frozenset(k.value for k in TaskKind if k.is_milestone)


def _expected(kind: str, duration: Any, a: Any, m: Any, b: Any) -> float:
    """Task.expected_days from plain values."""
    if kind in _MILESTONE_KINDS:
        return 0.0
    if a is not None and m is not None and b is not None:
        return pert_mean(float(a), float(m), float(b))
    return float(duration)


def plan_load(campaign: Campaign) -> PlanInput:
    """The campaign's tasks and links, links from other campaigns, the calendar and the
    owners' time off: a constant number of queries whatever the size of the plan."""
    return plan_load_stored(campaign)[0]


def plan_load_stored(campaign: Campaign) -> tuple[PlanInput, dict[int, Stored]]:
    """`plan_load`, with each task's stored schedule, loaded from plain values (no model
    instances) so that a reschedule of a large plan stays cheap."""
    rows = list(
        Task.objects.filter(campaign=campaign)
        .order_by("position", "id")
        .values_list(*_TASK_COLUMNS)
    )
    tasks = [
        PlanTask(
            id=r[0],
            title=r[1],
            duration=_expected(r[2], r[3], r[4], r[5], r[6]),
            owner_id=r[7],
            owner_name=(r[8].split(" ")[0] if r[7] is not None else ""),
            launch=r[2] == TaskKind.LAUNCH,
        )
        for r in rows
    ]
    stored: dict[int, Stored] = {r[0]: (r[10], r[11], r[12], r[13], r[14]) for r in rows}
    not_before = {r[0]: r[9] for r in rows if r[9]}
    links, outside = [], []
    deps = Dependency.objects.filter(successor__campaign=campaign).values_list(
        "predecessor_id",
        "successor_id",
        "type",
        "lag",
        "predecessor__campaign_id",
        "predecessor__title",
        "predecessor__start_date",
        "predecessor__due_date",
    )
    for pred, succ, kind, lag, pred_campaign, title, start, due in deps:
        if pred_campaign == campaign.pk:
            links.append(PlanLink(pred, succ, kind, lag))
        elif start is not None and due is not None:
            outside.append(OutsideBound(succ, kind, lag, title, start, due))
    owners = {t.owner_id for t in tasks if t.owner_id}
    days_off: dict[int, set[dt.date]] = {}
    spans = TimeOff.objects.filter(workspace_id=campaign.workspace_id, user_id__in=owners)
    for user_id, first, last in spans.values_list("user_id", "first_day", "last_day"):
        day = first
        while day <= last:
            days_off.setdefault(user_id, set()).add(day)
            day += dt.timedelta(days=1)
    finish_after: dict[int, tuple[dt.date, str]] = {}
    for provider in _finish_bounds:
        finish_after |= provider(campaign, [t.id for t in tasks])
    plan = PlanInput(
        tasks,
        links,
        outside,
        calendar_for(campaign.workspace_id),
        days_off,
        not_before,
        finish_after,
    )
    return plan, stored


__all__ = [
    "NetworkError",
    "OutsideBound",
    "PlanInput",
    "PlanLink",
    "PlanResult",
    "PlanTask",
    "Stored",
    "TaskDates",
    "calendar_for",
    "plan_load",
    "plan_load_stored",
    "register_finish_bounds",
]
