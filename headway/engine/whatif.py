"""What-if: the team's plan with one more campaign (and people removed or added), compared
with the plan as it stands, without changing anything.

The new campaign is dated backward from its launch date; each of its tasks goes to the person
doing that kind of work with the most free hours in its weeks, and the work of people removed
goes the same way. Both plans, today's and the scenario's, are then levelled over people's
capacity, so overload shows as later dates; each running campaign's chance of launching on
time is drawn by Monte Carlo with its tasks that levelling moved later than their stored start
unable to start before their levelled dates (the others as on the campaign page, so a campaign
levelling leaves alone has its dashboard chance), the new campaign's tasks held to their
levelled starts, the same draws before and after, so a difference is the scenario's doing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from headway.engine.calendar import BusinessDays, WorkCalendar
from headway.engine.dated import PlanInput, PlanLink, PlanResult, PlanTask, schedule_dated
from headway.engine.launch_forecast import (
    ForecastInput,
    LaunchForecast,
    RemainingLink,
    RemainingTask,
    forecast_launch,
    to_launch,
    work_leading_to,
)
from headway.engine.leveling import LevelResult, LevelTask, Wait, level
from headway.engine.load import LoadGrid, Person, Work, available_hours, load_grid

# A drop in the chance of launching on time worth pointing at, in percentage points.
NOTABLE_DROP = 0.05


@dataclass(frozen=True)
class Staff:
    """A person who can carry work in the scenario, with the kind of work they do."""

    person: Person
    skill: str = ""


@dataclass(frozen=True)
class RunningCampaign:
    id: int
    launch_date: dt.date | None
    forecast: ForecastInput
    # Its launch milestones: its chance of launching on time is about the work leading to
    # them, not the work after (a results review, a follow-up). Empty: all of its work.
    launch_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class NewTask:
    id: int  # negative: not stored
    title: str
    duration: float
    role: str = ""
    hours: float = 0.0
    estimate: tuple[float, float, float] | None = None
    launch: bool = False
    approval: str = ""


@dataclass(frozen=True)
class NewCampaign:
    launch_date: dt.date
    tasks: tuple[NewTask, ...]
    links: tuple[RemainingLink, ...]
    # The plan as the scheduler reads it (owners are filled in by the scenario).
    plan: PlanInput


@dataclass(frozen=True)
class ScenarioInput:
    today: dt.date
    calendar: WorkCalendar
    staff_before: tuple[Staff, ...]
    staff_after: tuple[Staff, ...]
    work: tuple[Work, ...]  # today's open, owned work (its hours make the load)
    # Every unfinished task of the open campaigns with its stored dates, and their links:
    # the plan the leveller moves.
    plan_tasks: tuple[LevelTask, ...]
    plan_links: tuple[PlanLink, ...]
    work_roles: Mapping[int, str]  # task id -> kind of work it needs ('' when unsaid)
    running: tuple[RunningCampaign, ...]
    new: NewCampaign | None
    removed: frozenset[int] = frozenset()
    weeks: int = 12
    trials: int = 2000
    new_seed: int = 0
    ratios: Mapping[str, Sequence[float]] = field(default_factory=dict)
    approval_waits: Mapping[str, Sequence[float]] = field(default_factory=dict)


@dataclass(frozen=True)
class NewTaskDates:
    id: int
    owner_id: int | None
    start: dt.date
    due: dt.date


@dataclass(frozen=True)
class CampaignOdds:
    campaign_id: int
    before: float | None
    after: float | None
    p50_days_before: float
    p50_days_after: float
    # What holds it up in the scenario: the wait behind its most-moved task, when the
    # scenario moves any of its tasks later than today's plan does.
    because: Wait | None = None
    # Its chance in the plan as scheduled, nothing levelled: the health forecast's (the
    # dashboard's and the campaign page's). Differs from `before` only where levelling today's
    # plan moves its work later.
    planned: float | None = None

    @property
    def drop(self) -> float:
        if self.before is None or self.after is None:
            return 0.0
        return self.before - self.after

    @property
    def slip_days(self) -> float:
        """Working days the likely (50%) end of its work moves later."""
        return max(self.p50_days_after - self.p50_days_before, 0.0)

    @property
    def notable(self) -> bool:
        """Worth pointing at: a chance of launching on time that drops by NOTABLE_DROP or
        more, or likely work that ends later (a launch already unlikely still slips)."""
        return self.drop >= NOTABLE_DROP - 1e-9 or self.slip_days >= 1


@dataclass(frozen=True)
class Unstaffed:
    """Work nobody left in the scenario does: why the scenario cannot be run as it stands."""

    role: str
    task_ids: tuple[int, ...]
    owner_id: int | None  # the removed person who had it; None for the new campaign's work


@dataclass
class ScenarioResult:
    weeks: list[dt.date]
    before: LoadGrid
    after: LoadGrid
    new_plan: PlanResult | None
    new_tasks: list[NewTaskDates]
    new_forecast: LaunchForecast | None
    running: list[CampaignOdds]
    reassigned: dict[int, int]  # task id -> who takes it over
    unstaffed: list[Unstaffed]
    unowned_new: list[Unstaffed]  # the new campaign's work nobody does (left unowned)
    levelling: LevelResult | None = None  # the scenario's levelled plan

    @property
    def impossible(self) -> bool:
        return bool(self.unstaffed)


# -- levelling ---------------------------------------------------------------------------


def _levelled(result: LevelResult) -> dict[int, tuple[dt.date, dt.date]]:
    return {t.id: (t.start, t.due) for t in result.tasks.values()}


# -- staffing ----------------------------------------------------------------------------


def _free_after(inp: ScenarioInput, before: LoadGrid) -> dict[int, np.ndarray]:
    """Each person's free hours per week in the scenario before any work moves: today's for
    the people kept, all their hours for the freelancers added."""
    free = before.available - before.booked
    rows = {pid: row for row, pid in enumerate(before.people)}
    out = {}
    for s in inp.staff_after:
        pid = s.person.id
        if pid in rows:
            out[pid] = free[rows[pid]].copy()
        else:
            out[pid] = available_hours(s.person, inp.calendar, before.weeks)
    return out


def _pick(
    role: str,
    staff: Sequence[Staff],
    free: dict[int, np.ndarray],
    weeks: slice,
    exclude: frozenset[int] = frozenset(),
) -> int | None:
    """The person doing `role` work with the most free hours in `weeks`, or None."""
    best: tuple[float, int] | None = None
    for s in staff:
        pid = s.person.id
        if s.skill != role or pid in exclude or pid not in free:
            continue
        hours = float(free[pid][weeks].sum())
        if best is None or (hours, -pid) > (best[0], -best[1]):
            best = (hours, pid)
    return None if best is None else best[1]


def _week_slice(grid: LoadGrid, start: dt.date, due: dt.date) -> slice:
    if not grid.weeks:
        return slice(0, 0)
    first = grid.weeks[0]
    a = max((start - first).days // 7, 0)
    b = max((due - first).days // 7 + 1, a + 1)
    return slice(min(a, len(grid.weeks) - 1), min(b, len(grid.weeks)))


def _book(free: dict[int, np.ndarray], grid: LoadGrid, pid: int, w: Work) -> None:
    """Takes `w`'s hours off the person's free hours, spread evenly over its weeks."""
    weeks = _week_slice(grid, w.start, w.due)
    span = max(weeks.stop - weeks.start, 1)
    free[pid][weeks] -= w.hours / span


def _reassign(
    inp: ScenarioInput, grid: LoadGrid, free: dict[int, np.ndarray]
) -> tuple[dict[int, int], list[Unstaffed]]:
    """The removed people's work handed to who does the same kind of work."""
    skills = {s.person.id: s.skill for s in inp.staff_before}
    moved: dict[int, int] = {}
    missing: dict[tuple[int, str], list[int]] = {}
    for w in inp.work:
        if w.owner_id not in inp.removed:
            continue
        role = inp.work_roles.get(w.id) or skills.get(w.owner_id, "")
        pid = _pick(role, inp.staff_after, free, _week_slice(grid, w.start, w.due), inp.removed)
        if pid is None:
            missing.setdefault((w.owner_id, role), []).append(w.id)
            continue
        moved[w.id] = pid
        _book(free, grid, pid, w)
    unstaffed = [Unstaffed(role, tuple(ids), owner) for (owner, role), ids in missing.items()]
    return moved, unstaffed


def _staff_new(
    inp: ScenarioInput, new: NewCampaign, grid: LoadGrid, free: dict[int, np.ndarray]
) -> tuple[PlanInput, list[Unstaffed]]:
    """The new campaign's plan with an owner for each task that someone can do."""
    draft = schedule_dated(new.plan, launch=new.launch_date, today=inp.today)
    by_id = {t.id: t for t in new.tasks}
    owners: dict[int, int] = {}
    missing: dict[str, list[int]] = {}
    for t in new.plan.tasks:
        spec = by_id.get(t.id)
        if spec is None or spec.launch or spec.duration <= 0:
            continue
        d = draft.dates[t.id]
        pid = _pick(spec.role, inp.staff_after, free, _week_slice(grid, d.start, d.due))
        if pid is None:
            missing.setdefault(spec.role, []).append(t.id)
            continue
        owners[t.id] = pid
        _book(free, grid, pid, Work(t.id, pid, d.start, d.due, spec.hours))
    tasks = [replace(t, owner_id=owners.get(t.id, t.owner_id)) for t in new.plan.tasks]
    unowned = [Unstaffed(role, tuple(ids), None) for role, ids in missing.items()]
    return replace(new.plan, tasks=tasks), unowned


# -- forecasts ---------------------------------------------------------------------------


def _released(
    f: ForecastInput,
    levelled: Mapping[int, tuple[dt.date, dt.date]],
    days: BusinessDays,
    today: dt.date,
    planned: Mapping[int, dt.date] | None = None,
) -> ForecastInput:
    """The forecast input with no task able to start before its levelled start: that is
    what the scenario claims of the plan, so its forecast does not start unstarted work
    earlier (the campaign page's rule lets it start today). A task's own later release (a
    start-no-earlier-than date) is kept; started work (its levelled start has passed) and
    milestones (a launch is placed on its launch day, not worked towards) are not held
    back.

    With `planned` (a running campaign's stored starts), a task is held back only when
    levelling moved it later than its stored start: a task levelling leaves where it is
    keeps the campaign page's rule, so a campaign levelling does not touch gets the same
    chance as its health forecast on the dashboard."""
    tasks = []
    changed = False
    for t in f.tasks:
        found = levelled.get(t.id) if t.planned > 0 else None
        if found is not None and planned is not None:
            stored = planned.get(t.id)
            if stored is None or found[0] <= stored:
                found = None
        release = 0.0 if found is None else float(max(days.between(today, found[0]), 0))
        if release > t.release:
            tasks.append(replace(t, release=release))
            changed = True
        else:
            tasks.append(t)
    return replace(f, tasks=tuple(tasks)) if changed else f


def before_launch(new: NewCampaign) -> frozenset[int]:
    """The new campaign's launch milestone and the work that leads to it (its predecessors,
    all the way back): what launching on time depends on. Work after the launch (a results
    review) is not. Without a launch milestone, all of the work."""
    return work_leading_to(
        frozenset(t.id for t in new.tasks if t.launch), [t.id for t in new.tasks], new.links
    )


def _new_forecast(inp: ScenarioInput, new: NewCampaign, days: BusinessDays) -> ForecastInput:
    """The new campaign's work up to its launch, all of it still to do (each task is then
    held to its levelled start): the work must end the working day before the launch, as for
    running campaigns."""
    keep = before_launch(new)
    tasks = tuple(
        RemainingTask(
            t.id,
            0.0 if t.launch else t.duration,
            None if t.launch else t.estimate,
            t.role,
            approval=t.approval,
        )
        for t in new.tasks
        if t.id in keep
    )
    return ForecastInput(
        tasks=tasks,
        links=tuple(k for k in new.links if k.predecessor in keep and k.successor in keep),
        launch_days=float(max(days.between(inp.today, new.launch_date), 0)),
        ratios=inp.ratios,
        trials=inp.trials,
        seed=inp.new_seed,
        approval_waits=inp.approval_waits,
    )


def _new_work(plan: PlanResult, new: NewCampaign, owners: Mapping[int, int | None]) -> list[Work]:
    out = []
    for t in new.tasks:
        owner = owners.get(t.id)
        if owner is None or t.launch or t.hours <= 0:
            continue
        d = plan.dates[t.id]
        out.append(Work(t.id, owner, d.start, d.due, t.hours))
    return out


# -- the scenario ------------------------------------------------------------------------

Progress = Callable[[float], None]


def _new_level_tasks(
    new: NewCampaign, staffed: PlanInput, plan: PlanResult, days: BusinessDays
) -> list[LevelTask]:
    by_id = {t.id: t for t in new.tasks}
    out = []
    for t in staffed.tasks:
        d = plan.dates[t.id]
        spec = by_id.get(t.id)
        work_days = (
            0
            if spec is None or spec.duration <= 0
            else days.between(d.start, d.due + dt.timedelta(days=1))
        )
        hours = spec.hours if spec is not None else 0.0
        out.append(
            LevelTask(
                id=t.id,
                start=d.start,
                duration=max(work_days, 0),
                hours_per_day=hours / work_days if work_days > 0 else 0.0,
                owner_id=t.owner_id,
                total_float=d.total_float,
                launch=new.launch_date,
                campaign="the new campaign",
                title=t.title,
            )
        )
    return out


def _after_tasks(inp: ScenarioInput, moved: Mapping[int, int]) -> list[LevelTask]:
    """Today's plan with the removed people's work handed over (or left to nobody)."""
    out = []
    for t in inp.plan_tasks:
        if t.id in moved:
            out.append(replace(t, owner_id=moved[t.id]))
        elif t.owner_id is not None and t.owner_id in inp.removed:
            out.append(replace(t, owner_id=None))
        else:
            out.append(t)
    return out


def _because(campaign_tasks: Sequence[int], before: LevelResult, after: LevelResult) -> Wait | None:
    """The wait behind the campaign's task the scenario moves most (past today's plan)."""
    worst: tuple[int, int] | None = None
    for tid in campaign_tasks:
        b, a = before.tasks.get(tid), after.tasks.get(tid)
        if b is None or a is None or a.due <= b.due:
            continue
        shift = (a.due - b.due).days
        if worst is None or shift > worst[0]:
            worst = (shift, tid)
    if worst is None:
        return None
    return after.root_wait(worst[1])


def scenario_run(inp: ScenarioInput, progress: Progress | None = None) -> ScenarioResult:
    """Today's plan and the scenario's, side by side: load, the new campaign's dates and
    chance of launching on time, and each running campaign's chance before and after."""
    report = progress or (lambda share: None)
    days = BusinessDays(inp.calendar)
    people_before = [s.person for s in inp.staff_before]
    people_after = [s.person for s in inp.staff_after]
    res_before = level(inp.plan_tasks, inp.plan_links, people_before, inp.calendar)
    levelled_before = _levelled(res_before)
    work_now = [_redated(w, levelled_before) for w in inp.work]
    before = load_grid(people_before, work_now, inp.calendar, inp.today, inp.weeks)
    free = _free_after(inp, before)
    moved, unstaffed = _reassign(inp, before, free)
    work_after = [
        Work(w.id, moved.get(w.id, w.owner_id), w.start, w.due, w.hours)
        for w in inp.work
        if w.owner_id not in inp.removed or w.id in moved
    ]
    after_tasks = _after_tasks(inp, moved)
    after_links = list(inp.plan_links)
    new_plan = None
    new_tasks: list[NewTaskDates] = []
    unowned: list[Unstaffed] = []
    owners: dict[int, int | None] = {}
    if inp.new is not None:
        staffed, unowned = _staff_new(inp, inp.new, before, free)
        new_plan = schedule_dated(staffed, launch=inp.new.launch_date, today=inp.today)
        owners = {t.id: t.owner_id for t in staffed.tasks}
        work_after += _new_work(new_plan, inp.new, owners)
        after_tasks += _new_level_tasks(inp.new, staffed, new_plan, days)
        after_links += list(staffed.links)
    report(0.1)
    res_after = level(after_tasks, after_links, people_after, inp.calendar)
    levelled_after = _levelled(res_after)
    after = load_grid(
        people_after,
        [_redated(w, levelled_after) for w in work_after],
        inp.calendar,
        inp.today,
        inp.weeks,
    )
    report(0.2)
    running = []
    stored = {t.id: t.start for t in inp.plan_tasks}
    for n, c in enumerate(inp.running, start=1):
        launch_work = to_launch(c.forecast, c.launch_ids)
        f_before = _released(launch_work, levelled_before, days, inp.today, stored)
        f_after = _released(launch_work, levelled_after, days, inp.today, stored)
        b = forecast_launch(f_before)
        # Unchanged releases: the same draws give the same answer, so it is not drawn again.
        a = b if f_after.tasks == f_before.tasks else forecast_launch(f_after)
        p = b if f_before.tasks == launch_work.tasks else forecast_launch(launch_work)
        why = _because([t.id for t in c.forecast.tasks], res_before, res_after)
        running.append(
            CampaignOdds(c.id, b.p_on_time, a.p_on_time, b.p50_days, a.p50_days, why, p.p_on_time)
        )
        report(0.2 + 0.75 * n / max(len(inp.running), 1))
    new_forecast = None
    if inp.new is not None and new_plan is not None:
        f_new = _released(_new_forecast(inp, inp.new, days), levelled_after, days, inp.today)
        new_forecast = forecast_launch(f_new)
        new_tasks = [
            NewTaskDates(
                t.id,
                owners.get(t.id),
                *levelled_after.get(t.id, (new_plan.dates[t.id].start, new_plan.dates[t.id].due)),
            )
            for t in inp.new.tasks
        ]
    report(1.0)
    return ScenarioResult(
        before.weeks,
        before,
        after,
        new_plan,
        new_tasks,
        new_forecast,
        running,
        moved,
        unstaffed,
        unowned,
        res_after,
    )


def _redated(w: Work, dates: Mapping[int, tuple[dt.date, dt.date]]) -> Work:
    found = dates.get(w.id)
    if found is None or found == (w.start, w.due):
        return w
    return Work(w.id, w.owner_id, found[0], found[1], w.hours)


__all__ = [
    "CampaignOdds",
    "NewCampaign",
    "NewTask",
    "NewTaskDates",
    "PlanTask",
    "RunningCampaign",
    "ScenarioInput",
    "ScenarioResult",
    "Staff",
    "Unstaffed",
    "before_launch",
    "scenario_run",
]
