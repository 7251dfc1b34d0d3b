"""Reads for the weekly check-in: the dates a check-in compares against, what slipped since
(with the change that moved it, from the activity log), and the agenda's sections."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass

from django.db.models import Count, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse

from headway.accounts.models import User
from headway.activity.models import Event, Verb
from headway.engine.slippage import CampaignDates, Slip, SlipKind, Snapshot, TaskDates, slippage
from headway.insights.models import CheckIn, CheckInDecision, CheckInSchedule
from headway.insights.selectors import findings
from headway.insights.selectors.findings import Item, Items, Section
from headway.insights.selectors.kept import kept
from headway.planning.models import Campaign, Task
from headway.results.selectors import underperformers
from headway.workspaces.models import Workspace

# The activity that can move a plan's dates, read to say why something slipped.
DATE_MOVERS = (
    "planning.task",
    "planning.campaign",
    "planning.dependency",
    "planning.timeoff",
    "planning.holiday",
)
# Fields whose edit cannot move a date: an update of only these is never the change
# behind a slip (a UTM value set after a duration edit must not hide the edit).
DATELESS_FIELDS = frozenset(
    {
        "name",
        "title",
        "objective",
        "audience",
        "funnel_stage",
        "budget",
        "currency",
        "constraints",
        "utm_campaign",
        "platform_names",
        "template_name",
        "blocked_reason",
        "description",
        "channel",
        "channels",
        "effort_hours",
        "approval_kind",
        "role_needed",
        "note",
        "position",
    }
)
CHANGE_LOOKBACK = 1000  # events read for the changes behind slips: a week's worth and more


def schedule_of(workspace: Workspace) -> tuple[int, dt.time]:
    """The workspace's check-in weekday (0 = Monday) and time of day, local time."""
    row = CheckInSchedule.objects.filter(workspace=workspace).first()
    return (row.weekday, row.time) if row else (0, dt.time(9, 0))


def week_of(workspace: Workspace, now: dt.datetime) -> dt.date:
    """The Monday of the workspace-local week `now` falls in."""
    local = now.astimezone(workspace.tzinfo).date()
    return local - dt.timedelta(days=local.weekday())


def scheduled_at(workspace: Workspace, week: dt.date) -> dt.datetime:
    weekday, time = schedule_of(workspace)
    day = week + dt.timedelta(days=weekday)
    return dt.datetime.combine(day, time, workspace.tzinfo).astimezone(dt.UTC)


def checkin_current(workspace: Workspace, now: dt.datetime) -> CheckIn:
    """This week's check-in as stored, else an unsaved one for the week: reading the agenda
    stores nothing; the first write (or the agenda job) stores it."""
    week = week_of(workspace, now)
    found = CheckIn.objects.filter(workspace=workspace, week=week).first()
    if found is not None:
        return found
    return CheckIn(workspace=workspace, week=week, scheduled_at=scheduled_at(workspace, week))


def checkin_get(workspace: Workspace, checkin_id: int) -> CheckIn:
    found = CheckIn.objects.filter(workspace=workspace, pk=checkin_id).first()
    if found is None:
        raise Http404("No such check-in.")
    return found


def checkins_past(workspace: Workspace, limit: int = 26) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(workspace=workspace, closed_at__isnull=False)
        .defer("snapshot", "summary")
        .select_related("closed_by")
        .annotate(decision_count=Count("decisions"))
        .order_by("-week")[:limit]
    )


def baseline_of(checkin: CheckIn) -> CheckIn | None:
    """The last closed check-in before `checkin`: its snapshot is what slippage is measured
    from."""
    return (
        CheckIn.objects.filter(
            workspace_id=checkin.workspace_id, closed_at__isnull=False, week__lt=checkin.week
        )
        .defer("snapshot", "summary")
        .order_by("-week")
        .first()
    )


def closed_snapshot(checkin: CheckIn) -> Snapshot:
    """The dates a closed check-in closed on. It is read as text and parsed once per
    process for the same text (thousands of tasks: parsing it was a good part of a page)."""
    raw = (
        CheckIn.objects.filter(pk=checkin.pk)
        .annotate(raw=Cast("snapshot", TextField()))
        .values_list("raw", flat=True)
        .first()
    )
    return _parsed_snapshot(raw or "")


@functools.lru_cache(maxsize=16)
def _parsed_snapshot(raw: str) -> Snapshot:
    return Snapshot.from_json(json.loads(raw) if raw else None)


def live_snapshot(workspace: Workspace) -> Snapshot:
    """Today's dates of the open campaigns and their unfinished tasks (plain values: a
    workspace can hold thousands of tasks)."""
    campaigns = {
        cid: CampaignDates(name, launch, projected)
        for cid, name, launch, projected in findings.open_campaigns(workspace).values_list(
            "id", "name", "launch_date", "projected_launch"
        )
    }
    tasks = {
        tid: TaskDates(title, cid, due)
        for tid, title, cid, due in findings.open_tasks(workspace).values_list(
            "id", "title", "campaign_id", "due_date"
        )
    }
    return Snapshot(campaigns=campaigns, tasks=tasks)


@dataclass(frozen=True)
class _Change:
    object_type: str
    object_id: str
    verb: str
    object_repr: str
    changes: dict[str, object]
    created_at: dt.datetime
    actor: str | None


def _change_text(e: _Change) -> str:
    fields = ", ".join(
        f"{k.replace('_', ' ')} {v[0]} → {v[1]}"
        for k, v in e.changes.items()
        if isinstance(v, list) and len(v) == 2
    )
    label = Event(object_type=e.object_type).object_label
    what = f"{e.actor or 'Headway'} {Verb(e.verb).label} {label} “{e.object_repr}”"
    return what + (f" ({fields})" if fields else "") + f" on {e.created_at:%a %-d %b}"


def _changes_behind(
    workspace: Workspace, since: dt.datetime, slips: list[Slip], task_campaign: dict[int, int]
) -> dict[tuple[str, int], str]:
    """For each slip, the latest change since `since` that could have moved it: an edit of
    the task itself, else of its campaign or one of the campaign's tasks or links, else a
    change to people's time off or holidays (which move every plan).

    Two queries: the latest events as bare rows (their changes as undecoded text, read only
    where an event could be the answer), then the chosen few in full."""
    if not slips:
        return {}
    slip_tasks = {s.object_id for s in slips if s.kind == SlipKind.TASK}
    slip_campaigns = {s.campaign_id for s in slips}
    rows = (
        Event.objects.filter(
            workspace=workspace, created_at__gte=since, object_type__in=DATE_MOVERS
        )
        .order_by("-created_at", "-id")
        .annotate(raw=Cast("changes", TextField()))
        .values_list("id", "object_type", "object_id", "verb", "raw")[:CHANGE_LOOKBACK]
    )
    by_task: dict[int, int] = {}
    by_campaign: dict[int, int] = {}
    calendar: int | None = None
    slots: list[tuple[dict[int, int] | None, int]]  # where an event would be the answer
    for eid, object_type, object_id, verb, raw in rows:  # newest first: first seen is latest
        oid = int(object_id) if object_id.isdigit() else 0
        if object_type == "planning.task":
            slots = [(by_task, oid)] if oid in slip_tasks else []
            if task_campaign.get(oid) in slip_campaigns:
                slots.append((by_campaign, task_campaign[oid]))
        elif object_type == "planning.campaign":
            slots = [(by_campaign, oid)] if oid in slip_campaigns else []
        elif object_type in ("planning.timeoff", "planning.holiday") and calendar is None:
            slots = [(None, 0)]
        else:
            continue
        slots = [(found, key) for found, key in slots if found is None or key not in found]
        if not slots or (verb == Verb.UPDATED and _dateless(raw)):
            continue
        for found, key in slots:
            if found is None:
                calendar = eid
            else:
                found[key] = eid
    chosen = {*by_task.values(), *by_campaign.values(), *([calendar] if calendar else [])}
    full = {
        row[0]: _Change(*row[1:])
        for row in Event.objects.filter(pk__in=chosen).values_list(
            "id",
            "object_type",
            "object_id",
            "verb",
            "object_repr",
            "changes",
            "created_at",
            "actor__name",
        )
    }
    out = {}
    for s in slips:
        answer = (
            (by_task.get(s.object_id) if s.kind == SlipKind.TASK else None)
            or by_campaign.get(s.campaign_id)
            or calendar
        )
        if answer in full:
            out[(s.kind.value, s.object_id)] = _change_text(full[answer])
    return out


def _dateless(raw: str | None) -> bool:
    """Whether an update's recorded changes name only fields that cannot move a date."""
    changes = json.loads(raw) if raw else None
    return bool(changes) and isinstance(changes, dict) and set(changes) <= DATELESS_FIELDS


def slipped_items(
    workspace: Workspace, baseline: CheckIn | None, now_snapshot: Snapshot
) -> list[Item]:
    """Launches and tasks whose dates moved later since `baseline` closed, each with the
    change that moved it."""
    if baseline is None or baseline.closed_at is None:
        return []
    every = slippage(closed_snapshot(baseline), now_snapshot)
    slips = every[: findings.SHOWN]
    task_campaign = {tid: t.campaign_id for tid, t in now_snapshot.tasks.items()}
    changes = _changes_behind(workspace, baseline.closed_at, slips, task_campaign)
    owners = _owners(slips)
    items = []
    for s in slips:
        is_task = s.kind == SlipKind.TASK
        campaign = now_snapshot.campaigns.get(s.campaign_id)
        what = {
            SlipKind.LAUNCH: "launch date moved",
            SlipKind.PROJECTED: "projected launch moved",
            SlipKind.TASK: "due date moved",
        }[s.kind]
        items.append(
            Item(
                kind=f"slipped_{s.kind.value}",
                key=f"slipped:{s.kind.value}:{s.object_id}",
                text=f"{s.label}"
                + (f" ({campaign.name})" if is_task and campaign else "")
                + f": {what} {findings._day(s.before)} → {findings._day(s.after)}"
                + f" (+{s.days} day{'s' if s.days != 1 else ''})",
                detail=changes.get((s.kind.value, s.object_id), "No recorded change explains it."),
                owner=owners.get((is_task, s.object_id)),
                url=reverse(
                    "planning:task" if is_task else "planning:campaign",
                    kwargs={"ws": workspace.slug}
                    | ({"task_id": s.object_id} if is_task else {"campaign_id": s.object_id}),
                ),
                since=baseline.closed_at,
                object_kind="task" if is_task else "campaign",
                object_id=s.object_id,
            )
        )
    return Items(items, len(every))


def _owners(slips: list[Slip]) -> dict[tuple[bool, int], User | None]:
    task_ids = [s.object_id for s in slips if s.kind == SlipKind.TASK]
    campaign_ids = [s.object_id for s in slips if s.kind != SlipKind.TASK]
    out: dict[tuple[bool, int], User | None] = {}
    if task_ids:
        for t in Task.objects.filter(pk__in=task_ids).select_related("owner"):
            out[(True, t.pk)] = t.owner
    if campaign_ids:
        for c in Campaign.objects.filter(pk__in=campaign_ids).select_related("owner"):
            out[(False, c.pk)] = c.owner
    return out


def decisions_due(
    workspace: Workspace, checkin: CheckIn, baseline: CheckIn | None, today: dt.date
) -> list[Item]:
    """Decisions of earlier check-ins that fell due since the last one (and are due by
    today), with the state of the task a decision became."""
    qs = CheckInDecision.objects.filter(
        workspace=workspace, checkin__week__lt=checkin.week, due_date__lte=today
    )
    if baseline is not None:
        qs = qs.filter(due_date__gte=baseline.week)
    rows, total = findings._capped(qs.select_related("owner", "task").order_by("due_date", "id"))
    return Items(
        [
            Item(
                kind="decision",
                key=f"decision:{d.pk}",
                text=d.text,
                detail=f"due {findings._day(d.due_date)}"
                + (f"; task {d.task.get_status_display().lower()}" if d.task else ""),
                owner=d.owner,
                url=reverse("planning:task", kwargs={"ws": workspace.slug, "task_id": d.task_id})
                if d.task_id
                else reverse(
                    "insights:checkin", kwargs={"ws": workspace.slug, "checkin_id": d.checkin_id}
                ),
                since=d.due_date,
                object_kind="decision",
                object_id=d.pk,
            )
            for d in rows
        ],
        total,
    )


def decisions_of(checkin: CheckIn) -> QuerySet[CheckInDecision]:
    if checkin.pk is None:  # this week's, not stored yet
        return CheckInDecision.objects.none()
    return checkin.decisions.select_related("owner", "task__campaign").order_by("id")


def recent_decisions(workspace: Workspace, limit: int = 8) -> list[CheckInDecision]:
    return list(
        CheckInDecision.objects.filter(workspace=workspace)
        .select_related("owner", "checkin", "task")
        .order_by("-created_at", "-id")[:limit]
    )


def last_month(today: dt.date) -> dt.date:
    """The first day of the month before `today`'s."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def underperformed_items(workspace: Workspace, month: dt.date) -> list[Item]:
    """Campaigns below their brief's targets or their channel's median return in `month`,
    worst first, each with what it missed and how it was run (results' `underperformers`),
    on the campaign's owner, linking to that month's results."""
    flagged = underperformers(workspace, month)
    owners = {
        c.pk: c.owner
        for c in Campaign.objects.filter(
            workspace=workspace, pk__in=[u.campaign_id for u in flagged[: findings.SHOWN]]
        ).select_related("owner")
    }
    url = reverse("results:results", kwargs={"ws": workspace.slug}) + f"?month={month:%Y-%m}"
    return Items(
        [
            Item(
                kind="underperformed",
                key=f"underperformed:campaign:{u.campaign_id}:{month:%Y-%m}",
                text=f"{u.label} underperformed in {month:%B}"
                + (f" ({u.channel_label.lower()})" if u.channel_label else ""),
                detail=u.sentence,
                owner=owners.get(u.campaign_id),
                url=url,
                since=month,
                object_kind="campaign",
                object_id=u.campaign_id,
            )
            for u in flagged
        ]
    )


@dataclass
class Agenda:
    checkin: CheckIn
    baseline: CheckIn | None
    sections: list[Section]

    @property
    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)


def checkin_agenda(workspace: Workspace, checkin: CheckIn, now: dt.datetime) -> Agenda:
    """The check-in's agenda built from the data, top items of each section first. A closed
    check-in compares its stored snapshot; an open one today's dates. Approvals past their
    limit are read at `now`; the other sections are kept while the data they come from is
    unchanged (see `_sections_kept`)."""
    today = now.astimezone(workspace.tzinfo).date()
    baseline = baseline_of(checkin)
    sections = _sections_kept(workspace, checkin, baseline, today)
    sections.insert(
        3,
        Section("approvals", "Approvals past their limit", "No approval waits past its limit.",
                findings.approvals_past_limit(workspace, now)),
    )  # fmt: skip
    discussed = set(checkin.items.values_list("key", flat=True)) if checkin.pk else set()
    for s in sections:
        for item in s.items:
            item.discussed = item.key in discussed
    return Agenda(checkin=checkin, baseline=baseline, sections=sections)


def _sections_kept(
    workspace: Workspace, checkin: CheckIn, baseline: CheckIn | None, today: dt.date
) -> list[Section]:
    """The agenda's sections but approvals, kept while the workspace's data, the day and the
    check-in's baseline are unchanged (a page of 2,000 tasks costs tens of milliseconds to
    build; a meeting reads it again and again)."""
    parts = (checkin.week, checkin.pk, checkin.closed_at, baseline.pk if baseline else None, today)
    return kept(
        workspace, "checkin-agenda", parts, lambda: _sections(workspace, checkin, baseline, today)
    )


def _sections(
    workspace: Workspace, checkin: CheckIn, baseline: CheckIn | None, today: dt.date
) -> list[Section]:
    current = closed_snapshot(checkin) if checkin.is_closed else live_snapshot(workspace)
    month = last_month(today)
    campaigns = list(findings.open_campaigns(workspace).select_related("owner"))
    health = findings.health_of(workspace, campaigns)
    return [
        Section("slipped", "Slipped since the last check-in",
                "Nothing moved later since the last check-in.",
                slipped_items(workspace, baseline, current)),
        Section("at_risk", "At risk, and why", "Every open campaign is on track.",
                findings.campaigns_in_trouble(workspace, campaigns, health)),
        Section("blocked", "Blocked, and on whom", "Nothing is blocked.",
                findings.blocked_tasks(workspace)),
        Section("unowned", "Unowned work starting in the next two weeks",
                "All work starting in the next two weeks has an owner.",
                findings.unowned_work(workspace, today)),
        Section("overloaded", "Over-allocated in the next two weeks",
                "Nobody is booked beyond their hours in any week of the next 14 days.",
                findings.over_allocations(workspace, today)),
        Section("gaps", "Calendar gaps in the next 14 days",
                "Every channel's cadence is filled for the next 14 days.",
                findings.calendar_gaps(workspace, today)),
        Section("conditions", "Go-live conditions due or at risk",
                "No go-live condition falls due in the next two weeks.",
                findings.conditions_due(workspace, today)),
        Section("decisions", "Last week's decisions that fell due",
                "No earlier decision fell due.",
                decisions_due(workspace, checkin, baseline, today)),
        Section("underperformed", "Underperformed last month",
                f"No campaign fell short of its targets or its channel's return in "
                f"{month:%B %Y}, as far as the imported results tell.",
                underperformed_items(workspace, month), top=0),
    ]  # fmt: skip
