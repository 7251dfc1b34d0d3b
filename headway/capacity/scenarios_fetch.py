"""Fetch, then compute: a scenario's inputs read as the what-if engine's plain values (the
team and its capacity, the open work, the running campaigns' forecast inputs, the new
campaign's plan), and the engine's answer written out as the JSON a scenario keeps.
A constant number of queries whatever the number of campaigns and tasks."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import Any

from headway.capacity.levelled import LevelInputs, level_inputs
from headway.capacity.models import Scenario
from headway.capacity.selectors import (
    PersonCapacity,
    open_work,
)
from headway.core.errors import DomainError
from headway.engine.calendar import BusinessDays, WorkCalendar
from headway.engine.dated import PlanInput, PlanLink, PlanTask
from headway.engine.launch_forecast import RemainingLink, to_launch
from headway.engine.leveling import LevelTask, Wait, WaitKind
from headway.engine.load import LoadGrid, Person, effort_hours
from headway.engine.three_point import pert_mean
from headway.engine.whatif import (
    NewCampaign,
    NewTask,
    RunningCampaign,
    ScenarioInput,
    ScenarioResult,
    Staff,
)
from headway.insights.selectors.health_inputs import approval_waits, open_forecasts, team_ratios
from headway.insights.services.health import TRIALS as HEALTH_TRIALS
from headway.planning.models import (
    Campaign,
    CampaignStatus,
    Dependency,
    RoleNeeded,
    Task,
    TaskKind,
    TaskStatus,
)
from headway.planning.scheduling import plan_load
from headway.planning.template_spec import template_plan
from headway.workspaces.models import Workspace

WEEKS = 12
RUNNING = [CampaignStatus.PLANNED, CampaignStatus.IN_PROGRESS]
# Open work further back or ahead than this is left out of the levelled plan.
WORK_BEHIND = dt.timedelta(days=365)
WORK_AHEAD = dt.timedelta(days=730)


def added_person(n: int, spec: dict[str, Any]) -> Staff:
    """The n-th freelancer a scenario adds (ids -1, -2, ...: nobody stored)."""
    return Staff(
        Person(
            id=-n,
            weekly_hours=float(spec["weekly_hours"]),
            weekdays=frozenset(int(d) for d in spec["weekdays"]),
        ),
        str(spec.get("role", "")),
    )


def _template_campaign(
    scenario: Scenario, cal: WorkCalendar, per_day: float, days_off: dict[int, set[dt.date]]
) -> NewCampaign:
    if scenario.template is None:
        raise DomainError(
            "The scenario's template (or draft campaign) was deleted.", field="template"
        )
    plan = template_plan(scenario.template.spec)
    ids = {t.key: -(n + 1) for n, t in enumerate(plan.tasks)}
    tasks, plan_tasks, links = [], [], []
    for t in plan.tasks:
        duration = pert_mean(*t.estimate) if t.estimate else float(t.duration)
        launch = t.kind == TaskKind.LAUNCH
        tasks.append(
            NewTask(
                ids[t.key],
                t.title,
                duration,
                t.role,
                effort_hours(t.effort, duration, per_day) if t.kind == TaskKind.TASK else 0.0,
                t.estimate,
                launch,
                t.approval,
            )
        )
        plan_tasks.append(PlanTask(ids[t.key], t.title, duration, launch=launch))
        for link in t.after:
            links.append(PlanLink(ids[link.task], ids[t.key], str(link.type), int(link.lag)))
    return NewCampaign(
        scenario.launch_date,
        tuple(tasks),
        tuple(RemainingLink(k.predecessor, k.successor, k.type, k.lag) for k in links),
        PlanInput(plan_tasks, links, calendar=cal, days_off=days_off),
    )


def _draft_campaign(scenario: Scenario, per_day: float) -> NewCampaign:
    draft = scenario.draft
    if draft is None or draft.status != CampaignStatus.DRAFT:
        raise DomainError(
            "The scenario's draft campaign is gone or no longer a draft.", field="draft"
        )
    plan = plan_load(draft)
    rows = {
        r[0]: r[1:]
        for r in Task.objects.filter(campaign=draft).values_list(
            "pk", "role_needed", "effort_hours", "approval_kind",
            "optimistic_days", "likely_days", "pessimistic_days",
        )
    }  # fmt: skip
    tasks = []
    for t in plan.tasks:
        role, effort, approval, a, m, b = rows[t.id]
        estimate = None
        if a is not None and m is not None and b is not None:
            estimate = (float(a), float(m), float(b))
        given = None if effort is None else float(effort)
        hours = 0.0 if t.duration <= 0 else effort_hours(given, t.duration, per_day)
        tasks.append(NewTask(t.id, t.title, t.duration, role, hours, estimate, t.launch, approval))
    links = tuple(RemainingLink(k.predecessor, k.successor, k.type, k.lag) for k in plan.links)
    return NewCampaign(scenario.launch_date, tuple(tasks), links, plan)


# What the forecast's rules for the work left read of a task.
FORECAST_FIELDS = (
    "campaign_id", "kind", "status", "start_date", "due_date", "not_before", "duration_days",
    "optimistic_days", "likely_days", "pessimistic_days", "role_needed", "approval_kind",
)  # fmt: skip


def _running(
    workspace: Workspace,
    exclude: int | None,
    trials: int,
    cal: WorkCalendar,
    history: tuple[dict[str, list[float]], dict[str, list[float]]],
) -> tuple[list[Campaign], list[RunningCampaign]]:
    """The running campaigns' forecast inputs, built as the health forecast builds them
    (insights' rules for the work left) without its snapshots: four queries."""
    today = workspace.today()
    campaigns = list(
        Campaign.objects.filter(workspace=workspace, status__in=RUNNING, launch_date__isnull=False)
        .exclude(pk=exclude or 0)
        .order_by("launch_date", "name")
    )
    ids = [c.pk for c in campaigns]
    tasks: dict[int, list[Task]] = defaultdict(list)
    campaign_of: dict[int, int] = {}
    for t in (
        Task.objects.filter(campaign_id__in=ids).order_by("position", "id").only(*FORECAST_FIELDS)
    ):
        tasks[t.campaign_id].append(t)
        campaign_of[t.pk] = t.campaign_id
    links: dict[int, list[Dependency]] = defaultdict(list)
    rows = Dependency.objects.filter(successor__campaign_id__in=ids)
    for d in rows.only("predecessor_id", "successor_id", "type", "lag"):
        links[campaign_of[d.successor_id]].append(d)
    forecasts = open_forecasts(campaigns, tasks, links, history, cal, today, trials)
    launches = {
        c.pk: frozenset(t.pk for t in tasks[c.pk] if t.kind == TaskKind.LAUNCH) for c in campaigns
    }
    out = [RunningCampaign(c.pk, c.launch_date, forecasts[c.pk], launches[c.pk]) for c in campaigns]
    return campaigns, out


def blocked_in_launch_work(running: list[RunningCampaign], blocked: set[int]) -> dict[int, int]:
    """Per running campaign, its blocked tasks among the work leading to its launch: its
    forecast draws them as resuming today, and the page says so (as the dashboard does)."""
    out = {}
    for c in running:
        ids = {t.id for t in to_launch(c.forecast, c.launch_ids).tasks}
        out[c.id] = len(ids & blocked)
    return out


def _plan(
    inputs: LevelInputs, exclude: int | None
) -> tuple[tuple[LevelTask, ...], tuple[PlanLink, ...]]:
    """Today's plan as the leveller reads it, read the one way the levelled section on the
    load page reads it (`level_inputs`: each task on its owner's working days, links relaxed
    to what the stored dates meet), so the what-if's "today" is that section's plan; a draft
    tried in the scenario is left out of it."""
    tasks = tuple(t for t in inputs.tasks if exclude is None or t.campaign_id != exclude)
    ids = {t.id for t in tasks}
    links = tuple(k for k in inputs.links if k.predecessor in ids and k.successor in ids)
    return tasks, links


def scenario_input(scenario: Scenario) -> tuple[ScenarioInput, dict[str, Any]]:
    """The engine's input for a scenario, and the names its answer is written out with. The
    levelled plan's read (`level_inputs`) gives the calendar, the people, the hours in a day
    and their days off: each is read once."""
    workspace = scenario.workspace
    today = workspace.today()
    levelling = level_inputs(workspace, days_off_from=(today - WORK_BEHIND, today + WORK_AHEAD))
    cal = levelling.calendar
    per_day = levelling.hours_per_day
    people = list(levelling.capacities.values())
    days_off = levelling.days_off
    before = tuple(Staff(p.as_person(days_off.get(p.user_id)), p.skill) for p in people)
    removed = frozenset(int(i) for i in scenario.remove_people)
    added = tuple(added_person(n, a) for n, a in enumerate(scenario.add_people, start=1))
    after = tuple(s for s in before if s.person.id not in removed) + added
    work, info = open_work(workspace, today - WORK_BEHIND, today + WORK_AHEAD, per_day)
    draft_id = scenario.draft_id
    if draft_id is not None:
        work = [w for w in work if info[w.id].campaign_id != draft_id]
        new = _draft_campaign(scenario, float(per_day))
    else:
        new = _template_campaign(scenario, cal, float(per_day), days_off)
    history = (team_ratios(workspace, cal), approval_waits(workspace, cal))
    # The running launches are drawn as their health forecast is (its trials and seeds), so
    # "as planned" is the dashboard's chance exactly; the scenario's trials are the new one's.
    campaigns, running = _running(workspace, draft_id, HEALTH_TRIALS, cal, history)
    plan_tasks, plan_links = _plan(levelling, draft_id)
    blocked = set(
        Task.objects.filter(
            campaign_id__in=[c.pk for c in campaigns], status=TaskStatus.BLOCKED
        ).values_list("pk", flat=True)
    )
    inp = ScenarioInput(
        today=today,
        calendar=cal,
        staff_before=before,
        staff_after=after,
        work=tuple(work),
        plan_tasks=plan_tasks,
        plan_links=plan_links,
        work_roles={w.id: info[w.id].role_needed for w in work},
        running=tuple(running),
        new=new,
        removed=removed,
        weeks=WEEKS,
        trials=scenario.trials,
        new_seed=scenario.pk * 1_000_003 + today.toordinal(),
        ratios=history[0],
        approval_waits=history[1],
    )
    names = {
        "people": {p.user_id: p for p in people},
        "added": {-n: a for n, a in enumerate(scenario.add_people, start=1)},
        "campaigns": {c.pk: c for c in campaigns},
        "tasks": {w.id: info[w.id] for w in work},
        "blocked": blocked_in_launch_work(running, blocked),
    }
    return inp, names


# -- the answer as JSON ----------------------------------------------------------------------


def _pct(p: float | None) -> float | None:
    return None if p is None else round(p, 4)


def _weeks(grid: LoadGrid, row: int | None) -> list[list[float]]:
    if row is None:
        return [[0.0, 0.0] for _ in grid.weeks]
    return [
        [round(float(b), 1), round(float(a), 1)]
        for b, a in zip(grid.booked[row], grid.available[row], strict=True)
    ]


def _people(result: ScenarioResult, inp: ScenarioInput, names: dict[str, Any]) -> list[dict]:
    rows_before = {pid: r for r, pid in enumerate(result.before.people)}
    rows_after = {pid: r for r, pid in enumerate(result.after.people)}
    out = []
    for s in inp.staff_before + tuple(x for x in inp.staff_after if x.person.id < 0):
        pid = s.person.id
        known: PersonCapacity | None = names["people"].get(pid)
        name = known.name if known else str(names["added"][pid]["name"])
        out.append(
            {
                "id": pid,
                "name": name,
                "skill": s.skill,
                "added": pid < 0,
                "removed": pid in inp.removed,
                "before": _weeks(result.before, rows_before.get(pid)),
                "after": _weeks(result.after, rows_after.get(pid)),
            }
        )
    return out


def _over(grid: LoadGrid) -> int:
    return int(((grid.booked - grid.available) > 1e-6).sum())


def _name_of(pid: int | None, names: dict[str, Any]) -> str:
    if pid is None:
        return ""
    if pid < 0:
        return str(names["added"][pid]["name"])
    known = names["people"].get(pid)
    return known.name if known else ""


def _role(role: str) -> str:
    return str(RoleNeeded(role).label).lower() if role in RoleNeeded.values and role else "unnamed"


def _problems(result: ScenarioResult, names: dict[str, Any]) -> list[str]:
    out = []
    for u in result.unstaffed:
        who = _name_of(u.owner_id, names) or "The person removed"
        count = len(u.task_ids)
        out.append(
            f"Nobody left does {_role(u.role)} work: {who}'s {count} open "
            f"task{'s' if count != 1 else ''} would have no one to do "
            f"{'them' if count != 1 else 'it'}. Keep {who.split(' ')[0]}, or add a freelancer "
            f"who does {_role(u.role)} work."
        )
    return out


def _warnings(result: ScenarioResult, inp: ScenarioInput) -> list[str]:
    out = []
    titles = {t.id: t.title for t in inp.new.tasks} if inp.new else {}
    for u in result.unowned_new:
        listed = ", ".join(f"“{titles[i]}”" for i in u.task_ids[:3])
        more = f" and {len(u.task_ids) - 3} more" if len(u.task_ids) > 3 else ""
        out.append(
            f"Nobody does {_role(u.role)} work, so {listed}{more} would have no owner "
            "(counted in no one's load)."
        )
    return out


def _levelled_launch(result: ScenarioResult, new: NewCampaign) -> str | None:
    """The new campaign's launch once everyone's other work is levelled in: its launch
    milestone's day, or its last task's due date."""
    launch = {t.id for t in new.tasks if t.launch}
    dates = [t.due for t in result.new_tasks if t.id in launch] or [t.due for t in result.new_tasks]
    return max(dates).isoformat() if dates else None


def _finish(days: BusinessDays, today: dt.date, work_days: float) -> str:
    """The last working day of work that takes `work_days` from today."""
    return days.add(today, max(math.ceil(work_days) - 1, 0)).isoformat()


def _campaign(
    result: ScenarioResult, inp: ScenarioInput, names: dict[str, Any], days: BusinessDays
) -> dict[str, Any] | None:
    plan, forecast, new = result.new_plan, result.new_forecast, inp.new
    if plan is None or forecast is None or new is None:
        return None
    by_id = {t.id: t for t in new.tasks}

    return {
        "launch_date": new.launch_date.isoformat(),
        "plan_start": plan.plan_start.isoformat(),
        "projected_launch": plan.launch.isoformat() if plan.launch else None,
        "levelled_launch": _levelled_launch(result, new),
        "short_by": plan.short_by,
        "p_on_time": _pct(forecast.p_on_time),
        "p50_finish": _finish(days, inp.today, forecast.p50_days),
        "p85_finish": _finish(days, inp.today, forecast.p85_days),
        "basis": forecast.basis,
        "tasks": [
            {
                "id": t.id,
                "title": by_id[t.id].title,
                "role": by_id[t.id].role,
                "owner_id": t.owner_id,
                "owner": _name_of(t.owner_id, names),
                "start": t.start.isoformat(),
                "due": t.due.isoformat(),
                "milestone": by_id[t.id].duration <= 0,
            }
            for t in sorted(result.new_tasks, key=lambda x: (x.start, x.due, -x.id))
        ],
    }


def _because(wait: Wait | None, inp: ScenarioInput, names: dict[str, Any]) -> str:
    """Why a campaign's work moves in the scenario, in words: who it waits for."""
    if wait is None:
        return ""
    tasks = {t.id: (t.title, t.campaign) for t in inp.plan_tasks}
    if inp.new is not None:
        tasks |= {t.id: (t.title, "the new campaign") for t in inp.new.tasks}
    until = f" until {wait.until:%-d %b}" if wait.until else ""
    who = _name_of(wait.person_id, names).split(" ")[0]
    if wait.kind == WaitKind.PERSON and who:
        title, campaign = tasks.get(wait.task_id or 0, ("other work", ""))
        on = f"“{title}” ({campaign})" if campaign else f"“{title}”"
        return f"waits for {who} (busy on {on}{until})"
    if wait.kind == WaitKind.AWAY and who:
        return f"waits for {who} (away)"
    title, campaign = tasks.get(wait.task_id or 0, ("", ""))
    return f"waits for “{title}”{until}" if title else ""


def result_json(result: ScenarioResult, inp: ScenarioInput, names: dict[str, Any]) -> dict:
    """The scenario's answer as stored: plain JSON, names included, so pages read it as is."""
    days = BusinessDays(inp.calendar)
    campaigns: dict[int, Campaign] = names["campaigns"]
    running = [
        {
            "id": o.campaign_id,
            "name": campaigns[o.campaign_id].name,
            "launch_date": (d := campaigns[o.campaign_id].launch_date) and d.isoformat(),
            "planned": _pct(o.planned),
            "blocked": names.get("blocked", {}).get(o.campaign_id, 0),
            "before": _pct(o.before),
            "after": _pct(o.after),
            "drop": round(o.drop, 4),
            "likely_before": _finish(days, inp.today, o.p50_days_before),
            "likely_after": _finish(days, inp.today, o.p50_days_after),
            "slip_days": int(o.slip_days),
            "notable": o.notable,
            # Only where the launch itself is hit: work with float may move and not matter.
            "because": _because(o.because, inp, names) if o.notable else "",
        }
        for o in result.running
    ]
    return {
        "today": inp.today.isoformat(),
        "weeks": [w.isoformat() for w in result.weeks],
        "trials": inp.trials,
        "impossible": result.impossible,
        "problems": _problems(result, names),
        "warnings": _warnings(result, inp),
        "reassigned": len(result.reassigned),
        "people": _people(result, inp, names),
        "over_before": _over(result.before),
        "over_after": _over(result.after),
        # tasks that need more hours a day than their owner has: levelling cannot fit them,
        # they run at their owner's full hours and stay over
        "over_day_after": len(result.levelling.over_capacity) if result.levelling else 0,
        "campaign": _campaign(result, inp, names, days),
        "running": running,
    }
