"""Writes that move no dates skip the reschedule, and whatever path a write takes, the stored
schedule is the one a full reschedule computes from scratch."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from headway.accounts.services import token_create
from headway.conftest import Team
from headway.core.errors import DomainError
from headway.planning.models import Campaign, Dependency, Task
from headway.planning.scheduling import plan_load
from headway.planning.services import schedule as schedule_services
from headway.planning.services.calendar import timeoff_add
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.links import dependency_add, dependency_remove
from headway.planning.services.schedule import _schedule, campaign_reschedule, plans_backward
from headway.planning.services.tasks import (
    task_create,
    task_delete,
    task_set_status,
    task_update,
)
from headway.planning.signals import plan_changed


def _stored(campaign: Campaign) -> dict[str, Any]:
    campaign.refresh_from_db()
    tasks = Task.objects.filter(campaign=campaign).values_list(
        "pk", "start_date", "due_date", "total_float", "critical", "explanation"
    )
    return {
        "tasks": {pk: tuple(rest) for pk, *rest in tasks},
        "campaign": (
            campaign.plan_start,
            campaign.projected_launch,
            campaign.short_by,
            campaign.late_by,
        ),
    }


def _full(campaign: Campaign) -> dict[str, Any]:
    """What a full reschedule from scratch gives, computed without storing it."""
    campaign.refresh_from_db()
    plan = plan_load(campaign)
    result = _schedule(campaign, plan, plans_backward(campaign))
    late = 0
    if campaign.launch_date and result.launch and result.launch > campaign.launch_date:
        late = plan.calendar.working_days_between(campaign.launch_date, result.launch)
    return {
        "tasks": {
            pk: (d.start, d.due, float(d.total_float), bool(d.critical), d.explanation[:200])
            for pk, d in result.dates.items()
        },
        "campaign": (result.plan_start, result.launch, result.short_by, late),
    }


def _plan(team: Team, launch_in: int | None, size: int, links: int) -> Campaign:
    today = team.workspace.today()
    launch = today + dt.timedelta(days=launch_in) if launch_in is not None else None
    campaign = campaign_create(
        actor=team.manager, workspace=team.workspace, name="Property", launch_date=launch
    )
    tasks = [
        task_create(
            actor=team.manager,
            campaign=campaign,
            title=f"T{n}",
            duration_days=1 + n % 3,
            owner=[None, team.member.pk, team.manager.pk][n % 3],
        )
        for n in range(size)
    ]
    for n in range(links):
        a, b = tasks[n % size], tasks[(n * 7 + 3) % size]
        if a.pk < b.pk:
            with contextlib.suppress(DomainError):
                dependency_add(actor=team.manager, predecessor=a, successor=b)
    return campaign


EDIT = st.one_of(
    st.tuples(
        st.just("add"),
        st.sampled_from(["0", "0.5", "1", "2", "4", "9", "30"]),
        st.sampled_from(["task", "milestone", "launch"]),
        st.integers(0, 2),
    ),
    st.tuples(
        st.just("link"),
        st.integers(0, 99),
        st.integers(0, 99),
        st.sampled_from(["FS", "SS", "FF", "SF"]),
        st.integers(-2, 3),
    ),
    st.tuples(st.just("unlink"), st.integers(0, 99)),
    st.tuples(st.just("duration"), st.integers(0, 99), st.sampled_from(["0", "1.5", "3", "12"])),
    st.tuples(st.just("status"), st.integers(0, 99), st.sampled_from(["in_progress", "done"])),
    st.tuples(st.just("owner"), st.integers(0, 99), st.integers(0, 2)),
    st.tuples(st.just("title"), st.integers(0, 99)),
    st.tuples(st.just("timeoff"), st.integers(0, 2), st.integers(0, 20), st.integers(0, 4)),
    st.tuples(
        st.just("xlink"),
        st.integers(0, 99),
        st.integers(0, 2),
        st.sampled_from(["FS", "SS", "FF", "SF"]),
        st.integers(-2, 3),
    ),
    st.tuples(st.just("delete"), st.integers(0, 99)),
)


def _waiting(team: Team, upstream: Campaign, links: int) -> Campaign:
    """A second campaign of three tasks, `links` of them waiting on tasks of `upstream`."""
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Waiting")
    mine = [
        task_create(actor=team.manager, campaign=campaign, title=f"W{n}", duration_days=1 + n)
        for n in range(3)
    ]
    theirs = list(Task.objects.filter(campaign=upstream).order_by("pk"))
    for n in range(links):
        dependency_add(
            actor=team.manager, predecessor=theirs[(n * 5) % len(theirs)], successor=mine[n % 3]
        )
    return campaign


def _apply(
    team: Team, campaign: Campaign, edit: tuple[Any, ...], waiting: Campaign | None = None
) -> None:
    people = [None, team.member, team.manager]
    tasks = list(Task.objects.filter(campaign=campaign).order_by("pk"))
    kind = edit[0]
    if kind == "xlink" and waiting is not None:
        theirs = list(Task.objects.filter(campaign=waiting).order_by("pk"))
        dependency_add(
            actor=team.manager,
            predecessor=tasks[edit[1] % len(tasks)],
            successor=theirs[edit[2] % len(theirs)],
            type=edit[3],
            lag=edit[4],
        )
    elif kind == "delete":
        if len(tasks) > 1:
            task_delete(actor=team.manager, task=tasks[edit[1] % len(tasks)])
    elif kind == "xlink":
        pass
    elif kind == "add":
        owner = people[edit[3]]
        task_create(
            actor=team.manager,
            campaign=campaign,
            title="New",
            duration_days=Decimal(edit[1]),
            kind=edit[2],
            owner=owner.pk if owner else None,
        )
    elif kind == "link":
        a, b = tasks[edit[1] % len(tasks)], tasks[edit[2] % len(tasks)]
        dependency_add(actor=team.manager, predecessor=a, successor=b, type=edit[3], lag=edit[4])
    elif kind == "unlink":
        links = list(Dependency.objects.filter(successor__campaign=campaign).order_by("pk"))
        if links:
            dependency_remove(actor=team.manager, dependency=links[edit[1] % len(links)])
    elif kind == "timeoff":
        person = people[edit[1]] or team.member
        first = team.workspace.today() + dt.timedelta(days=edit[2])
        timeoff_add(
            actor=team.manager,
            workspace=team.workspace,
            user_id=person.pk,
            first_day=first,
            last_day=first + dt.timedelta(days=edit[3]),
        )
    else:
        task = tasks[edit[1] % len(tasks)]
        if kind == "duration":
            task_update(actor=team.manager, task=task, version=task.version, duration_days=edit[2])
        elif kind == "status":
            if task.owner_id is not None or task.is_milestone:
                task_set_status(actor=team.manager, task=task, status=edit[2], force=True)
        elif kind == "owner":
            owner = people[edit[2]]
            task_update(
                actor=team.manager,
                task=task,
                version=task.version,
                owner=owner.pk if owner else None,
            )
        else:
            task_update(actor=team.manager, task=task, version=task.version, title="Renamed")


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    launch_in=st.one_of(st.none(), st.integers(0, 60)),
    size=st.integers(1, 8),
    links=st.integers(0, 10),
    xlinks=st.integers(0, 3),
    edits=st.lists(EDIT, min_size=1, max_size=8),
)
def test_incremental_writes_store_what_a_full_reschedule_computes(
    team: Team,
    launch_in: int | None,
    size: int,
    links: int,
    xlinks: int,
    edits: list[tuple[Any, ...]],
) -> None:
    """Random edits of a plan that another campaign waits on: each write reschedules only
    what it moves (downstream campaigns only when a date they wait on moved), and both plans
    always hold what a full reschedule from scratch computes."""
    with transaction.atomic():
        campaign = _plan(team, launch_in, size, links)
        waiting = _waiting(team, campaign, xlinks)
        for edit in edits:
            try:
                with transaction.atomic():
                    _apply(team, campaign, edit, waiting)
            except DomainError:
                pass  # a refused edit (a loop, a duplicate link) stores nothing
            assert _stored(campaign) == _full(campaign), edit
            assert _stored(waiting) == _full(waiting), edit
        transaction.set_rollback(True)


def test_a_new_unlinked_task_is_dated_without_a_reschedule(team: Team) -> None:
    campaign = _plan(team, None, 5, 6)
    tasks = Task.objects.filter(campaign=campaign)
    before = dict(tasks.values_list("pk", "updated_at"))
    task = task_create(actor=team.manager, campaign=campaign, title="Brief", duration_days=2)
    task.refresh_from_db()
    assert dict(tasks.exclude(pk=task.pk).values_list("pk", "updated_at")) == before
    assert task.start_date == Campaign.objects.get(pk=campaign.pk).plan_start
    assert task.explanation == "plan start"
    assert _stored(campaign) == _full(campaign)


def test_a_task_longer_than_the_plan_reschedules_it(team: Team) -> None:
    campaign = _plan(team, None, 3, 2)
    critical_before = set(Task.objects.filter(campaign=campaign, critical=True))
    assert critical_before
    long = task_create(actor=team.manager, campaign=campaign, title="Long", duration_days=60)
    long.refresh_from_db()
    assert long.critical and long.total_float == 0
    assert not Task.objects.filter(campaign=campaign, critical=True).exclude(pk=long.pk).exists()
    assert _stored(campaign) == _full(campaign)


def test_an_owner_change_moves_dates_only_through_days_off(team: Team) -> None:
    campaign = _plan(team, None, 2, 0)
    task = Task.objects.filter(campaign=campaign, owner=None).first()
    assert task is not None
    first = campaign.plan_start
    assert first is not None
    timeoff_add(
        actor=team.manager,
        workspace=team.workspace,
        user_id=team.admin.pk,
        first_day=first,
        last_day=first + dt.timedelta(days=6),
    )
    task = task_update(actor=team.manager, task=task, version=task.version, owner=team.admin.pk)
    assert task.start_date is not None and task.start_date > first
    assert "off" in task.explanation
    assert _stored(campaign) == _full(campaign)


def test_plan_changed_is_sent_on_commit_with_the_moved_tasks(team: Team) -> None:
    heard: list[tuple[int, list[int]]] = []

    def hear(sender: object, *, campaign: Campaign, moved_task_ids: list[int], **kw: Any) -> None:
        heard.append((campaign.pk, moved_task_ids))

    plan_changed.connect(hear, sender=Campaign, dispatch_uid="test-hear")
    try:
        campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Heard")
        task_create(actor=team.manager, campaign=campaign, title="A")
        assert heard == []  # not before the transaction commits (this one never does)
        with TestCase.captureOnCommitCallbacks(execute=True):
            task = task_create(actor=team.manager, campaign=campaign, title="B")
        assert heard and heard[-1][0] == campaign.pk and task.pk in heard[-1][1]
    finally:
        plan_changed.disconnect(hear, sender=Campaign, dispatch_uid="test-hear")


def _bulk_plan(team: Team, size: int) -> Campaign:
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name=f"Big {size}")
    made = Task.objects.bulk_create(
        Task(
            workspace=team.workspace,
            campaign=campaign,
            title=f"T{n}",
            position=n,
            duration_days=1 + n % 4,
        )
        for n in range(size)
    )
    Dependency.objects.bulk_create(
        Dependency(workspace=team.workspace, predecessor=made[n - 1], successor=made[n])
        for n in range(1, size, 2)
    )
    campaign_reschedule(campaign)
    campaign.refresh_from_db()
    return campaign


@pytest.mark.django_db
def test_task_create_query_count_does_not_grow_with_the_plan(team: Team) -> None:
    counts = []
    for size in (100, 1000):
        campaign = _bulk_plan(team, size)
        with CaptureQueriesContext(connection) as queries:
            task_create(actor=team.manager, campaign=campaign, title="One more")
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # A date-moving write reads the plan in a constant number of queries too.
    counts = []
    for campaign in Campaign.objects.filter(name__startswith="Big "):
        task = Task.objects.filter(campaign=campaign).order_by("position").first()
        assert task is not None
        with CaptureQueriesContext(connection) as queries:
            task_update(actor=team.manager, task=task, version=task.version, duration_days=7)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_an_api_create_reads_the_membership_once_and_asks_the_job_queue_once(team: Team) -> None:
    """A create through the API: the role checked by the service is the membership the
    request resolved; the new task's dates go in with its row (no second write); health
    hears the save, the event and plan_changed but asks the job queue once."""
    campaign = _bulk_plan(team, 50)
    Task.objects.filter(campaign=campaign).update(owner=None)
    _, raw = token_create(actor=team.manager, name="api")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    path = f"/api/v1/workspaces/{team.workspace.slug}/campaigns/{campaign.pk}/tasks"
    client.post(path, {"title": "Warm"}, content_type="application/json")  # token's last use
    with (
        override_settings(HEALTH_RECOMPUTE_ON_CHANGE=True),
        CaptureQueriesContext(connection) as queries,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = client.post(path, {"title": "One more"}, content_type="application/json")
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in queries]
    assert sum("workspaces_membership" in s for s in sql) == 1, sql
    assert not any(s.startswith("UPDATE") and "planning_task" in s for s in sql), sql
    assert sum("django_tasks_database_dbtaskresult" in s for s in sql) == 2, sql  # ask, enqueue
    # The token is read with the membership (one query), and the reads are: that one, the
    # campaign (read whole by the scope check, not checked and then read), its last
    # position, the holidays, the job queue.
    assert sum("accounts_apitoken" in s for s in sql) == 1, sql
    assert sum("planning_campaign" in s for s in sql if s.startswith("SELECT")) == 1, sql
    assert sum(s.startswith("SELECT") for s in sql) == 5, sql
    task = Task.objects.get(pk=response.json()["id"])
    assert (task.start_date, task.explanation) == (campaign.plan_start, "plan start")
    assert _stored(campaign) == _full(campaign)


def test_a_campaign_is_rescheduled_only_when_a_date_it_waits_on_moves(team: Team) -> None:
    """B waits on A's task P. Lengthening A's other task Q moves Q's dates and P's float
    (the plan ends later) but not P's dates: B is not rescheduled. Lengthening P is."""
    a = campaign_create(actor=team.manager, workspace=team.workspace, name="A")
    p = task_create(actor=team.manager, campaign=a, title="P", duration_days=2)
    q = task_create(actor=team.manager, campaign=a, title="Q", duration_days=2)
    b = campaign_create(actor=team.manager, workspace=team.workspace, name="B")
    w = task_create(actor=team.manager, campaign=b, title="W", duration_days=1)
    dependency_add(actor=team.manager, predecessor=p, successor=w)
    loaded: list[str] = []
    real = schedule_services.plan_load_stored

    def spy(campaign: Campaign) -> Any:
        loaded.append(campaign.name)
        return real(campaign)

    with mock.patch.object(schedule_services, "plan_load_stored", spy):
        p_float = Task.objects.get(pk=p.pk).total_float
        q = task_update(actor=team.manager, task=q, version=q.version, duration_days=5)
        assert Task.objects.get(pk=p.pk).total_float != p_float  # P moved, but no date
        assert loaded == ["A"]
        p = Task.objects.get(pk=p.pk)
        task_update(actor=team.manager, task=p, version=p.version, duration_days=3)
        assert loaded == ["A", "A", "B"]
    assert _stored(b) == _full(b)
