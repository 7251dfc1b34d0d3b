"""Storing schedules, and previewing what a change would move before it is saved."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from headway.core.errors import DomainError
from headway.core.prepared import PreparedRead
from headway.engine.calendar import BusinessDays, WorkCalendar
from headway.engine.dated import (
    EPS,
    NetworkError,
    PlanInput,
    PlanLink,
    PlanResult,
    schedule_dated,
)
from headway.planning.models import (
    Campaign,
    CampaignStatus,
    Holiday,
    Task,
    TaskKind,
    TaskStatus,
    TimeOff,
)
from headway.planning.scheduling import Stored, plan_load, plan_load_stored
from headway.planning.signals import PLAN_MARK, plan_changed


def plan_changed_announce(campaign: Campaign, moved_task_ids: list[int]) -> None:
    """Sends `plan_changed` for the campaign once the current transaction commits, with the
    ids `moved_task_ids` holds then (a caller may announce before its insert and add the new
    row's id after). The hook is marked with the campaign (see `signals.PLAN_MARK`)."""

    def send() -> None:
        plan_changed.send(sender=Campaign, campaign=campaign, moved_task_ids=list(moved_task_ids))

    setattr(send, PLAN_MARK, campaign.pk)
    transaction.on_commit(send)


def _store(
    campaign: Campaign, result: PlanResult, cal: WorkCalendar, stored: dict[int, Stored]
) -> list[int]:
    """Writes the new dates of the tasks whose schedule changed (one statement for all),
    then the campaign's plan dates; returns the ids of the tasks whose start or due date
    moved (what tasks of other campaigns wait on)."""
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(timezone.now())
    day = ops.adapt_datefield_value
    rows, moved, dated = [], [], []
    for pk, old in stored.items():
        d = result.dates.get(pk)
        if d is None:
            continue
        new = (d.start, d.due, float(d.total_float), bool(d.critical), d.explanation[:200])
        if new != old:
            rows.append((day(new[0]), day(new[1]), *new[2:], stamp, pk))
            moved.append(pk)
            if new[:2] != old[:2]:
                dated.append(pk)
    if rows:
        table = ops.quote_name(Task._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET start_date = %s, due_date = %s, total_float = %s, "
                "critical = %s, explanation = %s, updated_at = %s WHERE id = %s",
                rows,
            )
    late = 0
    if campaign.launch_date and result.launch and result.launch > campaign.launch_date:
        late = cal.working_days_between(campaign.launch_date, result.launch)
    dates = (result.plan_start, result.launch, result.short_by, late)
    changed = dates != (
        campaign.plan_start,
        campaign.projected_launch,
        campaign.short_by,
        campaign.late_by,
    )
    campaign.plan_start, campaign.projected_launch, campaign.short_by, campaign.late_by = dates
    campaign.plan_finish = result.finish
    campaign.plan_finish_floor = result.finish_floor
    campaign.scheduled_on = campaign.workspace.today()
    Campaign.objects.filter(pk=campaign.pk).update(
        plan_start=campaign.plan_start,
        projected_launch=campaign.projected_launch,
        short_by=campaign.short_by,
        late_by=campaign.late_by,
        plan_finish=campaign.plan_finish,
        plan_finish_floor=campaign.plan_finish_floor,
        scheduled_on=campaign.scheduled_on,
        updated_at=timezone.now(),
    )
    if moved or changed:
        plan_changed_announce(campaign, moved)
    return dated


def plans_backward(campaign: Campaign) -> bool:
    """Whether the plan is still dated back from its launch date: a draft or planned
    campaign with a launch date ahead, whose first day has not passed and no task started.
    Once work starts, the plan's first day is fixed and changes move the launch instead."""
    today = campaign.workspace.today()
    if campaign.launch_date is None or campaign.launch_date < today:
        return False
    if campaign.plan_start is not None and campaign.plan_start < today:
        return False  # the plan's first day has passed: it is under way
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.PLANNED):
        return False
    return (
        not Task.objects.filter(campaign=campaign).exclude(status=TaskStatus.NOT_STARTED).exists()
    )


def _schedule(campaign: Campaign, plan: PlanInput, backward: bool) -> PlanResult:
    today = campaign.workspace.today()
    if backward and campaign.launch_date is not None:
        return schedule_dated(plan, launch=campaign.launch_date, today=today)
    return schedule_dated(plan, start=campaign.plan_start or today, today=today)


def campaign_reschedule(
    campaign: Campaign, plan: PlanInput | None = None, *, _seen: frozenset[int] = frozenset()
) -> PlanResult:
    """Recomputes every task's dates: back from the launch date while the campaign is
    being planned (see `plans_backward`), else forward from the plan's first day, so that
    dependent dates follow a change and the launch may move. Only the rows whose schedule
    changed are written. Downstream, only the campaigns with a task waiting on a task whose
    start or due date moved are rescheduled too (they read nothing else of this plan)."""
    loaded, stored = plan_load_stored(campaign)
    plan = plan or loaded
    result = _schedule(campaign, plan, plans_backward(campaign))
    dated = _store(campaign, result, plan.calendar, stored)
    if dated:
        seen = _seen | {campaign.pk}
        for other in campaigns_waiting_on(campaign, dated).exclude(pk__in=seen):
            campaign_reschedule(other, _seen=seen)
    return result


WAITING_IDS_MAX = 500  # past this many moved tasks, ask by campaign instead of by task


def campaigns_waiting_on(campaign: Campaign, task_ids: list[int]) -> QuerySet[Campaign]:
    """The other campaigns with a task linked after one of `task_ids` (of `campaign`)."""
    if len(task_ids) > WAITING_IDS_MAX:
        after = Q(tasks__predecessor_links__predecessor__campaign=campaign)
    else:
        after = Q(tasks__predecessor_links__predecessor_id__in=task_ids)
    return (
        Campaign.objects.filter(after)
        .exclude(pk=campaign.pk)
        .select_related("workspace")
        .distinct()
    )


# The workspace's holidays as `calendar_for` reads them, for every create: compiled once (see
# headway.core.prepared).
_HOLIDAYS = PreparedRead(
    lambda workspace_id: (
        Holiday.objects.filter(workspace_id=workspace_id).values_list("date").order_by()
    ),
    rows=True,
    workspace_id=-918_273_645,
)


def unlinked_dates(campaign: Campaign, task: Task) -> dict[str, object] | None:
    """The dates a new task that has no links gets without rescheduling the plan, when that
    gives exactly what a full reschedule would: the plan was scheduled today, the task is no
    launch, has no start-no-earlier-than date, its owner has no days off, and it is no
    longer than the shortest plan finish the last reschedule settled from, so no other
    task's dates, float or criticality move. None when the plan must be rescheduled. The
    task need not be saved yet: a create stores these with the row."""
    finish, floor = campaign.plan_finish, campaign.plan_finish_floor
    if finish is None or floor is None or campaign.plan_start is None:
        return None
    if campaign.scheduled_on != campaign.workspace.today():
        return None
    if task.kind == TaskKind.LAUNCH or task.not_before is not None:
        return None
    days = task.expected_days
    if days > floor:
        return None
    if task.owner_id is not None and (
        TimeOff.objects.filter(workspace_id=campaign.workspace_id, user_id=task.owner_id).exists()
    ):
        return None
    last = max(int(np.ceil(days - EPS)) - 1, 0)
    holidays = _HOLIDAYS.all(workspace_id=campaign.workspace_id)
    cal = BusinessDays(WorkCalendar(holidays=frozenset(day for (day,) in holidays)))
    start, due = cal.dates(campaign.plan_start, np.array([0, last], dtype=np.int64))
    total = (finish - days) - 0.0  # late start minus early start, as the engine computes it
    return {
        "start_date": start,
        "due_date": due,
        "total_float": total,
        "critical": abs(total) <= 1e-7,
        "explanation": "plan start",
    }


@dataclass(frozen=True)
class PlanChange:
    """A change to preview: a new duration, a new link, or a later start for one task."""

    task_id: int | None = None
    duration: float | None = None
    link: PlanLink | None = None
    not_before: dt.date | None = None
    set_not_before: bool = False  # apply `not_before`, None removing the task's date
    remove_link: tuple[int, int] | None = None


@dataclass(frozen=True)
class Moved:
    task_id: int
    title: str
    before: dt.date
    after: dt.date
    days: int  # working days later (negative: earlier)


@dataclass(frozen=True)
class Preview:
    moved: list[Moved] = field(default_factory=list)
    launch_before: dt.date | None = None
    launch_after: dt.date | None = None
    launch_days: int = 0
    start_days: int = 0  # working days the plan's first day moves (backward scheduling)

    def summary(self) -> str:
        n = len(self.moved)
        text = f"moves {n} task{'' if n == 1 else 's'}"
        if self.start_days and not self.launch_days:
            days = abs(self.start_days)
            word = "earlier" if self.start_days < 0 else "later"
            return (
                f"{text}; the launch stays, and work must start {days} working "
                f"day{'' if days == 1 else 's'} {word}"
            )
        if not self.launch_days:
            return text + "; the launch does not move"
        word = "later" if self.launch_days > 0 else "earlier"
        days = abs(self.launch_days)
        return f"{text}; the launch moves {days} working day{'' if days == 1 else 's'} {word}"


def _apply(plan: PlanInput, change: PlanChange) -> PlanInput:
    tasks, links = list(plan.tasks), list(plan.links)
    if change.duration is not None and change.task_id is not None:
        tasks = [
            replace(t, duration=change.duration) if t.id == change.task_id else t for t in tasks
        ]
    if change.link is not None:
        links.append(change.link)
    if change.remove_link is not None:
        links = [k for k in links if (k.predecessor, k.successor) != change.remove_link]
    not_before = dict(plan.not_before)
    if change.task_id is not None and (change.set_not_before or change.not_before):
        not_before.pop(change.task_id, None)
        if change.not_before is not None:
            not_before[change.task_id] = change.not_before
    return replace(plan, tasks=tasks, links=links, not_before=not_before)


def plan_preview(campaign: Campaign, change: PlanChange) -> Preview:
    """What `change` would move, computed on the current plan without saving anything.
    A change that would close a cycle raises DomainError naming the tasks."""
    plan = plan_load(campaign)
    backward = plans_backward(campaign)
    before = _schedule(campaign, plan, backward)
    try:
        after = _schedule(campaign, _apply(plan, change), backward)
    except NetworkError as exc:
        raise cycle_error(exc, plan) from None
    return _compare(plan, before, after)


def launch_preview(campaign: Campaign, launch: dt.date) -> Preview:
    """What moving the launch date would move: while the plan is dated back from its launch
    the tasks follow it; once under way nothing moves and the preview says so."""
    plan = plan_load(campaign)
    before = _schedule(campaign, plan, plans_backward(campaign))
    moved_campaign = copy.copy(campaign)
    moved_campaign.launch_date = launch
    after = _schedule(moved_campaign, plan, plans_backward(moved_campaign))
    return _compare(plan, before, after)


def _compare(plan: PlanInput, before: PlanResult, after: PlanResult) -> Preview:
    cal = plan.calendar
    titles = {t.id: t.title for t in plan.tasks}
    moved = []
    for tid, old in before.dates.items():
        new = after.dates[tid]
        if new.start != old.start:
            days = cal.working_days_between(old.start, new.start)
            moved.append(Moved(tid, titles[tid], old.start, new.start, days))
    launch_days = 0
    if before.launch and after.launch:
        launch_days = cal.working_days_between(before.launch, after.launch)
    start_days = cal.working_days_between(before.plan_start, after.plan_start)
    return Preview(moved, before.launch, after.launch, launch_days, start_days)


def cycle_error(exc: NetworkError, plan: PlanInput) -> DomainError:
    titles = {str(t.id): t.title for t in plan.tasks}
    names = [titles.get(t, t) for t in exc.tasks]
    if len(names) > 1:
        loop = " → ".join([*names, names[0]])
        return DomainError(
            f"That link would make a loop: {loop}. Remove one of these links first.",
            field="predecessor",
            code="cycle",
        )
    return DomainError(str(exc), field="predecessor", code="invalid_network")
