"""Fetch, then compute: campaigns loaded as the engine's health snapshots and forecast
inputs, in a constant number of queries whatever the number of campaigns and tasks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from headway.approvals.models import ApprovalRequest, RequestStatus
from headway.engine.calendar import WorkCalendar
from headway.engine.health import (
    ApprovalFact,
    CampaignSnapshot,
    ConditionFact,
    Phase,
    TaskFact,
    Thresholds,
)
from headway.engine.launch_forecast import (
    ForecastInput,
    RemainingLink,
    RemainingTask,
    to_launch,
)
from headway.planning.models import (
    Campaign,
    CampaignStatus,
    Dependency,
    GoLiveCondition,
    Party,
    Task,
    TaskKind,
    TaskStatus,
)
from headway.planning.scheduling import calendar_for
from headway.workspaces.models import Workspace

HISTORY_ROWS = 2000  # the most recent finished tasks the duration ratios come from
RATIO_BOUNDS = (0.25, 4.0)
PHASES = {
    CampaignStatus.CANCELLED: Phase.CANCELLED,
    CampaignStatus.LAUNCHED: Phase.DONE,
    CampaignStatus.IN_REVIEW: Phase.DONE,
    CampaignStatus.CLOSED: Phase.DONE,
}


@dataclass(frozen=True)
class HealthInputs:
    snapshot: CampaignSnapshot
    forecast: ForecastInput | None  # None for closed campaigns


def health_inputs(
    workspace: Workspace,
    campaigns: Sequence[Campaign],
    *,
    trials: int = 10_000,
    thresholds: Thresholds | None = None,
) -> dict[int, HealthInputs]:
    """Each campaign's snapshot and forecast input: six queries for any number of them."""
    now = timezone.now()
    today = workspace.today()
    cal = calendar_for(workspace.pk)
    ids = [c.pk for c in campaigns]
    tasks: dict[int, list[Task]] = defaultdict(list)
    for t in Task.objects.filter(campaign_id__in=ids).order_by("position", "id"):
        tasks[t.campaign_id].append(t)
    links: dict[int, list[Dependency]] = defaultdict(list)
    for d in Dependency.objects.filter(successor__campaign_id__in=ids).select_related("successor"):
        links[d.successor.campaign_id].append(d)
    conditions: dict[int, list[GoLiveCondition]] = defaultdict(list)
    for g in GoLiveCondition.objects.filter(campaign_id__in=ids):
        conditions[g.campaign_id].append(g)
    approvals = _pending_approvals(ids, workspace.slug)
    ratios = team_ratios(workspace, cal)
    waits = approval_waits(workspace, cal)
    forecasts = open_forecasts(
        [c for c in campaigns if PHASES.get(CampaignStatus(c.status), Phase.OPEN) == Phase.OPEN],
        tasks,
        links,
        (ratios, waits),
        cal,
        today,
        trials,
    )
    out = {}
    for c in campaigns:
        snap = CampaignSnapshot(
            campaign_id=c.pk,
            owner_id=c.owner_id,
            phase=PHASES.get(CampaignStatus(c.status), Phase.OPEN),
            today=today,
            now=now,
            launch_date=c.launch_date,
            projected_launch=c.projected_launch,
            tasks=tuple(_task_fact(t, workspace.slug) for t in tasks[c.pk]),
            conditions=tuple(_condition_fact(g, workspace.slug) for g in conditions[c.pk]),
            approvals=tuple(approvals[c.pk]),
            calendar=cal,
            thresholds=thresholds or default_thresholds(),
            url=reverse("planning:campaign", kwargs={"ws": workspace.slug, "campaign_id": c.pk}),
        )
        out[c.pk] = HealthInputs(snap, forecasts.get(c.pk))
    return out


def open_forecasts(
    campaigns: Sequence[Campaign],
    tasks: Mapping[int, list[Task]],
    links: Mapping[int, list[Dependency]],
    history: tuple[dict[str, list[float]], dict[str, list[float]]],
    cal: WorkCalendar,
    today: dt.date,
    trials: int,
) -> dict[int, ForecastInput]:
    """Each campaign's forecast input from its tasks and links (by campaign id), with the
    team's history (`team_ratios`, `approval_waits`): the work left by the forecast's rules,
    and each task not yet approved still waiting for its kind of approval. One query (the
    approvals given); the health forecast and the what-if both build theirs here."""
    ratios, waits = history
    approved = set(
        ApprovalRequest.objects.filter(
            task__campaign_id__in=[c.pk for c in campaigns], status=RequestStatus.APPROVED
        ).values_list("task_id", flat=True)
    )
    out = {}
    for c in campaigns:
        kinds = {t.pk: t.approval_kind for t in tasks.get(c.pk, ()) if t.approval_kind}
        f = forecast_input(c, tasks.get(c.pk, []), links.get(c.pk, []), ratios, cal, today, trials)
        out[c.pk] = replace(
            f,
            tasks=tuple(
                t if t.id in approved else replace(t, approval=kinds.get(t.id, "")) for t in f.tasks
            ),
            approval_waits=waits,
        )
    return out


def default_thresholds() -> Thresholds:
    """The at-risk thresholds, from settings where set (HEALTH_ON_TIME_MIN, e.g. 0.7;
    HEALTH_FLOAT_MIN_DAYS; HEALTH_UNOWNED_WITHIN_DAYS)."""
    base = Thresholds()
    return Thresholds(
        p_on_time_min=float(getattr(settings, "HEALTH_ON_TIME_MIN", base.p_on_time_min)),
        float_min_days=float(getattr(settings, "HEALTH_FLOAT_MIN_DAYS", base.float_min_days)),
        unowned_within_days=int(
            getattr(settings, "HEALTH_UNOWNED_WITHIN_DAYS", base.unowned_within_days)
        ),
    )


def _task_url(slug: str, task_id: int) -> str:
    return reverse("planning:task", kwargs={"ws": slug, "task_id": task_id})


def _task_fact(t: Task, slug: str) -> TaskFact:
    return TaskFact(
        id=t.pk,
        title=t.title,
        status=t.status,
        start=t.start_date,
        total_float=t.total_float,
        critical=t.critical,
        owner_id=t.owner_id,
        blocked_on_id=t.blocked_on_id,
        milestone=t.is_milestone,
        url=_task_url(slug, t.pk),
    )


def _condition_fact(g: GoLiveCondition, slug: str) -> ConditionFact:
    url = reverse("planning:campaign", kwargs={"ws": slug, "campaign_id": g.campaign_id})
    return ConditionFact(
        id=g.pk,
        title=g.title,
        due=g.due_date,
        met=g.is_met,
        third_party=g.party == Party.THIRD_PARTY,
        lead_time_days=g.lead_time_days,
        owner_id=g.owner_id,
        url=f"{url}#conditions",
    )


def _pending_approvals(campaign_ids: list[int], slug: str) -> dict[int, list[ApprovalFact]]:
    out: dict[int, list[ApprovalFact]] = defaultdict(list)
    pending = (
        ApprovalRequest.objects.filter(
            task__campaign_id__in=campaign_ids, status=RequestStatus.PENDING
        )
        .select_related("task")
        .prefetch_related("chain__steps__approvers")
    )
    for r in pending:
        assert r.task is not None
        step = next((s for s in r.chain.steps.all() if s.position == r.step), None)
        people = sorted(u.pk for u in step.approvers.all()) if step is not None else []
        approver = people[0] if people else (step.backup_id if step is not None else None)
        out[r.task.campaign_id].append(
            ApprovalFact(
                id=r.pk,
                task_id=r.task_id or 0,
                title=r.task.title,
                step_name=step.name if step is not None else r.chain.name,
                due_at=r.due_at,
                approver_id=approver,
                url=reverse("approvals:request", kwargs={"ws": slug, "request_id": r.pk}),
            )
        )
    return out


def team_ratios(workspace: Workspace, cal: WorkCalendar) -> dict[str, list[float]]:
    """Actual/planned working days of the team's recently finished tasks, by role needed:
    actual from when the task could begin (its scheduled start, or the day after its last
    predecessor was done, whichever is later) to the day it was marked done. Counting from
    the scheduled start alone charged a task for its predecessors' lateness, which the
    forecast already carries down the network: the demo's history read 4 times the plan."""
    rows = list(
        Task.objects.filter(
            workspace=workspace,
            status=TaskStatus.DONE,
            done_at__isnull=False,
            start_date__isnull=False,
            kind="task",
        )
        .order_by("-done_at")
        .values_list("pk", "role_needed", "start_date", "done_at", "duration_days")[:HISTORY_ROWS]
    )
    zone = workspace.tzinfo
    freed: dict[int, dt.date] = {}
    preds = Dependency.objects.filter(
        successor_id__in=[r[0] for r in rows], predecessor__done_at__isnull=False
    ).values_list("successor_id", "predecessor__done_at")
    for succ, done_at in preds:
        day = timezone.localtime(done_at, zone).date() + dt.timedelta(days=1)
        freed[succ] = max(freed.get(succ, day), day)
    out: dict[str, list[float]] = defaultdict(list)
    lo, hi = RATIO_BOUNDS
    for pk, role, start, done_at, planned in rows:
        if start is None or not planned or planned <= 0:
            continue
        began = max(start, freed.get(pk, start))
        finished = timezone.localtime(done_at, zone).date()
        actual = max(cal.working_days_between(began, finished + dt.timedelta(days=1)), 1)
        out[role].append(min(max(actual / float(planned), lo), hi))
    return dict(out)


def approval_waits(workspace: Workspace, cal: WorkCalendar) -> dict[str, list[float]]:
    """Working days from sending work for approval to its final decision, by the kind of
    work the chain approves, over the workspace's recently decided requests."""
    rows = (
        ApprovalRequest.objects.filter(workspace=workspace, decided_at__isnull=False)
        .exclude(status=RequestStatus.PENDING)
        .order_by("-decided_at")
        .values_list("chain__kind", "created_at", "decided_at")[:HISTORY_ROWS]
    )
    out: dict[str, list[float]] = defaultdict(list)
    zone = workspace.tzinfo
    for kind, sent, decided in rows:
        start = timezone.localtime(sent, zone).date()
        end = timezone.localtime(decided, zone).date()
        out[kind].append(float(max(cal.working_days_between(start, end), 0)))
    return dict(out)


def forecast_input(
    c: Campaign,
    tasks: list[Task],
    links: list[Dependency],
    ratios: dict[str, list[float]],
    cal: WorkCalendar,
    today: dt.date,
    trials: int,
) -> ForecastInput:
    remaining = tuple(_remaining(t, cal, today) for t in tasks if t.status != TaskStatus.DONE)
    launch_days = None
    if c.launch_date is not None:
        # the work must end the working day before the launch, as the dated plan has it
        launch_days = float(max(cal.working_days_between(today, c.launch_date), 0))
    f = ForecastInput(
        tasks=remaining,
        links=tuple(RemainingLink(d.predecessor_id, d.successor_id, d.type, d.lag) for d in links),
        launch_days=launch_days,
        ratios=ratios,
        trials=trials,
        seed=c.pk * 1_000_003 + today.toordinal(),
    )
    # Whether it launches on time is about the work leading to its launch: counting the
    # results review after it put the demo's Trail shoe launch at 0% (86% without it).
    return to_launch(f, [t.pk for t in tasks if t.kind == TaskKind.LAUNCH])


def _remaining(t: Task, cal: WorkCalendar, today: dt.date) -> RemainingTask:
    """The work left on a task: all of it before it starts (at least its scheduled span, so
    an owner's time off counts); once started, what is left until its due date (at most its
    duration, at least a day)."""
    if t.is_milestone:
        return RemainingTask(t.pk, 0.0, role=t.role_needed)
    span = 0
    if t.start_date is not None and t.due_date is not None:
        span = cal.working_days_between(t.start_date, t.due_date + dt.timedelta(days=1))
    if t.status == TaskStatus.NOT_STARTED:
        # work not started may start as soon as its predecessors allow, from today, unless
        # the planner set a start-no-earlier-than date
        release = 0.0
        if t.not_before is not None and t.not_before > today:
            release = float(cal.working_days_between(today, t.not_before))
        planned = max(t.expected_days, float(span))
        estimate = t.estimate if planned == t.expected_days else None
        return RemainingTask(t.pk, planned, estimate, t.role_needed, release)
    left = t.expected_days
    if t.due_date is not None:
        left = min(left, cal.working_days_between(today, t.due_date + dt.timedelta(days=1)))
    return RemainingTask(t.pk, max(float(left), 1.0), role=t.role_needed)
