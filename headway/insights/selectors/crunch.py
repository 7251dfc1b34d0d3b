"""The last-minute crunch over the launches of a period: each launched campaign's share of
tasks finished, and of plan changes made, in its final working days, against the team's
usual share; the pattern per channel; and the tasks that piled up, with the stage each
waited in longest before. A fixed number of queries; the shares are headway.engine.crunch's."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db.models import Value
from django.db.models.functions import Coalesce

from headway.engine.crunch import WINDOW_DAYS, CrunchReport, Launch, LaunchCrunch, crunch_report
from headway.engine.waiting import Interval, stage_intervals, working_days_before
from headway.insights.selectors.flow import (
    EPOCH,
    STAGES,
    WAITING,
    Period,
    busdaycalendar,
    stage_label,
    status_log,
)
from headway.insights.selectors.moves import EpochMicros, local_days, plan_changes, task_columns
from headway.planning.launches import went_out
from headway.planning.models import Campaign, CampaignStatus, Task, TaskKind
from headway.workspaces.models import Workspace

HALF_YEAR = 182  # the default period: the last 5 launches need a few months
LAUNCHED = [CampaignStatus.LAUNCHED, CampaignStatus.IN_REVIEW, CampaignStatus.CLOSED]


@dataclass(frozen=True)
class PiledTask:
    title: str
    owner: str
    finished: dt.date
    waited_in: str  # the stage it waited in longest before
    waited: float  # working days


@dataclass(frozen=True)
class LaunchLine:
    campaign_id: int
    name: str
    launch: dt.date
    channels: tuple[str, ...]
    figures: LaunchCrunch
    piled: list[PiledTask]
    planned: int = 0  # its tasks, finished or not (figures.tasks: those finished by launch)


@dataclass(frozen=True)
class ChannelPattern:
    channel: str
    report: CrunchReport


@dataclass(frozen=True)
class Crunch:
    period: Period
    team: CrunchReport
    launches: list[LaunchLine]  # newest first
    channels: list[ChannelPattern]  # recurring first


#: A campaign's launch record (planning.launches): the day planned, the day it went out,
#: and how many working days late (negative: early); None where none was recorded.
Record = tuple[dt.date | None, dt.date | None, int | None]


def launch_records(ids: list[int]) -> dict[int, Record]:
    """The launch record of each campaign in `ids` (one query)."""
    rows = Campaign.objects.filter(pk__in=ids).values_list(
        "pk", "planned_launch", "launched_on", "launch_late_days"
    )
    return {pk: (planned, launched, late) for pk, planned, launched, late in rows}


def crunch_for(
    workspace: Workspace, period: Period, now: dt.datetime | None = None, *, direct: bool = False
) -> Crunch:
    tz = workspace.tzinfo
    # the day each went out (planning.launches), not the brief's date, which may differ; a
    # campaign marked launched with no launch recorded (data from before the record, or
    # written without the services) counts on its brief's date
    launched = (
        Campaign.objects.filter(workspace=workspace, status__in=LAUNCHED)
        .annotate(went_out=went_out())
        .filter(went_out__gte=period.start, went_out__lte=period.end)
    )
    rows = launched.values_list("pk", "name", "went_out")
    campaigns = [(pk, name, day) for pk, name, day in rows if day is not None]
    ids = [c[0] for c in campaigns]
    channels: dict[int, list[str]] = defaultdict(list)
    # the same campaigns selected again in the database (not a list of thousands of ids)
    on = Campaign.channels.through.objects.filter(campaign__in=launched.values("pk"))
    for cid, name in on.order_by("pk").values_list("campaign_id", "channel__name"):
        channels[cid].append(name)
    tasks = _campaign_tasks(workspace, ids, tz, direct=direct)
    finished = tasks.day >= 0
    done = _by_campaign(tasks.campaign[finished], tasks.day[finished])
    changes = _plan_changes(workspace, tasks, campaigns, direct=direct)
    none = np.zeros(0, dtype=np.int64)
    launches = [
        Launch(pk, (day - EPOCH).days, done.get(pk, none), changes.get(pk, none))
        for pk, _name, day in campaigns
    ]
    cal = busdaycalendar(workspace)
    team = crunch_report(launches, cal)
    usual = (team.usual_task_share, team.usual_change_share)
    per_channel: dict[str, list[Launch]] = defaultdict(list)
    for x in launches:
        for name in channels[x.campaign]:
            per_channel[name].append(x)
    patterns = [
        ChannelPattern(name, crunch_report(xs, cal, usual=usual))
        for name, xs in per_channel.items()
    ]
    patterns.sort(key=lambda p: (not p.report.recurring, -p.report.recent_crunches, p.channel))
    piled = _piled(workspace, period, team, tasks, cal, now, direct=direct)
    names = {pk: (name, day) for pk, name, day in campaigns}
    with_tasks, counts = np.unique(tasks.campaign, return_counts=True)
    planned = dict(zip(with_tasks.tolist(), counts.tolist(), strict=True))
    lines = [
        LaunchLine(
            x.campaign,
            names[x.campaign][0],
            names[x.campaign][1],
            tuple(channels[x.campaign]),
            x,
            piled.get(x.campaign, []),
            planned.get(x.campaign, 0),
        )
        for x in reversed(team.launches)
    ]
    return Crunch(period, team, lines, patterns)


@dataclass(frozen=True)
class CampaignTasks:
    """The tasks (not milestones) of the period's launches, ordered by id: campaign and the
    local day each was finished on (-1: not finished)."""

    ids: npt.NDArray[np.int64]
    campaign: npt.NDArray[np.int64]
    day: npt.NDArray[np.int64]


def _campaign_tasks(
    workspace: Workspace, campaigns: list[int], tz: dt.tzinfo, *, direct: bool = False
) -> CampaignTasks:
    """The launches' tasks: from the task columns kept in memory (selectors.moves), or with
    `direct` read from the tasks table."""
    if direct:
        rows = sorted(
            Task.objects.filter(campaign_id__in=campaigns, kind=TaskKind.TASK).values_list(
                "pk", "campaign_id", Coalesce(EpochMicros("done_at"), Value(-1))
            )
        )
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        campaign = np.array([r[1] for r in rows], dtype=np.int64)
        done = np.array([r[2] for r in rows], dtype=np.int64)
    else:
        cols = task_columns(workspace)
        keep = cols.task & np.isin(cols.campaign, np.asarray(campaigns, dtype=np.int64))
        ids, campaign, done = cols.ids[keep], cols.campaign[keep], cols.done[keep]
    # the time zone applied to all of them at once
    day = np.full(ids.size, -1, dtype=np.int64)
    finished = done >= 0
    day[finished] = local_days((done[finished] // 1_000_000).astype(np.float64), tz)
    return CampaignTasks(ids, campaign, day)


def _plan_changes(
    workspace: Workspace,
    tasks: CampaignTasks,
    campaigns: list[tuple[int, str, dt.date]],
    *,
    direct: bool = False,
) -> dict[int, npt.NDArray[np.int64]]:
    """Days of each campaign's plan changes up to its last launch: tasks added, edited
    (other than a status move) or removed, and links added or removed (selectors.moves'
    plan_changes: kept in memory, or with `direct` read from the log)."""
    if not campaigns:
        return {}
    last = max(c[2] for c in campaigns) + dt.timedelta(days=1)
    cutoff = (last - EPOCH).days  # local days: before the day after the last launch
    changed, days = plan_changes(workspace, direct=direct)
    keep = days < cutoff
    changed, days = changed[keep], days[keep]
    ids = tasks.ids
    if not ids.size:
        return {}
    pos = np.minimum(np.searchsorted(ids, changed), ids.size - 1)
    ours = ids[pos] == changed
    campaign = tasks.campaign[pos[ours]]
    days = days[ours]
    return _by_campaign(campaign, days)


def _by_campaign(
    campaign: npt.NDArray[np.int64], days: npt.NDArray[np.int64]
) -> dict[int, npt.NDArray[np.int64]]:
    """The days of each campaign, in their order."""
    order = np.argsort(campaign, kind="stable")
    campaign, days = campaign[order], days[order]
    if not campaign.size:
        return {}
    # each campaign's run, as a view of the ordered days (np.split makes each through
    # several calls: thousands of launches in a year)
    first = np.flatnonzero(np.diff(campaign)) + 1
    starts = [0, *first.tolist()]
    ends = [*first.tolist(), int(campaign.size)]
    ids = campaign[starts].tolist()
    return {c: days[a:b] for c, a, b in zip(ids, starts, ends, strict=True)}


def _piled(
    workspace: Workspace,
    period: Period,
    team: CrunchReport,
    tasks: CampaignTasks,
    cal: np.busdaycalendar,
    now: dt.datetime | None,
    *,
    direct: bool = False,
) -> dict[int, list[PiledTask]]:
    """The tasks a crunch launch finished in its final window, each with the stage it waited
    in longest before."""
    crunches = {x.campaign: x.launch_day for x in team.launches if x.crunch}
    if not crunches:
        return {}
    start = min(crunches.values()) - 60
    # the crunch launches' tasks finished on or before the launch, in its final window
    crunch_ids = np.array(sorted(crunches), dtype=np.int64)
    launch_of = np.array([crunches[c] for c in crunch_ids.tolist()], dtype=np.int64)
    candidates = np.isin(tasks.campaign, crunch_ids) & (tasks.day >= 0)
    day = tasks.day[candidates]
    launch = launch_of[np.searchsorted(crunch_ids, tasks.campaign[candidates])]
    before = working_days_before(launch, cal) - working_days_before(day, cal)
    inside = (day <= launch) & (before <= WINDOW_DAYS)
    chosen = tasks.ids[candidates][inside]
    if not chosen.size:
        return {}
    day_of = dict(zip(chosen.tolist(), day[inside].tolist(), strict=True))
    log = status_log(
        workspace,
        Period(EPOCH + dt.timedelta(days=start), period.end),
        now,
        direct=direct,
    )
    spans = stage_intervals(log.stages, log.as_of, cal)
    longest = _longest_waits(spans, np.searchsorted(log.task_ids, chosen), log.task_ids, chosen)
    out: dict[int, list[PiledTask]] = defaultdict(list)
    # in the tasks' own order (campaign, position, id)
    rows = Task.objects.filter(pk__in=chosen.tolist()).values_list(
        "pk", "campaign_id", "title", "owner__name"
    )
    for pk, cid, title, owner in rows:
        waited, stage = longest.get(pk, (0.0, -1))
        out[cid].append(
            PiledTask(
                title,
                owner or "nobody",
                EPOCH + dt.timedelta(days=day_of[pk]),
                stage_label(STAGES[stage]) if stage >= 0 else "did not wait",
                waited,
            )
        )
    return out


def _longest_waits(
    spans: Interval,
    items: npt.NDArray[np.int64],
    task_ids: npt.NDArray[np.int64],
    chosen: npt.NDArray[np.int64],
) -> dict[int, tuple[float, int]]:
    """Per chosen task (by id) that waited: its longest visit to a waiting stage, in working
    days, with that stage (the first such visit when two are as long). `items` are the
    chosen tasks' places in the log's `task_ids` (only those found there count)."""
    found = items < task_ids.size
    found[found] = task_ids[items[found]] == chosen[found]
    waiting = np.array([STAGES.index(s) for s in WAITING], dtype=np.int64)
    visits = np.flatnonzero(
        np.isin(spans.items, items[found])
        & np.isin(spans.stages, waiting)
        & (spans.working_days > 0.0)
    )
    if not visits.size:
        return {}
    item, days = spans.items[visits], spans.working_days[visits]
    # by item, longest first, earliest first among equals: the first of each item wins
    order = np.lexsort((visits, -days, item))
    first = np.ones(order.size, dtype=bool)
    first[1:] = item[order][1:] != item[order][:-1]
    best = order[first]
    return {
        int(task_ids[i]): (float(w), int(st))
        for i, w, st in zip(
            item[best].tolist(),
            days[best].tolist(),
            spans.stages[visits][best].tolist(),
            strict=True,
        )
    }
