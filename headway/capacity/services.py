"""Writes to capacity: a person's weekly hours, working days, skill and engagement, and the
workspace's default effort per day of duration."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, diff, event_record, snapshot
from headway.capacity.models import Capacity, CapacitySettings
from headway.core.bounds import check_date, check_decimal, within
from headway.core.errors import DomainError
from headway.planning.models import RoleNeeded, Task, TaskStatus
from headway.planning.services.access import require_planner
from headway.planning.services.tasks import task_update
from headway.workspaces.models import Membership, Role, Workspace

CAPACITY_FIELDS = ["weekly_hours", "weekdays", "skill", "first_day", "last_day", "day_rate"]
HOURS_PER_WEEK_MAX = Decimal(168)


def _weekdays(days: Any) -> str:
    try:
        chosen = sorted({int(d) for d in days})
    except (TypeError, ValueError):
        raise DomainError(
            "Working days are weekday numbers, Monday 0 to Sunday 6.", field="weekdays"
        ) from None
    if not chosen:
        raise DomainError("Choose at least one working day.", field="weekdays")
    if chosen[0] < 0 or chosen[-1] > 6:
        raise DomainError(
            "Working days are weekday numbers, Monday 0 to Sunday 6.", field="weekdays"
        )
    return "".join(str(d) for d in chosen)


def _decimal(field: str, value: Any, max_digits: int, decimal_places: int) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(f"“{value}” is not a number.", field=field) from None
    return within(
        field, check_decimal, number, max_digits=max_digits, decimal_places=decimal_places
    )


def _hours(value: Any) -> Decimal:
    hours = _decimal("weekly_hours", value, 4, 1)
    if hours < 0 or hours > HOURS_PER_WEEK_MAX:
        raise DomainError("Weekly hours run from 0 to 168.", field="weekly_hours")
    return hours


def _membership(workspace: Workspace, user_id: int) -> Membership:
    membership = (
        Membership.objects.filter(workspace=workspace, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise DomainError("That person is not a member of this workspace.", field="user")
    if membership.role == Role.CLIENT:
        raise DomainError("Clients approve work; they carry no planned hours.", field="user")
    return membership


@transaction.atomic
def capacity_set(
    *,
    actor: User,
    workspace: Workspace,
    user_id: int,
    weekly_hours: Decimal | float | int,
    weekdays: Any,
    skill: str = "",
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
    day_rate: Decimal | None = None,
) -> Capacity:
    """Sets one person's capacity (planners only); the load grid reads it from then on."""
    require_planner(actor, workspace)
    membership = _membership(workspace, user_id)
    if skill not in RoleNeeded.values:
        raise DomainError(f"“{skill}” is not a kind of work Headway knows.", field="skill")
    for name, day in (("first_day", first_day), ("last_day", last_day)):
        if day is not None:
            within(name, check_date, day)
    if first_day and last_day and last_day < first_day:
        raise DomainError("The last day comes before the first.", field="last_day")
    if day_rate is not None:
        day_rate = _decimal("day_rate", day_rate, 10, 2)
        if day_rate < 0:
            raise DomainError("A day rate cannot be negative.", field="day_rate")
    values = {
        "weekly_hours": _hours(weekly_hours),
        "weekdays": _weekdays(weekdays),
        "skill": skill,
        "first_day": first_day,
        "last_day": last_day,
        "day_rate": day_rate,
    }
    capacity = Capacity.objects.filter(membership=membership).first()
    if capacity is None:
        capacity = Capacity.objects.create(workspace=workspace, membership=membership, **values)
        event_record(
            actor=actor,
            verb=Verb.CREATED,
            obj=capacity,
            workspace=workspace,
            changes=created_changes(capacity, CAPACITY_FIELDS),
        )
        return capacity
    before = snapshot(capacity, CAPACITY_FIELDS)
    for name, value in values.items():
        setattr(capacity, name, value)
    capacity.save()
    changes = diff(before, snapshot(capacity, CAPACITY_FIELDS))
    if changes:
        event_record(
            actor=actor, verb=Verb.UPDATED, obj=capacity, workspace=workspace, changes=changes
        )
    return capacity


@transaction.atomic
def capacity_settings_set(
    *, actor: User, workspace: Workspace, hours_per_day: Decimal | float | int
) -> CapacitySettings:
    """The hours a task without effort hours takes per day of its duration."""
    require_planner(actor, workspace)
    hours = _decimal("hours_per_day", hours_per_day, 3, 1)
    if hours <= 0 or hours > 24:
        raise DomainError("Hours per day run from 0.5 to 24.", field="hours_per_day")
    found, _ = CapacitySettings.objects.get_or_create(workspace=workspace)
    before = snapshot(found, ["hours_per_day"])
    found.hours_per_day = hours
    found.save()
    changes = diff(before, snapshot(found, ["hours_per_day"]))
    if changes:
        event_record(
            actor=actor, verb=Verb.UPDATED, obj=found, workspace=workspace, changes=changes
        )
    return found


@transaction.atomic
def cover_assign(*, actor: User, workspace: Workspace, task_id: int, user_id: int) -> Task:
    """Hands a task to the person covering it (planners only), through planning's owner
    change, so the activity log records it and the plan is redated if their days off move it."""
    require_planner(actor, workspace)
    task = Task.objects.filter(workspace=workspace, pk=task_id).select_related("campaign").first()
    if task is None:
        raise DomainError("That task is not in this workspace.", field="task")
    if task.status == TaskStatus.DONE:
        raise DomainError(f"“{task.title}” is done; there is nothing to cover.", field="task")
    _membership(workspace, user_id)
    return task_update(actor=actor, task=task, version=task.version, owner=user_id)
