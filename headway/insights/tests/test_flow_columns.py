"""The columns kept in memory give the same figures as reading everything from the log and
the tables (the direct computation), on random histories, periods and filters: with every
move copied by the job, with part of the log not copied yet, and after new activity that
changes tasks, links and approvals (read again incrementally)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import zoneinfo
from typing import Any

import numpy as np
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.activity.models import Event
from headway.approvals.models import ApprovalChain, ApprovalRequest, ApprovalStep, Decision
from headway.conftest import Team
from headway.insights.models import CopyMark, PlanChange, RoundStart, TaskMove
from headway.insights.selectors.bottlenecks import bottlenecks_for
from headway.insights.selectors.crunch import crunch_for
from headway.insights.selectors.flow import Period, flow_for, task_rows
from headway.insights.selectors.moves import forget_columns, local_days, micros, task_columns
from headway.insights.services.moves import columns_copy_store, task_moves_copy
from headway.insights.tests.test_rollups import plain
from headway.planning.models import Campaign, Channel, Dependency, Task, TaskKind
from headway.workspaces.models import Workspace

pytestmark = pytest.mark.django_db
UTC = dt.UTC
T0 = dt.datetime(2026, 1, 5, 8, tzinfo=UTC)
NOW = dt.datetime(2026, 5, 1, 12, tzinfo=UTC)
STATUSES = ["in_progress", "blocked", "in_review", "in_progress", "done"]


def _event(team: Team, task: Task, changes: dict[str, Any], at: dt.datetime) -> Event:
    verb = "created" if "title" in changes else "updated"
    return Event(
        workspace=team.workspace,
        actor=team.manager,
        verb=verb,
        object_type="planning.task",
        object_id=str(task.pk),
        changes=changes,
        created_at=at,
    )


def random_history(team: Team, rng: random.Random, n_tasks: int = 40) -> list[Task]:
    """Tasks over three campaigns (two channels, one task with its own channel, a milestone,
    unowned tasks, tasks without a due date), moves at random moments (some in the same
    second), links, and approval rounds with decisions; inserted directly."""
    ws = team.workspace
    people = [team.owner, team.manager, team.member, team.freelancer]
    channels = [
        Channel.objects.get_or_create(workspace=ws, key=f"rnd-{k}", defaults={"name": f"R{k}"})[0]
        for k in range(2)
    ]
    campaigns = [
        Campaign.objects.create(
            workspace=ws,
            name=f"Random {k}",
            launch_date=dt.date(2026, 3, 1 + 10 * k),
            status="launched",
        )
        for k in range(3)
    ]
    campaigns[0].channels.add(channels[0])
    campaigns[1].channels.add(channels[1])
    tasks = []
    for k in range(n_tasks):
        tasks.append(
            Task.objects.create(
                workspace=ws,
                campaign=campaigns[k % 3],
                title=f"Random task {k}",
                kind=TaskKind.MILESTONE if k == 7 else TaskKind.TASK,
                owner=None if k % 9 == 4 else people[rng.randrange(len(people))],
                channel=channels[1] if k == 5 else None,
                due_date=None
                if k % 6 == 1
                else dt.date(2026, 2, 1) + dt.timedelta(rng.randrange(80)),
                position=k,
            )
        )
    for a, b in itertools.pairwise(tasks):
        if rng.random() < 0.6:
            link = Dependency.objects.create(workspace=ws, predecessor=a, successor=b)
            Event.objects.create(
                workspace=ws,
                verb="created",
                object_type="planning.dependency",
                object_id=str(link.pk),
                changes={"successor": [None, b.pk]},
                created_at=T0 + dt.timedelta(hours=rng.uniform(0, 24 * 70)),
            )
    events, done_at, created_at = [], {}, {}
    for task in tasks:
        at = T0 + dt.timedelta(hours=rng.uniform(0, 24 * 60))
        created_at[task.pk] = at
        events.append(_event(team, task, {"title": [None, task.title]}, at))
        status = "not_started"
        for _ in range(rng.randrange(0, 7)):
            # some moves share their second with the one before
            at += dt.timedelta(hours=rng.choice([0, 0, rng.uniform(1, 60)]))
            nxt = rng.choice(STATUSES)
            if nxt == status:
                continue
            changes: dict[str, Any] = {"status": [status, nxt]}
            if nxt == "blocked":
                changes["blocked_on"] = [None, rng.choice(people).pk]
            events.append(_event(team, task, changes, at))
            status = nxt
            if nxt == "done":
                done_at[task.pk] = at
                break
        if rng.random() < 0.3:
            events.append(_event(team, task, {"duration_days": [1, 2]}, at))
    Event.objects.bulk_create(events)
    for task in tasks:
        Task.objects.filter(pk=task.pk).update(
            created_at=created_at[task.pk],
            done_at=done_at.get(task.pk),
            status="done" if task.pk in done_at else "in_progress",
        )
    chain = ApprovalChain.objects.create(workspace=ws, name="Random", kind="content_draft")
    step = ApprovalStep.objects.create(chain=chain, position=0, name="Founder", limit=2)
    step.approvers.add(team.owner)
    for task in rng.sample(tasks, 8):
        since = created_at[task.pk] + dt.timedelta(days=rng.uniform(0, 20))
        decided = since + dt.timedelta(days=rng.uniform(0, 6))
        pending = rng.random() < 0.25
        request = ApprovalRequest.objects.create(
            workspace=ws,
            task=task,
            chain=chain,
            status="pending" if pending else "approved",
            waiting_since=since,
            due_at=since,
            decided_at=None if pending else decided,
        )
        Event.objects.create(
            workspace=ws,
            verb="sent_for_approval",
            object_type="planning.task",
            object_id=str(task.pk),
            changes={"request": [None, request.pk], "round": [None, 1]},
            created_at=since,
        )
        if not pending:
            made = Decision.objects.create(
                request=request, step=0, round=1, approver=team.owner, verdict="approve"
            )
            Decision.objects.filter(pk=made.pk).update(created_at=decided)
    return tasks


def periods(team: Team, rng: random.Random, tasks: list[Task]) -> list[Period]:
    owner = next(t.owner_id for t in tasks if t.owner_id)
    channel = Channel.objects.get(workspace=team.workspace, key="rnd-1").pk
    out = [
        Period(dt.date(2026, 1, 1), dt.date(2026, 4, 30)),
        Period(dt.date(2025, 5, 1), dt.date(2026, 4, 30)),  # a year
        Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28)),  # a month in the past
        Period(dt.date(2026, 1, 1), dt.date(2026, 4, 30), campaign=tasks[1].campaign_id),
        Period(dt.date(2026, 1, 1), dt.date(2026, 4, 30), person=owner),
        Period(dt.date(2026, 1, 1), dt.date(2026, 4, 30), channel=channel),
    ]
    for _ in range(4):
        start = dt.date(2026, 1, 1) + dt.timedelta(rng.randrange(100))
        out.append(Period(start, start + dt.timedelta(rng.randrange(1, 60))))
    return out


def assert_same(team: Team, chosen: list[Period]) -> None:
    ws = team.workspace
    for period in chosen:
        kept = plain(flow_for(ws, period, NOW)), plain(bottlenecks_for(ws, period, NOW))
        direct = (
            plain(flow_for(ws, period, NOW, direct=True)),
            plain(bottlenecks_for(ws, period, NOW, direct=True)),
        )
        assert kept == direct, period
    crunch = Period(dt.date(2026, 1, 1), dt.date(2026, 4, 30))
    assert plain(crunch_for(ws, crunch, NOW)) == plain(crunch_for(ws, crunch, NOW, direct=True))


@pytest.mark.parametrize(
    ("seed", "zone"), [(1, "UTC"), (2, "Europe/Berlin"), (3, "America/New_York")]
)
def test_kept_columns_give_the_direct_figures(team: Team, seed: int, zone: str) -> None:
    rng = random.Random(seed)
    Workspace.objects.filter(pk=team.workspace.pk).update(time_zone=zone)
    team.workspace.refresh_from_db()
    tasks = random_history(team, rng)
    chosen = periods(team, rng, tasks)
    flows = [flow_for(team.workspace, p, NOW, direct=True) for p in chosen]
    assert any(f.finished for f in flows) and any(f.aging for f in flows)  # worth comparing
    # nothing copied yet: everything comes from the log after the (absent) mark
    assert_same(team, chosen)
    # every move copied by the job
    with time_machine.travel(NOW, tick=False):
        assert task_moves_copy(team.workspace) > 0
    assert RoundStart.objects.filter(workspace=team.workspace).count() == 8
    assert PlanChange.objects.filter(workspace=team.workspace).exists()
    assert any(c.figures.changes for c in crunch_for(team.workspace, chosen[0], NOW).launches)
    assert_same(team, chosen)
    # part of the log not copied yet: the columns read the log after the mark
    mark = sorted(TaskMove.objects.values_list("event_id", flat=True))[len(tasks)]
    TaskMove.objects.filter(event_id__gt=mark).delete()
    RoundStart.objects.filter(event_id__gt=mark).delete()
    PlanChange.objects.filter(event_id__gt=mark).delete()
    CopyMark.objects.filter(workspace=team.workspace).update(event_id=mark)
    assert_same(team, chosen)


def test_new_activity_is_read_incrementally(team: Team) -> None:
    rng = random.Random(11)
    tasks = random_history(team, rng)
    chosen = periods(team, rng, tasks)
    with time_machine.travel(NOW, tick=False):
        task_moves_copy(team.workspace)
    assert_same(team, chosen)  # the columns are in memory now
    # a task changes owner and finishes, a link is removed and one added, a new task starts
    moved = tasks[10]
    Task.objects.filter(pk=moved.pk).update(
        owner=team.freelancer, done_at=dt.datetime(2026, 3, 3, 9, tzinfo=UTC)
    )
    Event.objects.bulk_create(
        [
            _event(
                team,
                moved,
                {"status": ["in_progress", "done"]},
                dt.datetime(2026, 3, 3, 9, tzinfo=UTC),
            )
        ]
    )
    Dependency.objects.filter(workspace=team.workspace).first().delete()  # type: ignore[union-attr]
    Dependency.objects.create(workspace=team.workspace, predecessor=tasks[2], successor=tasks[30])
    Event.objects.create(
        workspace=team.workspace,
        verb="created",
        object_type="planning.dependency",
        object_id="0",
        changes={},
        created_at=NOW,
    )
    late = Task.objects.create(
        workspace=team.workspace, campaign=tasks[0].campaign, title="Late", owner=team.member
    )
    Task.objects.filter(pk=late.pk).update(created_at=dt.datetime(2026, 3, 9, 9, tzinfo=UTC))
    Event.objects.bulk_create(
        [
            _event(team, late, {"title": [None, "Late"]}, dt.datetime(2026, 3, 9, 9, tzinfo=UTC)),
            _event(
                team,
                late,
                {"status": ["not_started", "in_progress"]},
                dt.datetime(2026, 3, 10, 9, tzinfo=UTC),
            ),
        ]
    )
    assert_same(team, chosen)
    figures = flow_for(team.workspace, chosen[0], NOW)
    assert "Late" in [a.task.title for a in figures.aging]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"])
def test_local_days_are_the_calendar_days_astimezone_gives(zone: str) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    rng = random.Random(zone)
    start = dt.datetime(2025, 1, 1, tzinfo=UTC).timestamp()
    # random moments over two years, and every quarter hour around the DST changes
    seconds = [start + rng.uniform(0, 2 * 365 * 86400) for _ in range(3000)]
    for change in ("2025-03-09", "2025-03-30", "2025-10-26", "2025-11-02"):
        day = dt.datetime.fromisoformat(change).replace(tzinfo=UTC).timestamp()
        seconds += [day + k * 900 + 0.5 for k in range(-8, 40)]
    expected = [
        (dt.datetime.fromtimestamp(s, UTC).astimezone(tz).date() - dt.date(1970, 1, 1)).days
        for s in seconds
    ]
    assert local_days(np.array(seconds), tz).tolist() == expected


def test_task_moments_are_read_to_the_microsecond(team: Team) -> None:
    # SQLite's strftime rounds 26.9996 s up to 27 s: the whole seconds are read apart
    ws = team.workspace
    campaign = Campaign.objects.create(workspace=ws, name="Exact")
    task = Task.objects.create(workspace=ws, campaign=campaign, title="Exact", position=0)
    done = dt.datetime(2026, 3, 3, 3, 20, 26, 999627, tzinfo=UTC)
    made = dt.datetime(2026, 3, 1, 9, 0, 0, 999999, tzinfo=UTC)
    Task.objects.filter(pk=task.pk).update(done_at=done, created_at=made, due_date="2026-03-05")
    cols = task_columns(ws)
    at = int(np.flatnonzero(cols.ids == task.pk)[0])
    assert (cols.done[at], cols.created[at]) == (micros(done), micros(made))
    assert cols.due[at] == (dt.date(2026, 3, 5) - dt.date(1970, 1, 1)).days
    row = task_rows(ws, [task.pk])[task.pk]
    assert (row.done_at, row.created_at, row.due) == (done, made, dt.date(2026, 3, 5))
    assert task_rows(ws, []) == {}


def _new_process_reads(ws: Workspace, period: Period, *, crunch: Period | None = None) -> set[str]:
    """What a new process's first flow answer (and crunch) reads of the copies' tables, and
    of the tasks and links tables read whole."""
    forget_columns()
    with CaptureQueriesContext(connection) as queries:
        flow_for(ws, period, NOW)
        if crunch is not None:
            crunch_for(ws, crunch, NOW)
    sql = [q["sql"] for q in queries.captured_queries]
    tables = ("insights_taskmove", "insights_planchange", "insights_roundstart")
    read = {t for t in tables for q in sql if f'FROM "{t}"' in q}
    whole = ('"planning_task"."kind"', 'FROM "planning_dependency"')
    return read | {w for w in whole for q in sql if w in q}


def test_a_new_process_reads_the_stored_columns_then_only_what_changed(team: Team) -> None:
    ws = team.workspace
    rng = random.Random(5)
    tasks = random_history(team, rng)
    chosen = periods(team, rng, tasks)
    with time_machine.travel(NOW, tick=False):
        task_moves_copy(ws)
        assert columns_copy_store(ws)
        assert not columns_copy_store(ws)  # nothing copied since
    # a new process: one row instead of the copies and the tasks
    assert _new_process_reads(ws, chosen[1], crunch=chosen[0]) == set()
    assert_same(team, chosen)
    # new moves, copied by the job but not stored again (it was stored minutes ago): a new
    # process reads the stored row, then the moves copied after it
    moved = tasks[3]
    Event.objects.bulk_create(
        [_event(team, moved, {"status": ["in_progress", "blocked"]}, NOW - dt.timedelta(days=2))]
    )
    later = NOW + dt.timedelta(minutes=10)
    with time_machine.travel(later, tick=False):
        assert task_moves_copy(ws) == 1
        assert not columns_copy_store(ws)
    assert "insights_taskmove" in _new_process_reads(ws, chosen[1])
    assert_same(team, chosen)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        assert columns_copy_store(ws)  # due again
    # copies made again from the start (another copy mark): the stored row is not read
    CopyMark.objects.filter(workspace=ws).delete()
    for model in (TaskMove, RoundStart, PlanChange):
        model.objects.filter(workspace=ws).delete()
    with time_machine.travel(later, tick=False):
        task_moves_copy(ws)
    assert "insights_taskmove" in _new_process_reads(ws, chosen[1])
    assert_same(team, chosen)


def test_kept_decisions_see_changes_no_event_names(team: Team) -> None:
    ws = team.workspace
    rng = random.Random(13)
    tasks = random_history(team, rng)
    chosen = periods(team, rng, tasks)
    with time_machine.travel(NOW, tick=False):
        task_moves_copy(ws)
    assert_same(team, chosen)  # the decisions are kept in memory now
    decided = ApprovalRequest.objects.filter(workspace=ws, decisions__isnull=False).first()
    assert decided is not None
    # a decision recorded without an activity event
    made = Decision.objects.create(
        request=decided, step=0, round=1, approver=team.manager, verdict="approve"
    )
    Decision.objects.filter(pk=made.pk).update(created_at=dt.datetime(2026, 2, 20, 9, tzinfo=UTC))
    before = bottlenecks_for(ws, chosen[0], NOW)
    assert team.manager.pk in [a.person_id for a in before.approvers]
    assert_same(team, chosen)
    # a request saved (another round) without one
    decided.round = 3
    decided.save()
    assert_same(team, chosen)
    # its approver removed (the decision stays, nobody's)
    Decision.objects.filter(pk=made.pk).update(approver=None)
    assert team.manager.pk not in [
        a.person_id for a in bottlenecks_for(ws, chosen[0], NOW).approvers
    ]
    assert_same(team, chosen)
