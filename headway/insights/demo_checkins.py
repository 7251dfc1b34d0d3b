"""Harbor & Pine's check-ins, made through the services: last week's, closed with two
decisions, and a plan change since that makes this week's agenda show a slipped launch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from headway.accounts.models import User
from headway.insights.models import CheckIn
from headway.insights.selectors.checkins import scheduled_at, week_of
from headway.insights.services.checkins import (
    checkin_close,
    checkin_decision_add,
    checkin_open,
)
from headway.planning.models import Campaign, Task, TaskKind, TaskStatus
from headway.planning.services.tasks import task_update
from headway.workspaces.models import Workspace

SLIPPING = "Layering for winter hikes webinar"
SLIP_DAYS = Decimal(3)


def demo_checkins(workspace: Workspace) -> None:
    now = timezone.now()
    last_week = week_of(workspace, now) - dt.timedelta(days=7)
    if CheckIn.objects.filter(workspace=workspace, week=last_week).exists():
        return
    people = {
        u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)
    }
    jordan, priya, maya = people["jordan"], people["priya"], people["maya"]
    started = scheduled_at(workspace, last_week)
    checkin = checkin_open(workspace=workspace, now=started, week=last_week)
    checkin_decision_add(
        actor=jordan,
        checkin=checkin,
        text="Ask the venue for the store-opening permit date in writing",
        owner_id=maya.pk,
        due_date=last_week + dt.timedelta(days=3),
    )
    newsletter = Campaign.objects.filter(workspace=workspace, name="Monthly newsletter").first()
    checkin_decision_add(
        actor=jordan,
        checkin=checkin,
        text="Line up a second subject-line test before the newsletter goes out",
        owner_id=priya.pk,
        due_date=last_week + dt.timedelta(days=8),
        campaign=newsletter,
    )
    checkin_close(actor=jordan, checkin=checkin, now=started + dt.timedelta(minutes=35))
    _slip_since(workspace, jordan)


def _slip_since(workspace: Workspace, manager: User) -> None:
    """A critical task of the webinar took longer than planned: its launch slips."""
    task = (
        Task.objects.filter(
            workspace=workspace, campaign__name=SLIPPING, kind=TaskKind.TASK, critical=True
        )
        .exclude(status=TaskStatus.DONE)
        .order_by("start_date", "id")
        .first()
    )
    if task is None:
        return
    task_update(
        actor=manager,
        task=task,
        version=task.version,
        duration_days=task.duration_days + SLIP_DAYS,
    )
