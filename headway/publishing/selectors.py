"""Reads for the calendar: the month grid, channel coverage over the next 14 days, and the
pipeline by stage."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import math
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import QuerySet

from headway.accounts.models import User
from headway.planning.models import Channel, Task, TaskKind, TaskStatus
from headway.publishing.models import Cadence, CalendarFeed, ContentPiece, Period, Stage
from headway.workspaces import visibility
from headway.workspaces.models import Membership, Workspace

COVERAGE_DAYS = 14


@dataclass
class Gap:
    label: str  # "week of 30 Nov", "next 14 days"
    have: int
    want: int


@dataclass
class Coverage:
    channel: str
    cadence: str
    have: int
    want: int
    gaps: list[Gap]

    @property
    def share(self) -> float:
        return min(1.0, self.have / self.want) if self.want else 1.0


def _local_day(moment: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.date:
    return moment.astimezone(tz).date()


def coverage(workspace: Workspace, today: dt.date) -> list[Coverage]:
    """For each channel with a cadence: how much of the next 14 days is filled with approved
    or in-progress content, and which weeks fall short."""
    tz = workspace.tzinfo
    start = dt.datetime.combine(today, dt.time(), tz)
    end = start + dt.timedelta(days=COVERAGE_DAYS)
    pieces = list(
        ContentPiece.objects.filter(workspace=workspace, publish_at__gte=start, publish_at__lt=end)
        .exclude(stage=Stage.IDEA)
        .values_list("channel_id", "publish_at")
    )
    out = []
    for cad in Cadence.objects.filter(workspace=workspace).select_related("channel"):
        days = [_local_day(at, tz) for ch, at in pieces if ch == cad.channel_id and at]
        if cad.period == Period.WEEK:
            gaps = []
            for week in range(COVERAGE_DAYS // 7):
                first = today + dt.timedelta(days=7 * week)
                last = first + dt.timedelta(days=6)
                have = sum(1 for d in days if first <= d <= last)
                if have < cad.per_period:
                    gaps.append(Gap(f"week of {first:%-d %b}", have, cad.per_period))
            want = cad.per_period * (COVERAGE_DAYS // 7)
        else:
            want = math.ceil(cad.per_period * COVERAGE_DAYS / 30)
            gaps = [] if len(days) >= want else [Gap("next 14 days", len(days), want)]
        out.append(
            Coverage(
                channel=cad.channel.name,
                cadence=f"{cad.per_period} per {cad.get_period_display().split()[-1]}",
                have=min(len(days), want),
                want=want,
                gaps=gaps,
            )
        )
    return out


class PieceChip(NamedTuple):
    """What a calendar day shows of a piece (read as plain values: a month can hold
    thousands)."""

    pk: int
    title: str
    stage: str
    publish_at: dt.datetime
    channel: str
    version: int


@dataclass
class Day:
    date: dt.date
    in_month: bool
    pieces: list[PieceChip] = field(default_factory=list)
    launches: list[Task] = field(default_factory=list)
    due: list[Task] = field(default_factory=list)  # filled by calendar_days only


def month_grid(workspace: Workspace, year: int, month: int) -> list[list[Day]]:
    """The weeks (Monday first) covering a month, with each day's pieces and launches: two
    queries however full the month is."""
    weeks = pycal.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return _fill(workspace, weeks, lambda d: d.month == month)


def week_row(workspace: Workspace, monday: dt.date) -> list[Day]:
    """The seven days from `monday`, with their pieces and launches."""
    week = [monday + dt.timedelta(days=k) for k in range(7)]
    return _fill(workspace, [week], lambda d: True)[0]


def calendar_days(
    workspace: Workspace,
    first: dt.date,
    last: dt.date,
    tasks: QuerySet[Task] | None = None,
    pieces: QuerySet[ContentPiece] | None = None,
) -> list[Day]:
    """Each day from `first` to `last` with its pieces and launches, as the month view shows
    them, and the open tasks due that day; `tasks` and `pieces` narrow them to what a member
    may see. Three queries however long the range."""
    span = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    days = _fill(workspace, [span], lambda d: True, tasks=tasks, pieces=pieces)[0]
    by_date = {d.date: d for d in days}
    scope = tasks if tasks is not None else Task.objects.filter(workspace=workspace)
    due = (
        scope.filter(due_date__gte=first, due_date__lte=last)
        .exclude(status=TaskStatus.DONE)
        .select_related("campaign")
        .order_by("due_date", "position", "id")
    )
    for t in due:
        assert t.due_date is not None
        by_date[t.due_date].due.append(t)
    return days


def _fill(
    workspace: Workspace,
    weeks: list[list[dt.date]],
    inside: Callable[[dt.date], bool],
    tasks: QuerySet[Task] | None = None,
    pieces: QuerySet[ContentPiece] | None = None,
) -> list[list[Day]]:
    tz = workspace.tzinfo
    first, last = weeks[0][0], weeks[-1][-1]
    days = {d: Day(d, inside(d)) for week in weeks for d in week}
    lo = dt.datetime.combine(first, dt.time(), tz)
    hi = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tz)
    pieces = pieces if pieces is not None else ContentPiece.objects.all()
    tasks = tasks if tasks is not None else Task.objects.all()
    rows = (
        pieces.filter(workspace=workspace, publish_at__gte=lo, publish_at__lt=hi)
        .order_by("publish_at", "id")
        .values_list("pk", "title", "stage", "publish_at", "channel__name", "version")
    )
    for pk, title, stage, at, channel, version in rows:
        assert at is not None
        days[_local_day(at, tz)].pieces.append(PieceChip(pk, title, stage, at, channel, version))
    launches = tasks.filter(
        workspace=workspace, kind=TaskKind.LAUNCH, start_date__gte=first, start_date__lte=last
    ).select_related("campaign")
    for t in launches:
        assert t.start_date is not None
        days[t.start_date].launches.append(t)
    return [[days[d] for d in week] for week in weeks]


def pipeline(workspace: Workspace) -> list[tuple[Stage, list[ContentPiece]]]:
    pieces = ContentPiece.objects.filter(workspace=workspace).select_related(
        "channel", "owner", "campaign"
    )
    columns: dict[str, list[ContentPiece]] = {s: [] for s in Stage.values}
    for p in pieces:
        columns[p.stage].append(p)
    return [(Stage(s), columns[s]) for s in Stage.values]


def pieces_between(
    membership: Membership, start: dt.date | None, end: dt.date | None
) -> list[ContentPiece]:
    """The pieces this member may see, published on or after `start` and before `end`, both
    read as midnight in the workspace's time zone."""
    qs = visibility.visible_pieces(membership)
    tz = membership.workspace.tzinfo
    if start:
        qs = qs.filter(publish_at__gte=dt.datetime.combine(start, dt.time(), tz))
    if end:
        qs = qs.filter(publish_at__lt=dt.datetime.combine(end, dt.time(), tz))
    return list(qs)


def piece_get(workspace: Workspace, piece_id: int) -> ContentPiece:
    """A content piece of the workspace; DoesNotExist otherwise (a 404 on pages and API)."""
    return ContentPiece.objects.select_related("workspace").get(workspace=workspace, pk=piece_id)


def feed_get(workspace: Workspace, feed_id: int) -> CalendarFeed:
    return CalendarFeed.objects.select_related("workspace", "user").get(
        workspace=workspace, pk=feed_id
    )


def live_feeds(workspace: Workspace, user: User) -> list[CalendarFeed]:
    """The person's calendar feeds in this workspace that still answer (not revoked)."""
    return list(
        CalendarFeed.objects.filter(workspace=workspace, user=user, revoked_at__isnull=True)
    )


def channel_find(workspace: Workspace, channel_id: int) -> Channel | None:
    return Channel.objects.filter(workspace=workspace, pk=channel_id).first()
