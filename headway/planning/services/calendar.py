"""The working calendar: workspace holidays and each person's time off. A change
reschedules the open campaigns it touches."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, event_record
from headway.core.bounds import check_date, check_text, schedulable, within
from headway.core.errors import DomainError
from headway.planning.models import Campaign, CampaignStatus, Holiday, TimeOff
from headway.planning.services.access import member_user, membership_of, require_planner
from headway.planning.services.schedule import campaign_reschedule
from headway.workspaces.models import Workspace

OPEN = [CampaignStatus.DRAFT, CampaignStatus.PLANNED, CampaignStatus.IN_PROGRESS]


def _reschedule(workspace: Workspace, owner: User | None = None) -> int:
    campaigns = Campaign.objects.filter(workspace=workspace, status__in=OPEN)
    if owner is not None:
        campaigns = campaigns.filter(tasks__owner=owner)
    count = 0
    for campaign in campaigns.select_related("workspace").distinct():
        campaign_reschedule(campaign)
        count += 1
    return count


@transaction.atomic
def holiday_add(*, actor: User, workspace: Workspace, date: dt.date, name: str) -> Holiday:
    """A day nobody works; every open plan is redated around it."""
    require_planner(actor, workspace)
    name = (name or "").strip()
    if not name:
        raise DomainError("Name the holiday.", field="name")
    within("date", check_date, date)
    if Holiday.objects.filter(workspace=workspace, date=date).exists():
        raise DomainError(f"{date:%-d %B %Y} is already a holiday.", field="date")
    name = within("name", check_text, name, max_length=80)
    holiday = Holiday.objects.create(workspace=workspace, date=date, name=name)
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=holiday,
        workspace=workspace,
        changes=created_changes(holiday, ["date", "name"]),
    )
    with schedulable("date"):
        _reschedule(workspace)
    return holiday


@transaction.atomic
def holiday_remove(*, actor: User, holiday: Holiday) -> None:
    workspace = holiday.workspace
    require_planner(actor, workspace)
    event_record(actor=actor, verb=Verb.DELETED, obj=holiday, workspace=workspace)
    holiday.delete()
    _reschedule(workspace)


@transaction.atomic
def timeoff_add(
    *,
    actor: User,
    workspace: Workspace,
    user_id: int,
    first_day: dt.date,
    last_day: dt.date,
    note: str = "",
) -> TimeOff:
    """Days someone is away. People record their own; planners record anyone's. Plans with
    their tasks are redated, and each pushed task says why."""
    person = member_user(workspace, user_id, "user")
    assert person is not None
    if person.pk != actor.pk:
        require_planner(actor, workspace)
    else:
        membership_of(actor, workspace)
    within("first_day", check_date, first_day)
    within("last_day", check_date, last_day)
    if last_day < first_day:
        raise DomainError("The last day comes before the first.", field="last_day")
    if (last_day - first_day).days > 366:
        raise DomainError("Time off longer than a year is not time off.", field="last_day")
    off = TimeOff.objects.create(
        workspace=workspace,
        user=person,
        first_day=first_day,
        last_day=last_day,
        note=within("note", check_text, note or "", max_length=120),
    )
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=off,
        workspace=workspace,
        changes=created_changes(off, ["user", "first_day", "last_day"]),
    )
    with schedulable("last_day"):
        _reschedule(workspace, person)
    return off


@transaction.atomic
def timeoff_remove(*, actor: User, timeoff: TimeOff) -> None:
    workspace = timeoff.workspace
    if timeoff.user_id != actor.pk:
        require_planner(actor, workspace)
    person = timeoff.user
    event_record(actor=actor, verb=Verb.DELETED, obj=timeoff, workspace=workspace)
    timeoff.delete()
    _reschedule(workspace, person)
