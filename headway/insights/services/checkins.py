"""Writes of the weekly check-in: open this week's, mark items discussed, record decisions
(optionally as a task in a campaign), close it (snapshot kept, summary emailed), and email
the agenda to the managers before the meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import event_record
from headway.core.bounds import check_text, within
from headway.core.errors import Conflict, DomainError
from headway.insights.models import CheckIn, CheckInDecision, CheckInItem, CheckInSchedule
from headway.insights.models.checkins import Weekday
from headway.insights.selectors import checkins as selectors
from headway.notifications.sender import notify
from headway.planning.models import Campaign
from headway.planning.services.access import member_user, membership_of, require_planner
from headway.planning.services.tasks import task_create
from headway.workspaces.models import Membership, Role, Workspace

MANAGERS = (Role.OWNER, Role.ADMIN, Role.MANAGER)
AGENDA_LEAD = dt.timedelta(hours=18)  # the agenda goes out the afternoon before


def checkin_open(*, workspace: Workspace, now: dt.datetime, week: dt.date | None = None) -> CheckIn:
    """This week's check-in (or `week`'s), created the first time anyone asks for it."""
    week = week or selectors.week_of(workspace, now)
    found = CheckIn.objects.filter(workspace=workspace, week=week).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                workspace=workspace, week=week, scheduled_at=selectors.scheduled_at(workspace, week)
            )
            event_record(actor=None, verb=Verb.CREATED, obj=checkin, workspace=workspace)
    except IntegrityError:  # opened at the same moment by another request
        return CheckIn.objects.get(workspace=workspace, week=week)
    return checkin


def _stored(checkin: CheckIn, now: dt.datetime) -> CheckIn:
    """The stored row of `checkin`: an agenda read before anything was written is an unsaved
    check-in, stored by its first write (in that write's transaction)."""
    if checkin.pk is not None:
        return checkin
    return checkin_open(workspace=checkin.workspace, now=now, week=checkin.week)


@transaction.atomic
def checkin_schedule_set(
    *, actor: User, workspace: Workspace, weekday: int, time: dt.time
) -> CheckInSchedule:
    """Moves the workspace's check-in to `weekday` (0 = Monday .. 4 = Friday) at `time`,
    workspace-local, to the minute. Owners, admins and managers only. This week's check-in,
    if open and its agenda not yet sent, moves with it; the agenda job reads the new time."""
    require_planner(actor, workspace)
    if isinstance(weekday, bool) or not isinstance(weekday, int) or weekday not in Weekday.values:
        raise DomainError("Choose a weekday from Monday to Friday.", field="weekday")
    if not isinstance(time, dt.time) or time.tzinfo is not None:
        raise DomainError("Give the time of day as hours and minutes, e.g. 09:00.", field="time")
    time = time.replace(second=0, microsecond=0)
    schedule, _ = CheckInSchedule.objects.select_for_update().get_or_create(workspace=workspace)
    before = (schedule.weekday, schedule.time)
    schedule.weekday, schedule.time = weekday, time
    schedule.save()
    for checkin in CheckIn.objects.filter(
        workspace=workspace, closed_at__isnull=True, agenda_sent_at__isnull=True
    ):
        checkin.scheduled_at = selectors.scheduled_at(workspace, checkin.week)
        checkin.save(update_fields=["scheduled_at", "updated_at"])
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=schedule,
        workspace=workspace,
        changes={
            "weekday": [before[0], weekday],
            "time": [f"{before[1]:%H:%M}", f"{time:%H:%M}"],
        },
    )
    return schedule


def _require_open(checkin: CheckIn) -> None:
    """Refuses a closed check-in, as stored (the caller's copy may predate the close)."""
    if checkin.is_closed or CheckIn.objects.filter(pk=checkin.pk, closed_at__isnull=False).exists():
        raise Conflict("This check-in is closed; the next one opens next week.")


def _require_internal(actor: User, workspace: Workspace) -> Membership:
    membership = membership_of(actor, workspace)
    if membership.role_enum.is_external:
        raise DomainError("The check-in is the team's meeting.", field="checkin")
    return membership


@transaction.atomic
def checkin_item_discuss(
    *, actor: User, checkin: CheckIn, key: str, discussed: bool = True
) -> bool:
    """Marks an agenda item discussed (or not again); returns whether it now is."""
    _require_internal(actor, checkin.workspace)
    if checkin.pk is not None:
        _require_open(checkin)
    key = within("key", check_text, key.strip(), max_length=80)
    if not key:
        raise DomainError("Say which agenda item was discussed.", field="key")
    checkin = _stored(checkin, timezone.now())
    _require_open(checkin)
    if discussed:
        CheckInItem.objects.get_or_create(
            checkin=checkin, key=key, defaults={"discussed_by": actor}
        )
    else:
        CheckInItem.objects.filter(checkin=checkin, key=key).delete()
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=checkin,
        workspace=checkin.workspace,
        changes={"discussed": [key, discussed]},
    )
    return discussed


@transaction.atomic
def checkin_decision_add(
    *,
    actor: User,
    checkin: CheckIn,
    text: str,
    owner_id: int | None,
    due_date: dt.date | None,
    campaign: Campaign | None = None,
) -> CheckInDecision:
    """A decision with one owner and a due date; with `campaign` it also becomes a task
    there, owned and titled as the decision (planning rules apply: planners add tasks)."""
    workspace = checkin.workspace
    _require_internal(actor, workspace)
    if checkin.pk is not None:
        _require_open(checkin)
    text = within("text", check_text, (text or "").strip(), max_length=300)
    if not text:
        raise DomainError("Write down what was decided.", field="text")
    if owner_id is None:
        raise DomainError("Give the decision one owner.", field="owner")
    owner = member_user(workspace, owner_id, "owner")
    assert owner is not None  # member_user answers None only for no id
    if due_date is None:
        raise DomainError("Give the decision a due date.", field="due_date")
    if due_date < checkin.week:
        raise DomainError("The due date is before this check-in's week.", field="due_date")
    if campaign is not None:
        if campaign.workspace_id != workspace.pk:
            raise DomainError("That campaign belongs to another workspace.", field="campaign")
        require_planner(actor, workspace)
    checkin = _stored(checkin, timezone.now())
    _require_open(checkin)
    task = None
    if campaign is not None:
        task = task_create(
            actor=actor, campaign=campaign, title=text[:200], owner=owner_id, not_before=None
        )
    decision = CheckInDecision.objects.create(
        workspace=workspace,
        checkin=checkin,
        text=text,
        owner=owner,
        due_date=due_date,
        task=task,
        created_by=actor,
    )
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=decision,
        workspace=workspace,
        changes={"text": text, "owner": owner_id, "due_date": due_date, "task": task},
    )
    return decision


@transaction.atomic
def checkin_close(*, actor: User, checkin: CheckIn, now: dt.datetime) -> CheckIn:
    """Closes the check-in: today's dates become the snapshot the next one measures slippage
    from, and a summary (what was on the agenda, the decisions) goes to every member."""
    workspace = checkin.workspace
    require_planner(actor, workspace)
    checkin = _stored(checkin, now)
    locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    _require_open(locked)
    agenda = selectors.checkin_agenda(workspace, locked, now)
    decisions = list(selectors.decisions_of(locked))
    locked.snapshot = selectors.live_snapshot(workspace).to_json()
    locked.summary = {
        s.key: {"title": s.title, "count": len(s.items), "top": [i.text for i in s.first]}
        for s in agenda.sections
    }
    locked.closed_at = now
    locked.closed_by = actor
    locked.save(update_fields=["snapshot", "summary", "closed_at", "closed_by", "updated_at"])
    checkin.closed_at, checkin.closed_by = locked.closed_at, actor
    event_record(
        actor=actor, verb=Verb.UPDATED, obj=locked, workspace=workspace, changes={"closed": now}
    )
    members = [
        m.user
        for m in Membership.objects.filter(workspace=workspace).select_related("user")
        if not m.role_enum.is_external
    ]
    notify(
        recipients=members,
        workspace=workspace,
        subject=f"Check-in of {locked.week:%-d %b}: {len(decisions)} decision"
        + ("s" if len(decisions) != 1 else ""),
        template="notifications/checkin_summary.txt",
        context=_mail_context(locked, agenda, decisions),
    )
    return locked


def _mail_context(
    checkin: CheckIn, agenda: Any, decisions: list[CheckInDecision]
) -> dict[str, Any]:
    ws = checkin.workspace
    return {
        "checkin": checkin,
        "sections": agenda.sections,
        "decisions": decisions,
        "link": settings.BASE_URL
        + reverse("insights:checkin", kwargs={"ws": ws.slug, "checkin_id": checkin.pk}),
    }


@transaction.atomic
def checkin_agenda_send(*, checkin: CheckIn, now: dt.datetime) -> int:
    """Emails the agenda to the workspace's owners, admins and managers, once per check-in;
    returns how many it was sent to."""
    locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if locked.agenda_sent_at is not None or locked.is_closed:
        return 0
    workspace = locked.workspace
    agenda = selectors.checkin_agenda(workspace, locked, now)
    managers = [
        m.user
        for m in Membership.objects.filter(workspace=workspace, role__in=MANAGERS).select_related(
            "user"
        )
    ]
    sent = notify(
        recipients=managers,
        workspace=workspace,
        subject=f"Agenda for the check-in of {locked.week:%-d %b}: {agenda.count} items",
        template="notifications/checkin_agenda.txt",
        context=_mail_context(locked, agenda, []),
    )
    locked.agenda_sent_at = now
    locked.save(update_fields=["agenda_sent_at", "updated_at"])
    event_record(
        actor=None, verb=Verb.UPDATED, obj=locked, workspace=workspace, changes={"agenda_sent": now}
    )
    return sent


def checkins_send_agendas(now: dt.datetime) -> int:
    """For every workspace whose check-in starts within AGENDA_LEAD of `now`: opens it and
    emails its agenda to the managers (once). Returns how many agendas went out."""
    sent = 0
    for workspace in Workspace.objects.all():
        this_week = selectors.week_of(workspace, now)
        for week in (this_week, this_week + dt.timedelta(days=7)):
            starts = selectors.scheduled_at(workspace, week)
            if now <= starts <= now + AGENDA_LEAD:
                checkin = checkin_open(workspace=workspace, now=now, week=week)
                sent += 1 if checkin_agenda_send(checkin=checkin, now=now) else 0
    return sent
