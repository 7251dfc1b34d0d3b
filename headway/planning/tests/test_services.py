from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.activity.models import Event
from headway.conftest import Team
from headway.core.errors import Conflict, DomainError, Forbidden
from headway.planning.models import Campaign, Dependency, Task, TaskStatus, TimeOff
from headway.planning.services.campaigns import (
    campaign_create,
    campaign_set_status,
    campaign_update,
)
from headway.planning.services.links import condition_create, condition_set_met, dependency_add
from headway.planning.services.schedule import PlanChange, launch_preview, plan_preview
from headway.planning.services.tasks import task_create, task_set_status, task_update
from headway.planning.services.templates import (
    campaign_from_template,
    campaign_save_as_template,
    template_create,
    templates_ensure,
)
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_a_chain_is_dated_forward_from_today(team: Team) -> None:
    campaign, tasks = chain(team)
    # 2 + 3 + 1 working days from Monday 2 March; the launch follows on Friday 6... Monday 9.
    assert (tasks[0].start_date, tasks[0].due_date) == (MONDAY, dt.date(2026, 3, 3))
    assert (tasks[1].start_date, tasks[1].due_date) == (dt.date(2026, 3, 4), dt.date(2026, 3, 6))
    assert tasks[2].start_date == dt.date(2026, 3, 9)
    assert tasks[3].start_date == dt.date(2026, 3, 10)
    assert campaign.projected_launch == dt.date(2026, 3, 10)
    assert all(t.critical for t in tasks)
    assert tasks[1].explanation == "after Step 1 finishes"


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_a_new_launch_date_schedules_backward_and_says_how_short_it_is(team: Team) -> None:
    campaign, _ = chain(team)
    campaign = campaign_update(
        actor=team.manager,
        campaign=campaign,
        version=campaign.version,
        launch_date=dt.date(2026, 3, 20),
    )
    first = Task.objects.get(campaign=campaign, title="Step 1")
    launch = Task.objects.get(campaign=campaign, title="Launch")
    assert launch.start_date == dt.date(2026, 3, 20)
    assert first.start_date == dt.date(2026, 3, 12)  # 6 working days before the launch
    assert campaign.short_by == 0
    # Too early: the plan starts today and the launch date is 3 working days short.
    campaign = campaign_update(
        actor=team.manager,
        campaign=campaign,
        version=campaign.version,
        launch_date=dt.date(2026, 3, 5),
    )
    assert campaign.short_by == 3
    assert campaign.projected_launch == dt.date(2026, 3, 10)
    assert campaign.late_by == 3


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_owner_time_off_pushes_their_task_and_says_so(team: Team) -> None:
    campaign, tasks = chain(team)
    TimeOff.objects.create(
        workspace=team.workspace,
        user=team.member,
        first_day=dt.date(2026, 3, 4),
        last_day=dt.date(2026, 3, 5),
    )
    task_update(actor=team.manager, task=tasks[1], version=tasks[1].version, owner=team.member.pk)
    # Owner changes do not reschedule by themselves; a reschedule picks up the time off.
    from headway.planning.services.schedule import campaign_reschedule

    campaign_reschedule(campaign)
    second = Task.objects.get(pk=tasks[1].pk)
    assert second.start_date == dt.date(2026, 3, 6)
    assert second.explanation.endswith("off 4-5 March")


def test_a_launch_date_in_the_past_is_refused(team: Team) -> None:
    with pytest.raises(DomainError, match="in the past") as err:
        campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Late",
            launch_date=dt.date(2020, 1, 6),
        )
    assert err.value.field == "launch_date"
    assert not Campaign.objects.filter(name="Late").exists()


def test_a_cycle_is_refused_with_the_loop_named(team: Team) -> None:
    _, tasks = chain(team)
    with pytest.raises(DomainError, match="would make a loop") as err:
        dependency_add(actor=team.manager, predecessor=tasks[2], successor=tasks[0])
    assert "Step 1 → Step 2 → Step 3 → Step 1" in err.value.message
    assert err.value.code == "cycle"
    assert not Dependency.objects.filter(predecessor=tasks[2], successor=tasks[0]).exists()


def test_a_dependency_on_another_workspaces_task_is_refused(team: Team, other_team: Team) -> None:
    _, tasks = chain(team)
    _, theirs = chain(other_team)
    with pytest.raises(DomainError, match="same workspace"):
        dependency_add(actor=team.manager, predecessor=theirs[0], successor=tasks[0])


def test_negative_duration_and_bad_estimates_are_refused(team: Team) -> None:
    campaign, _ = chain(team)
    with pytest.raises(DomainError, match="negative") as err:
        task_create(actor=team.manager, campaign=campaign, title="X", duration_days=-1)
    assert err.value.field == "duration_days"
    with pytest.raises(DomainError, match="optimistic <= most likely"):
        task_create(
            actor=team.manager,
            campaign=campaign,
            title="Y",
            optimistic_days=5,
            likely_days=2,
            pessimistic_days=8,
        )
    assert not Task.objects.filter(title__in=["X", "Y"]).exists()


def test_an_unowned_task_cannot_start_and_blocked_needs_reason_and_person(team: Team) -> None:
    _, tasks = chain(team)
    with pytest.raises(DomainError, match="no owner") as err:
        task_set_status(actor=team.manager, task=tasks[0], status=TaskStatus.IN_PROGRESS)
    assert err.value.code == "unowned"
    task = task_update(
        actor=team.manager, task=tasks[0], version=tasks[0].version, owner=team.member.pk
    )
    with pytest.raises(DomainError, match="blocked on"):
        task_set_status(actor=team.member, task=task, status=TaskStatus.BLOCKED)
    task = task_set_status(
        actor=team.member,
        task=task,
        status=TaskStatus.BLOCKED,
        blocked_reason="Waiting for product photos",
        blocked_on=team.manager.pk,
    )
    assert task.blocked_on == team.manager and task.status == TaskStatus.BLOCKED


def test_the_later_of_two_edits_is_refused(team: Team) -> None:
    _, tasks = chain(team)
    first = Task.objects.get(pk=tasks[0].pk)
    second = Task.objects.get(pk=tasks[0].pk)
    task_update(actor=team.manager, task=first, version=first.version, title="Brief v2")
    with pytest.raises(Conflict, match="Someone else changed"):
        task_update(actor=team.admin, task=second, version=second.version, title="Brief v3")
    assert Task.objects.get(pk=tasks[0].pk).title == "Brief v2"


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_the_cascade_preview_says_what_moves_and_saves_nothing(team: Team) -> None:
    campaign, tasks = chain(team)
    preview = plan_preview(campaign, PlanChange(task_id=tasks[0].pk, duration=4))
    assert {m.title for m in preview.moved} == {"Step 2", "Step 3", "Launch"}
    assert preview.launch_days == 2
    assert preview.summary() == "moves 3 tasks; the launch moves 2 working days later"
    assert Task.objects.get(pk=tasks[0].pk).duration_days == 2


def test_the_launch_waits_for_go_live_conditions(team: Team) -> None:
    campaign, tasks = chain(team)
    cond = condition_create(
        actor=team.manager,
        campaign=campaign,
        title="Music licence cleared",
        kind="rights",
        party="third_party",
        owner=team.freelancer.pk,
        lead_time_days=10,
    )
    launch = tasks[-1]
    with pytest.raises(DomainError, match="Music licence cleared"):
        task_set_status(actor=team.manager, task=launch, status=TaskStatus.DONE)
    with pytest.raises(DomainError, match="go-live conditions are unmet"):
        campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    condition_set_met(actor=team.freelancer, condition=cond, met=True)
    campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    assert Task.objects.get(pk=launch.pk).status == TaskStatus.DONE


def test_members_and_externals_cannot_reshape_the_plan(team: Team) -> None:
    campaign, tasks = chain(team)
    with pytest.raises(Forbidden):
        task_create(actor=team.member, campaign=campaign, title="Sneaky")
    with pytest.raises(Forbidden):
        task_set_status(actor=team.freelancer, task=tasks[0], status=TaskStatus.IN_PROGRESS)


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_new_campaign_from_the_product_launch_template(team: Team) -> None:
    templates = templates_ensure(team.workspace)
    assert len(templates) == 7
    product = next(t for t in templates if t.name == "Product launch")
    # given a launch date four weeks out, shorter than the template's 26 working days
    campaign = campaign_from_template(
        actor=team.manager,
        workspace=team.workspace,
        template=product,
        name="Trail shoe launch",
        launch_date=dt.date(2026, 3, 27),
    )
    # then it is dated from today and says by how much the date is short
    assert campaign.short_by == 26 - 19
    assert campaign.template_name == "Product launch"
    launch = Task.objects.get(campaign=campaign, kind="launch")
    assert launch.start_date == campaign.projected_launch
    assert campaign.conditions.count() == 2
    assert Task.objects.filter(campaign=campaign, critical=True).count() >= 5
    assert Event.objects.filter(
        object_type="planning.campaign", object_id=str(campaign.pk)
    ).exists()
    # and the campaign saved as a template gives the same network back
    saved = campaign_save_as_template(actor=team.manager, campaign=campaign, name="Our launch")
    assert len(saved.spec["tasks"]) == len(product.spec["tasks"])


def test_a_template_with_a_broken_network_is_refused(team: Team) -> None:
    spec = {
        "tasks": [
            {"key": "a", "title": "A", "after": ["b"]},
            {"key": "b", "title": "B", "after": ["a"]},
        ]
    }
    with pytest.raises(DomainError, match="the links form a cycle: a -> b -> a"):
        template_create(actor=team.manager, workspace=team.workspace, name="Loop", spec=spec)
    with pytest.raises(DomainError, match="unknown task 'zzz'"):
        template_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Orphan",
            spec={"tasks": [{"key": "a", "title": "A", "after": ["zzz"]}]},
        )


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_a_slip_moves_waiting_tasks_in_other_campaigns(team: Team) -> None:
    # given a campaign whose first task waits on another campaign's last step
    _, ours = chain(team, "Partner launch")
    _, theirs = chain(team, "Summer sale")
    dependency_add(actor=team.manager, predecessor=ours[2], successor=theirs[0])
    before = Task.objects.get(pk=theirs[0].pk)
    assert before.start_date == dt.date(2026, 3, 10)
    assert before.explanation == "after Step 3 (another campaign) finishes"
    # when our step 1 slips by three days (a start-no-earlier-than date)
    task_update(
        actor=team.manager, task=ours[0], version=ours[0].version, not_before=dt.date(2026, 3, 5)
    )
    # then their waiting task moves by the same three working days
    assert Task.objects.get(pk=theirs[0].pk).start_date == dt.date(2026, 3, 13)
    assert Task.objects.get(pk=ours[0].pk).explanation == "not before 5 March"


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_while_planning_a_change_moves_the_start_and_once_started_the_launch(team: Team) -> None:
    # given a draft campaign dated back from Friday 20 March
    campaign, tasks = chain(team, launch=dt.date(2026, 3, 20))
    assert Task.objects.get(pk=tasks[-1].pk).start_date == dt.date(2026, 3, 20)
    # when a task grows by two days, the launch stays and the start moves earlier
    preview = plan_preview(campaign, PlanChange(task_id=tasks[0].pk, duration=4))
    assert preview.summary() == (
        "moves 1 task; the launch stays, and work must start 2 working days earlier"
    )
    # once work has started, the same change moves the launch instead
    task_update(actor=team.manager, task=tasks[0], version=tasks[0].version, owner=team.member.pk)
    task_set_status(actor=team.member, task=Task.objects.get(pk=tasks[0].pk), status="in_progress")
    campaign.refresh_from_db()
    preview = plan_preview(campaign, PlanChange(task_id=tasks[0].pk, duration=4))
    assert preview.summary() == "moves 3 tasks; the launch moves 2 working days later"


def test_templates_carry_the_approval_each_task_needs(team: Team) -> None:
    from headway.approvals.services import StepSpec, chain_create
    from headway.conftest import client_for

    product = next(t for t in templates_ensure(team.workspace) if t.name == "Product launch")
    campaign = campaign_from_template(
        actor=team.manager,
        workspace=team.workspace,
        template=product,
        name="Tea launch",
        launch_date=dt.date.today() + dt.timedelta(days=60),
    )
    concepts = Task.objects.get(campaign=campaign, title="Creative concepts")
    assert concepts.approval_kind == "design_asset"
    saved = campaign_save_as_template(actor=team.manager, campaign=campaign, name="Copy")
    assert any(t.get("approval") == "design_asset" for t in saved.spec["tasks"])
    chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Legal",
        kind="legal",
        steps=[StepSpec("Lawyer", approvers=[team.admin.pk])],
    )
    chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Design",
        kind="design_asset",
        steps=[StepSpec("Founder", approvers=[team.owner.pk])],
    )
    page = (
        client_for(team.manager)
        .get(f"/w/{team.workspace.slug}/tasks/{concepts.pk}/")
        .content.decode()
    )
    assert "selected>Design</option>" in page
    with pytest.raises(DomainError, match="'weekly' is not a kind of approval chain"):
        template_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Bad",
            spec={"tasks": [{"key": "a", "title": "A", "approval": "weekly"}]},
        )


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_a_plan_pinned_to_a_past_first_day_runs_forward_from_it(team: Team) -> None:
    from headway.planning.services.campaigns import campaign_set_start

    campaign, _ = chain(team, launch=dt.date(2026, 3, 20))
    campaign = campaign_set_start(actor=team.manager, campaign=campaign, start=dt.date(2026, 2, 23))
    first = Task.objects.get(campaign=campaign, title="Step 1")
    assert first.start_date == dt.date(2026, 2, 23)
    assert campaign.short_by == 0 and campaign.projected_launch == dt.date(2026, 3, 3)


def test_a_readiness_condition_can_follow_a_task(team: Team) -> None:
    campaign, tasks = chain(team)
    cond = condition_create(
        actor=team.manager,
        campaign=campaign,
        title="Landing page ready",
        kind="readiness",
        owner=team.manager.pk,
        task=tasks[0].pk,
    )
    task = task_update(
        actor=team.manager, task=tasks[0], version=tasks[0].version, owner=team.member.pk
    )
    task_set_status(actor=team.member, task=task, status=TaskStatus.DONE)
    cond.refresh_from_db()
    assert cond.is_met and cond.met_by == team.member
    _, theirs = chain(team, "Other")
    with pytest.raises(DomainError, match="task of this campaign"):
        condition_create(
            actor=team.manager,
            campaign=campaign,
            title="X",
            kind="readiness",
            owner=team.manager.pk,
            task=theirs[0].pk,
        )


@pytest.mark.django_db(transaction=True)
def test_people_mentioned_in_a_comment_are_emailed(team: Team, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from headway.conftest import make_user
    from headway.planning.services.tasks import comment_add
    from headway.workspaces.services import membership_add

    dana = make_user("dana@example.com", "Dana Cole")
    membership_add(actor=team.owner, workspace=team.workspace, user=dana, role="member")
    _, tasks = chain(team)
    comment = comment_add(actor=team.manager, task=tasks[0], body="@Dana can you check this?")
    assert list(comment.mentions.all()) == [dana]
    call_command("worker", "--batch")
    [mail] = mailoutbox
    assert mail.to == ["dana@example.com"]
    assert "mentioned you on “Step 1”" in mail.subject and f"/tasks/{tasks[0].pk}/" in mail.body


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_a_new_launch_date_on_a_plan_under_way_keeps_its_dates(team: Team) -> None:
    campaign, _ = chain(team, launch=dt.date(2026, 3, 20))
    campaign_set_status(actor=team.manager, campaign=campaign, status="in_progress")
    before = {t.pk: t.start_date for t in Task.objects.filter(campaign=campaign)}
    campaign.refresh_from_db()
    preview = launch_preview(campaign, dt.date(2026, 3, 13))
    assert preview.moved == []
    campaign = campaign_update(
        actor=team.manager,
        campaign=campaign,
        version=campaign.version,
        launch_date=dt.date(2026, 3, 13),
    )
    # as previewed: nothing moves, the plan now reaches the launch late
    assert {t.pk: t.start_date for t in Task.objects.filter(campaign=campaign)} == before
    assert campaign.late_by == 5


def test_every_starter_template_is_a_valid_network_with_a_launch() -> None:
    from headway.planning.starter_templates import STARTER_TEMPLATES
    from headway.planning.template_spec import template_plan

    for name, _, spec in STARTER_TEMPLATES:
        plan = template_plan(spec)
        assert plan.launch_key() is not None, name
        assert plan.offset_from_launch(plan.tasks[0].key) < 0, name
