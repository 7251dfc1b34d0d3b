"""Harbor & Pine's campaigns, created through the planning services: several in flight, one
at risk, one blocked on a third-party go-live condition, one from a template with an
infeasible launch date, one draft brief. (The launched spring collection, with March's
results, is made and replayed with the clock moved by the results demo.)"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from headway.accounts.models import User
from headway.planning.models import Campaign, Holiday, Task, TaskStatus, TimeOff
from headway.planning.services.attachments import attachment_add_link
from headway.planning.services.calendar import holiday_add
from headway.planning.services.campaigns import (
    campaign_create,
    campaign_set_start,
    campaign_set_status,
    channels_ensure,
)
from headway.planning.services.links import condition_create, dependency_add
from headway.planning.services.tasks import comment_add, task_create, task_set_status, task_update
from headway.planning.services.templates import campaign_from_template, templates_ensure
from headway.workspaces.models import Workspace


def _people(workspace: Workspace) -> dict[str, User]:
    users = User.objects.filter(memberships__workspace=workspace)
    return {u.email.split("@")[0]: u for u in users}


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _advance(
    manager: User,
    campaign: Campaign,
    done: int,
    in_progress: int = 0,
    approved_later: tuple[str, ...] = (),
) -> list[Task]:
    """Marks the first `done` tasks done and the next ones in progress, owning them first;
    those named in `approved_later` stay in progress (the approvals demo sends them for
    approval, and the founder's approval makes them done)."""
    tasks = list(Task.objects.filter(campaign=campaign, kind="task").order_by("start_date", "id"))
    for n, t in enumerate(tasks[: done + in_progress]):
        if t.owner_id is None:
            t = task_update(actor=manager, task=t, version=t.version, owner=manager.pk)
        # The demo replays a history in date order; parallel work is already agreed. Work is
        # started before it is finished, as the flow page counts it.
        t = task_set_status(actor=manager, task=t, status=TaskStatus.IN_PROGRESS, force=True)
        if n < done and t.title not in approved_later:
            task_set_status(actor=manager, task=t, status=TaskStatus.DONE, force=True)
    return tasks


def _briefed(workspace: Workspace, today: dt.date, days: int) -> time_machine.travel:
    """The clock moved back to the working morning `days` days ago, when a campaign under way
    today was briefed: its tasks are created then, not on the day the demo is built."""
    day = today - dt.timedelta(days=days)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    moment = dt.datetime.combine(day, dt.time(10), workspace.tzinfo)
    return time_machine.travel(moment, tick=False)


def year_end_holidays(today: dt.date) -> list[tuple[dt.date, str]]:
    """The coming Christmas Day and the New Year's Day after it (this year's until Christmas
    has passed), the days the shop's office closes; one on a Saturday is kept the Friday
    before, one on a Sunday the Monday after."""
    year = today.year if today <= dt.date(today.year, 12, 25) else today.year + 1
    out = []
    for day, name in (
        (dt.date(year, 12, 25), "Christmas Day"),
        (dt.date(year + 1, 1, 1), "New Year's Day"),
    ):
        shift = {5: -1, 6: 1}.get(day.weekday(), 0)
        if shift:
            day, name = day + dt.timedelta(days=shift), f"{name} (observed)"
        out.append((day, name))
    return out


def demo_planning(workspace: Workspace) -> None:
    """Adds the demo campaigns once; running it again changes nothing."""
    if Campaign.objects.filter(workspace=workspace).exists():
        return
    p = _people(workspace)
    maya, jordan = p["maya"], p["jordan"]
    today = timezone.localdate()
    channels = {c.key: c for c in channels_ensure(workspace)}
    templates = {t.name: t for t in templates_ensure(workspace)}
    for day, name in year_end_holidays(today):
        if not Holiday.objects.filter(workspace=workspace, date=day).exists():
            holiday_add(actor=jordan, workspace=workspace, date=day, name=name)
    Holiday.objects.get_or_create(
        workspace=workspace,
        date=_weekday(today + dt.timedelta(days=40)),
        defaults={"name": "Company day off"},
    )
    TimeOff.objects.create(
        workspace=workspace,
        user=p["priya"],
        first_day=_weekday(today + dt.timedelta(days=9)),
        last_day=_weekday(today + dt.timedelta(days=9)) + dt.timedelta(days=1),
        note="Conference",
    )

    # In flight, on track.
    with _briefed(workspace, today, days=14):  # briefed two weeks ago
        shoe = campaign_from_template(
            actor=jordan,
            workspace=workspace,
            template=templates["Product launch"],
            name="Trail shoe launch",
            launch_date=_weekday(today + dt.timedelta(days=45)),
            assign_suggested=True,
            channels=[channels["email"], channels["paid_social"]],
            objective="Introduce the Ridge trail shoe to existing customers and new runners.",
            metrics=[
                {"name": "Qualified leads", "target": 120, "unit": "leads"},
                {"name": "Cost per lead", "target": 40, "unit": "USD", "comparison": "at_most"},
            ],
            audience="Trail runners aged 25-45 in the Pacific Northwest",
            funnel_stage="demand",
            budget=12000,
        )
    campaign_set_status(actor=jordan, campaign=shoe, status="in_progress")
    _advance(jordan, shoe, done=2, in_progress=1, approved_later=("Write the launch brief",))

    with _briefed(workspace, today, days=7):  # briefed last week
        newsletter = campaign_from_template(
            actor=jordan,
            workspace=workspace,
            template=templates["Monthly newsletter"],
            name="Monthly newsletter",
            launch_date=_weekday(today + dt.timedelta(days=10)),
            assign_suggested=True,
            channels=[channels["email"]],
        )
    campaign_set_status(actor=jordan, campaign=newsletter, status="in_progress")
    # Work on it began today, leaving a few days in hand before it sends.
    campaign_set_start(actor=jordan, campaign=newsletter, start=_weekday(today))

    # At risk: started late, the critical path now runs past the webinar date.
    with _briefed(workspace, today, days=10):  # briefed before it started
        webinar = campaign_from_template(
            actor=jordan,
            workspace=workspace,
            template=templates["Webinar"],
            name="Layering for winter hikes webinar",
            launch_date=_weekday(today + dt.timedelta(days=20)),
            assign_suggested=True,
        )
    campaign_set_start(actor=jordan, campaign=webinar, start=today - dt.timedelta(days=6))
    tasks = _advance(jordan, webinar, done=0, in_progress=1)
    slow = tasks[0]
    task_update(
        actor=jordan,
        task=Task.objects.get(pk=slow.pk),
        version=Task.objects.get(pk=slow.pk).version,
        duration_days=12,
    )
    campaign_set_status(actor=jordan, campaign=webinar, status="in_progress")

    # Blocked on a third party: the festival film needs its music licence.
    festival = campaign_create(
        actor=jordan,
        workspace=workspace,
        name="Harbor Days festival film",
        launch_date=_weekday(today + dt.timedelta(days=16)),
        owner=jordan.pk,
        objective="Show the brand at the town festival with a short film.",
        channels=[channels["events"], channels["organic_social"]],
        status="in_progress",
    )
    edit = task_create(
        actor=jordan,
        campaign=festival,
        title="Edit the festival film",
        duration_days=5,
        owner=p["alex"].pk,
        role_needed="video",
    )
    captions = task_create(
        actor=jordan,
        campaign=festival,
        title="Captions and cut-downs",
        duration_days=3,
        owner=p["sam"].pk,
        role_needed="social",
    )
    launch = task_create(actor=jordan, campaign=festival, title="Festival screening", kind="launch")
    dependency_add(actor=jordan, predecessor=edit, successor=captions)
    dependency_add(actor=jordan, predecessor=captions, successor=launch)
    condition_create(
        actor=jordan,
        campaign=festival,
        title="Music licence cleared",
        kind="rights",
        party="third_party",
        owner=p["alex"].pk,
        lead_time_days=15,
        due_date=_weekday(today + dt.timedelta(days=10)),
    )
    edit = Task.objects.get(pk=edit.pk)
    task_set_status(
        actor=p["alex"],
        task=edit,
        status=TaskStatus.BLOCKED,
        blocked_reason="Final cut waits for the licensed track",
        blocked_on=jordan.pk,
    )
    comment_add(
        actor=p["alex"], task=edit, body="@Jordan the label has not answered since Tuesday."
    )
    attachment_add_link(
        actor=p["alex"],
        task=edit,
        url="https://drive.example.com/harbor-days/rough-cut",
        name="Rough cut (shared drive)",
    )
    attachment_add_link(
        actor=p["sam"],
        task=captions,
        url="https://drive.example.com/harbor-days/caption-styles",
        name="Caption styles",
    )

    # From a template, with a launch date too early for the plan.
    campaign_from_template(
        actor=jordan,
        workspace=workspace,
        template=templates["Event"],
        name="Harbor & Pine store opening",
        launch_date=_weekday(today + dt.timedelta(days=21)),
    )

    # Planned, and a draft brief with an unowned task.
    campaign_from_template(
        actor=jordan,
        workspace=workspace,
        template=templates["Paid social burst"],
        name="Autumn paid social burst",
        launch_date=_weekday(today + dt.timedelta(days=35)),
        assign_suggested=True,
        channels=[channels["paid_social"]],
    )
    draft = campaign_create(
        actor=maya,
        workspace=workspace,
        name="Care guide blog series",
        objective="Cut support questions about waxed-cotton care.",
        owner=jordan.pk,
        channels=[channels["blog"]],
        funnel_stage="brand",
        metrics=[{"name": "Organic sessions", "target": 3000, "unit": "sessions"}],
    )
    task_create(
        actor=maya,
        campaign=draft,
        title="Outline the five guides",
        duration_days=2,
        role_needed="copywriter",
    )
