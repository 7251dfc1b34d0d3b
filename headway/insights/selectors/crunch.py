"""The last-minute crunch over the launches of a period: each launched campaign's share of
tasks finished, and of plan changes made, in its final working days, against the team's
usual share; the pattern per channel; and the tasks that piled up, with the stage each
waited in longest before. A fixed number of queries; the shares are headway.engine.crunch's."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from headway.engine.crunch import WINDOW_DAYS, CrunchReport, Launch, LaunchCrunch, crunch_report
from headway.engine.waiting import stage_intervals
from headway.insights.selectors.flow import (
    EPOCH,
    STAGES,
    WAITING,
    Period,
    busdaycalendar,
    stage_label,
    status_log,
)
from headway.insights.selectors.moves import EpochMicros, local_days, plan_changes
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


def crunch_for(
    workspace: Workspace, period: Period, now: dt.datetime | None = None, *, direct: bool = False
) -> Crunch:
    tz = workspace.tzinfo
    rows = Campaign.objects.filter(
        workspace=workspace,
        status__in=LAUNCHED,
        launch_date__gte=period.start,
        launch_date__lte=period.end,
    ).values_list("pk", "name", "launch_date")
    campaigns = [(pk, name, day) for pk, name, day in rows if day is not None]
    ids = [c[0] for c in campaigns]
    channels: dict[int, list[str]] = defaultdict(list)
    for cid, name in Campaign.channels.through.objects.filter(campaign_id__in=ids).values_list(
        "campaign_id", "channel__name"
    ):
        channels[cid].append(name)
    rows_ = list(
        Task.objects.filter(campaign_id__in=ids, kind=TaskKind.TASK).values_list(
            "pk", "campaign_id", EpochMicros("done_at"), "title", "owner__name"
        )
    )
    # the local day each was finished on (None: not finished), the time zone applied to
    # all of them at once
    finished = [r for r in rows_ if r[2] is not None]
    seconds = np.array([r[2] // 1_000_000 for r in finished], dtype=np.float64)
    day_of = dict(zip((r[0] for r in finished), local_days(seconds, tz).tolist(), strict=True))
    tasks = [(pk, cid, day_of.get(pk), title, owner) for pk, cid, _, title, owner in rows_]
    campaign_of = {str(t[0]): t[1] for t in tasks}
    done: dict[int, list[int]] = defaultdict(list)
    for _pk, cid, day, _title, _owner in tasks:
        if day is not None:
            done[cid].append(day)
    changes = _plan_changes(workspace, campaign_of, campaigns, tz, direct=direct)
    launches = [
        Launch(pk, (day - EPOCH).days, done[pk], changes[pk]) for pk, _name, day in campaigns
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
    lines = [
        LaunchLine(
            x.campaign,
            names[x.campaign][0],
            names[x.campaign][1],
            tuple(channels[x.campaign]),
            x,
            piled.get(x.campaign, []),
        )
        for x in reversed(team.launches)
    ]
    return Crunch(period, team, lines, patterns)


def _plan_changes(
    workspace: Workspace,
    campaign_of: dict[str, int],
    campaigns: list[tuple[int, str, dt.date]],
    tz: dt.tzinfo,
    *,
    direct: bool = False,
) -> dict[int, list[int]]:
    """Days of each campaign's plan changes up to its last launch: tasks added, edited
    (other than a status move) or removed, and links added or removed (selectors.moves'
    plan_changes: kept in memory, or with `direct` read from the log)."""
    out: dict[int, list[int]] = defaultdict(list)
    if not campaigns:
        return out
    last = max(c[2] for c in campaigns) + dt.timedelta(days=1)
    cutoff = (last - EPOCH).days  # local days: before the day after the last launch
    tasks, days = plan_changes(workspace, direct=direct)
    ids = np.array(sorted(int(t) for t in campaign_of), dtype=np.int64)
    keep = days < cutoff
    tasks, days = tasks[keep], days[keep]
    if not ids.size:
        return out
    pos = np.minimum(np.searchsorted(ids, tasks), ids.size - 1)
    ours = ids[pos] == tasks
    campaign = np.array([campaign_of[str(t)] for t in ids.tolist()], dtype=np.int64)[pos[ours]]
    days = days[ours]
    order = np.argsort(campaign, kind="stable")
    campaign, days = campaign[order], days[order]
    cuts = np.flatnonzero(np.diff(campaign)) + 1
    for group, chunk in zip(np.split(campaign, cuts), np.split(days, cuts), strict=True):
        if group.size:
            out[int(group[0])] = chunk.tolist()
    return out


def _piled(
    workspace: Workspace,
    period: Period,
    team: CrunchReport,
    tasks: Sequence[tuple[int, int, int | None, str, str | None]],
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
    log = status_log(
        workspace,
        Period(EPOCH + dt.timedelta(days=start), period.end),
        now,
        direct=direct,
    )
    spans = stage_intervals(log.stages, log.as_of, cal)
    item_of = {t: n for n, t in enumerate(log.task_ids.tolist())}
    longest: dict[int, tuple[float, int]] = {}
    waiting = {STAGES.index(s) for s in WAITING}
    for item, stage, days in zip(
        spans.items.tolist(), spans.stages.tolist(), spans.working_days.tolist(), strict=True
    ):
        if stage in waiting and days > longest.get(item, (0.0, -1))[0]:
            longest[item] = (days, stage)
    out: dict[int, list[PiledTask]] = defaultdict(list)
    for pk, cid, day, title, owner in tasks:
        if cid not in crunches or day is None:
            continue
        launch = crunches[cid]
        before = np.busday_count(
            EPOCH + np.timedelta64(day, "D"), EPOCH + np.timedelta64(launch, "D"), busdaycal=cal
        )
        if day <= launch and before <= WINDOW_DAYS:
            waited, stage = longest.get(item_of.get(pk, -1), (0.0, -1))
            out[cid].append(
                PiledTask(
                    title,
                    owner or "nobody",
                    EPOCH + dt.timedelta(days=day),
                    stage_label(STAGES[stage]) if stage >= 0 else "did not wait",
                    waited,
                )
            )
    return out
