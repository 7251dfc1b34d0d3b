"""Absence cover: what time off would do before it is stored, and who could take the work.

Each open campaign in which the person owns unfinished work is scheduled twice in memory, as
stored and with the extra days off, so the preview shows the tasks that move, the launches
that move and the person's content slots in the window; then, for each of the person's tasks
that moves, the people who do the same kind of work with free hours in the window, each with
the launch the campaign would get if they took the task. Nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from headway.capacity.selectors import (
    OPEN_CAMPAIGNS,
    PersonCapacity,
    capacity_people,
    days_off_between,
    hours_per_day,
    open_work,
)
from headway.core.bounds import check_date, within
from headway.core.errors import DomainError
from headway.engine.calendar import WorkCalendar
from headway.engine.dated import PlanInput, PlanResult, schedule_dated
from headway.engine.load import Work, free_hours, hours_between
from headway.planning.models import Campaign, RoleNeeded, Task, TaskKind, TaskStatus
from headway.planning.scheduling import calendar_for, plan_load
from headway.planning.services.schedule import plans_backward
from headway.publishing.models import ContentPiece, Stage
from headway.workspaces.models import Role, Workspace

CANDIDATES_SHOWN = 3
ABSENCE_DAYS_MAX = 366
# Days off further ahead than this do not move a plan that a preview compares.
DAYS_OFF_HORIZON = dt.timedelta(days=730)


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    fit: str  # why they fit: "does design work", "title: Freelance designer"
    free_hours: float
    launch_after: dt.date | None
    launch_days: int  # working days from the launch as stored (0: back on its date)

    @property
    def recovers(self) -> bool:
        return self.launch_days <= 0


@dataclass
class AffectedTask:
    task_id: int
    title: str
    campaign_id: int
    campaign: str
    role: str
    start: dt.date
    due: dt.date
    new_start: dt.date
    new_due: dt.date
    slip_days: int  # working days the task's end moves (negative: earlier)
    hours_in_window: float
    candidates: list[Candidate] = field(default_factory=list)
    can_cover: bool = True  # a launch milestone cannot be handed over

    @property
    def role_label(self) -> str:
        return str(RoleNeeded(self.role).label) if self.role else ""


@dataclass(frozen=True)
class LaunchMove:
    campaign_id: int
    name: str
    launch_date: dt.date | None  # the date set
    before: dt.date | None  # projected, as stored
    after: dt.date | None  # projected, with the time off
    days: int
    moved_tasks: int
    start_days: int = 0  # a plan dated back from its launch starts this much earlier instead
    short_by: int = 0  # ...or cannot start early enough by this many working days


@dataclass(frozen=True)
class UncoveredSlot:
    piece_id: int
    title: str
    channel: str
    publish_at: dt.datetime | None


@dataclass
class CoverPreview:
    person: PersonCapacity
    first_day: dt.date
    last_day: dt.date
    working_days: int
    tasks: list[AffectedTask]
    launches: list[LaunchMove]
    slots: list[UncoveredSlot]

    @property
    def launches_moving(self) -> list[LaunchMove]:
        return [m for m in self.launches if m.days > 0]

    @property
    def launches_affected(self) -> list[LaunchMove]:
        """Launches that move, or whose work must start earlier or cannot start early enough."""
        return [m for m in self.launches if m.days > 0 or m.short_by or m.start_days < 0]

    @property
    def launches_unaffected(self) -> list[LaunchMove]:
        affected = {m.campaign_id for m in self.launches_affected}
        return [m for m in self.launches if m.campaign_id not in affected]

    @property
    def changes_nothing(self) -> bool:
        return not self.tasks and not self.launches_moving and not self.slots


def _days(first: dt.date, last: dt.date) -> set[dt.date]:
    return {first + dt.timedelta(days=k) for k in range((last - first).days + 1)}


def _check(first_day: dt.date, last_day: dt.date) -> None:
    within("first_day", check_date, first_day)
    within("last_day", check_date, last_day)
    if last_day < first_day:
        raise DomainError("The last day comes before the first.", field="last_day")
    if (last_day - first_day).days > ABSENCE_DAYS_MAX:
        raise DomainError("Time off longer than a year is not time off.", field="last_day")


def _schedule(campaign: Campaign, plan: PlanInput, backward: bool) -> PlanResult:
    today = campaign.workspace.today()
    if backward and campaign.launch_date is not None:
        return schedule_dated(plan, launch=campaign.launch_date, today=today)
    return schedule_dated(plan, start=campaign.plan_start or today, today=today)


def _with_days_off(plan: PlanInput, user_id: int, days: set[dt.date]) -> PlanInput:
    days_off = dict(plan.days_off)
    days_off[user_id] = set(days_off.get(user_id, set())) | days
    return replace(plan, days_off=days_off)


def _handed_over(plan: PlanInput, task_id: int, to: PersonCapacity, off: set[dt.date]) -> PlanInput:
    tasks = [
        replace(t, owner_id=to.user_id, owner_name=to.first_name) if t.id == task_id else t
        for t in plan.tasks
    ]
    days_off = dict(plan.days_off)
    days_off[to.user_id] = set(days_off.get(to.user_id, set())) | off
    return replace(plan, tasks=tasks, days_off=days_off)


def _between(cal: WorkCalendar, a: dt.date | None, b: dt.date | None) -> int:
    if a is None or b is None:
        return 0
    return cal.working_days_between(a, b)


@dataclass
class _Context:
    workspace: Workspace
    person: PersonCapacity
    first: dt.date
    last: dt.date
    window: set[dt.date]
    people: list[PersonCapacity]
    days_off: dict[int, set[dt.date]]
    work: list[Work]
    hours: dict[int, float]


def _fits(ctx: _Context, role: str) -> list[tuple[int, PersonCapacity, str]]:
    """People other than the absent one who do `role` work (2) or whose title names it (1)."""
    if not role:
        return []
    label = str(RoleNeeded(role).label)
    out = []
    for p in ctx.people:
        if p.user_id == ctx.person.user_id:
            continue
        if p.skill == role:
            out.append((2, p, f"does {label.lower()} work"))
        elif label.lower() in p.title.lower():
            out.append((1, p, f"title: {p.title}"))
    return out


def _is_owner(p: PersonCapacity) -> bool:
    return p.role == Role.OWNER


OWNER_LAST = "; the workspace owner, proposed only because nobody else who fits has free hours"
# The owner is the only one left who does that kind of work (or has it in their title).
OWNER_ONLY = "; the workspace owner, and the only other person who does {work} work"


def _candidates(
    ctx: _Context, campaign: Campaign, plan: PlanInput, backward: bool, task: AffectedTask,
    before: PlanResult,
) -> list[Candidate]:  # fmt: skip
    cal = plan.calendar
    ranked = []
    fits = _fits(ctx, task.role)
    for fit, p, why in fits:
        person = p.as_person(ctx.days_off.get(p.user_id))
        free = free_hours(person, ctx.work, cal, ctx.first, ctx.last)
        if free <= 0:
            continue
        enough = free + 1e-6 >= task.hours_in_window
        ranked.append((_is_owner(p), -fit, not enough, -free, p.name, p, why, free))
    # The workspace owner (the founder) is the team's scarcest hours and usually its main
    # approver: propose them only when nobody else who fits has free hours.
    if any(not r[0] for r in ranked):
        ranked = [r for r in ranked if not r[0]]
    elif all(_is_owner(p) for _, p, _ in fits):
        work = str(RoleNeeded(task.role).label).lower()
        ranked = [(*r[:6], r[6] + OWNER_ONLY.format(work=work), r[7]) for r in ranked]
    else:
        ranked = [(*r[:6], r[6] + OWNER_LAST, r[7]) for r in ranked]
    ranked.sort(key=lambda r: r[:5])
    away = _with_days_off(plan, ctx.person.user_id, ctx.window)
    out = []
    for *_, p, why, free in ranked[:CANDIDATES_SHOWN]:
        off = ctx.days_off.get(p.user_id, set())
        result = _schedule(campaign, _handed_over(away, task.task_id, p, off), backward)
        days = _between(cal, before.launch, result.launch)
        out.append(Candidate(p.user_id, p.name, why, round(free, 1), result.launch, days))
    return out


def _campaign(
    ctx: _Context, campaign: Campaign, owned: dict[int, Task]
) -> tuple[LaunchMove, list[AffectedTask]]:
    plan = plan_load(campaign)
    backward = plans_backward(campaign)
    before = _schedule(campaign, plan, backward)
    after = _schedule(campaign, _with_days_off(plan, ctx.person.user_id, ctx.window), backward)
    cal = plan.calendar
    moved = [
        tid
        for tid, d in before.dates.items()
        if (after.dates[tid].start, after.dates[tid].due) != (d.start, d.due)
    ]
    move = LaunchMove(
        campaign.pk,
        campaign.name,
        campaign.launch_date,
        before.launch,
        after.launch,
        _between(cal, before.launch, after.launch),
        len(moved),
        _between(cal, before.plan_start, after.plan_start),
        after.short_by,
    )
    affected = []
    for t in plan.tasks:
        task = owned.get(t.id)
        if task is None:
            continue
        b, a = before.dates[t.id], after.dates[t.id]
        touches = b.start <= ctx.last and b.due >= ctx.first
        if (b.start, b.due) == (a.start, a.due) and not touches:
            continue
        item = AffectedTask(
            t.id, t.title, campaign.pk, campaign.name,
            task.role_needed or ctx.person.skill,
            b.start, b.due, a.start, a.due,
            _between(cal, b.due, a.due),
            round(ctx.hours.get(t.id, 0.0), 1),
            can_cover=not t.launch,
        )  # fmt: skip
        if item.can_cover:
            item.candidates = _candidates(ctx, campaign, plan, backward, item, before)
        affected.append(item)
    return move, affected


def _slots(ctx: _Context) -> list[UncoveredSlot]:
    tz = ctx.workspace.tzinfo
    lo = dt.datetime.combine(ctx.first, dt.time(), tz)
    hi = dt.datetime.combine(ctx.last + dt.timedelta(days=1), dt.time(), tz)
    rows = (
        ContentPiece.objects.filter(
            workspace=ctx.workspace,
            owner_id=ctx.person.user_id,
            publish_at__gte=lo,
            publish_at__lt=hi,
        )
        .exclude(stage=Stage.PUBLISHED)
        .order_by("publish_at", "id")
        .values_list("pk", "title", "channel__name", "publish_at")
    )
    return [UncoveredSlot(pk, title, channel, at) for pk, title, channel, at in rows]


def cover_preview(
    *, workspace: Workspace, user_id: int, first_day: dt.date, last_day: dt.date
) -> CoverPreview:
    """What recording `user_id`'s time off from `first_day` to `last_day` would move, and who
    could cover; computed in memory, nothing stored."""
    _check(first_day, last_day)
    people = capacity_people(workspace)
    person = next((p for p in people if p.user_id == user_id), None)
    if person is None:
        raise DomainError("That person is not a member of this workspace.", field="user")
    today = workspace.today()
    days_off = days_off_between(
        workspace, min(today, first_day), max(today, last_day) + DAYS_OFF_HORIZON
    )
    per_day = hours_per_day(workspace)
    work, _ = open_work(workspace, first_day, last_day, per_day)
    own = [w for w in work if w.owner_id == user_id]
    off = frozenset(days_off.get(user_id, set()))
    inside = hours_between(own, off, calendar_for(workspace.pk), first_day, last_day)
    window = _days(first_day, last_day)
    ctx = _Context(
        workspace, person, first_day, last_day, window, people, days_off, work,
        {w.id: float(h) for w, h in zip(own, inside, strict=True)},
    )  # fmt: skip
    owned = {
        t.pk: t
        for t in Task.objects.filter(
            workspace=workspace,
            owner_id=user_id,
            kind=TaskKind.TASK,
            campaign__status__in=OPEN_CAMPAIGNS,
        ).exclude(status=TaskStatus.DONE)
    }
    campaigns = Campaign.objects.filter(pk__in={t.campaign_id for t in owned.values()})
    launches, tasks = [], []
    for campaign in campaigns.select_related("workspace").order_by("launch_date", "name"):
        move, affected = _campaign(ctx, campaign, owned)
        launches.append(move)
        tasks.extend(affected)
    cal = calendar_for(workspace.pk).for_person(off)
    return CoverPreview(
        person,
        first_day,
        last_day,
        len([d for d in window if cal.is_working(d) and d.weekday() in person.weekday_set]),
        tasks,
        launches,
        _slots(ctx),
    )
