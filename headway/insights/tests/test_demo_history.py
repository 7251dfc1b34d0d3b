"""The demo's history reads as work done over weeks, not on the day the demo was built: every
task of a launched campaign was created, started and finished in that order before (or, for
after-launch work, after) its launch; no launch happened on the build day with all its work
finished that day; the spring collection that March's results credit ran in February; the
paid social bursts show cycle and lead times on the flow page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from headway.activity.models import Event, Verb
from headway.core.demo import HARBOR_AND_PINE, demo_load
from headway.insights.selectors.flow import flow_for, period_for
from headway.planning.models import Campaign, Channel, Task, TaskKind
from headway.results.models import ResultRow
from headway.results.reviews.models import Review, ReviewStatus
from headway.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def _moves(task_ids: list[int]) -> dict[int, list[tuple[dt.datetime, int, str, str | None]]]:
    """Each task's events in time order: (when, id, verb, new status)."""
    out: dict[int, list[tuple[dt.datetime, int, str, str | None]]] = defaultdict(list)
    events = Event.objects.filter(
        object_type="planning.task", object_id__in=[str(t) for t in task_ids]
    )
    for pk, object_id, verb, changes, at in events.values_list(
        "pk", "object_id", "verb", "changes", "created_at"
    ):
        status = (changes.get("status") or [None, None])[1]
        out[int(object_id)].append((at, pk, verb, status))
    for rows in out.values():
        rows.sort()
    return out


def _launched_at(campaign: Campaign) -> dt.datetime:
    events = Event.objects.filter(
        object_type="planning.campaign", object_id=str(campaign.pk), changes__status__1="launched"
    )
    return events.values_list("created_at", flat=True).get()


@pytest.fixture
def harbor() -> Workspace:
    demo_load()
    return Workspace.objects.get(name=HARBOR_AND_PINE)


def test_every_finished_demo_task_was_created_then_started_then_finished(
    harbor: Workspace,
) -> None:
    tasks = Task.objects.filter(workspace=harbor, kind=TaskKind.TASK, status="done")
    moves = _moves(list(tasks.values_list("pk", flat=True)))
    assert tasks.count() > 30
    for task in tasks.select_related("campaign"):
        rows = moves[task.pk]
        label = f"{task.campaign.name} / {task.title}"
        assert rows and rows[0][2] == Verb.CREATED, f"{label}: no creation event first"
        statuses = [status for _, _, _, status in rows if status]
        assert "done" in statuses, label
        first_done = statuses.index("done")
        assert "in_progress" in statuses[:first_done], f"{label}: done without being started"


def test_no_launch_is_on_the_build_day_with_its_work_all_finished_that_day(
    harbor: Workspace,
) -> None:
    today = harbor.today()
    launched = Campaign.objects.filter(workspace=harbor, status="launched")
    assert launched.count() >= 8
    for campaign in launched:
        created = Event.objects.get(
            object_type="planning.campaign", object_id=str(campaign.pk), verb=Verb.CREATED
        ).created_at
        launch = _launched_at(campaign)
        assert created < launch, campaign.name
        assert launch.astimezone(harbor.tzinfo).date() == campaign.launch_date or (
            campaign.launch_date is not None
            and launch.astimezone(harbor.tzinfo).date() > campaign.launch_date
        ), f"{campaign.name} launched before its launch date"
        tasks = Task.objects.filter(campaign=campaign, kind=TaskKind.TASK)
        moves = _moves(list(tasks.values_list("pk", flat=True)))
        done_days = {
            at.astimezone(harbor.tzinfo).date()
            for rows in moves.values()
            for at, _, _, status in rows
            if status == "done"
        }
        assert done_days != {today}, f"{campaign.name}: all its work finished on the build day"
        # the work planned before the launch was finished by it
        for task in tasks.filter(due_date__lte=campaign.launch_date, status="done"):
            done_at = min(at for at, _, _, status in moves[task.pk] if status == "done")
            assert done_at <= launch, f"{campaign.name} / {task.title} finished after launch"


def test_the_spring_collection_ran_in_february_and_march_results_credit_it(
    harbor: Workspace,
) -> None:
    spring = Campaign.objects.get(workspace=harbor, name="Spring collection launch")
    created = Event.objects.get(
        object_type="planning.campaign", object_id=str(spring.pk), verb=Verb.CREATED
    ).created_at
    assert created.date() < dt.date(2026, 2, 1)
    assert _launched_at(spring).astimezone(harbor.tzinfo).date() == dt.date(2026, 2, 27)
    assert spring.launch_date == dt.date(2026, 2, 27)
    tasks = Task.objects.filter(campaign=spring).exclude(kind=TaskKind.MILESTONE)
    assert all(t.due_date is not None and t.due_date <= spring.launch_date for t in tasks)
    # its copy and creative waited on the founder's approval
    approvals = Event.objects.filter(
        object_type="planning.task",
        object_id__in=[str(t.pk) for t in tasks],
        verb=Verb.APPROVED,
    )
    assert approvals.count() == 2
    # its results review milestone, past, was reached (the page counted it late)
    review_day = Task.objects.get(campaign=spring, kind=TaskKind.MILESTONE)
    assert review_day.status == "done"
    assert ResultRow.objects.filter(campaign=spring, day__month=3).exists()
    review = Review.objects.get(campaign=spring)
    assert review.status == ReviewStatus.COMPLETED and "2,680" in review.delivered
    assert not Campaign.objects.filter(workspace=harbor, name="Early spring launch").exists()


def test_the_paid_social_flow_has_cycle_and_lead_times(harbor: Workspace) -> None:
    paid = Channel.objects.get(workspace=harbor, key="paid_social")
    period = period_for(
        harbor, harbor.today() - dt.timedelta(days=120), harbor.today(), channel=paid.pk
    )
    result = flow_for(harbor, period, direct=True)
    assert result.finished >= 8
    assert result.report.cycle_time_percentiles, "no cycle time for paid social"
    assert result.lead_percentiles, "no lead time for paid social"
    assert result.lead_percentiles[50] >= result.report.cycle_time_percentiles[50]


def test_work_waits_on_an_approval_only_after_its_campaign_was_briefed(harbor: Workspace) -> None:
    """The trail shoe's creative has waited five days on the founder: its campaign was briefed
    before that (it was created on the build day), and every task's first event is its
    creation."""
    from headway.approvals.models import ApprovalRequest

    requests = ApprovalRequest.objects.filter(task__workspace=harbor).select_related("task")
    assert requests.exists()
    created = {
        int(object_id): at
        for object_id, at in Event.objects.filter(
            workspace=harbor, object_type="planning.task", verb=Verb.CREATED
        ).values_list("object_id", "created_at")
    }
    for request in requests:
        assert request.task_id in created, request.task.title
        assert created[request.task_id] <= request.waiting_since, request.task.title
    tasks = Task.objects.filter(workspace=harbor).values_list("pk", flat=True)
    for task_id, rows in _moves(list(tasks)).items():
        assert rows[0][2] == Verb.CREATED, task_id
