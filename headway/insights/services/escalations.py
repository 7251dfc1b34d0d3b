"""Escalations: trouble taken to the campaign owner, acknowledged with a note, sent on to the
workspace's owners and managers once when nobody acknowledges it in time, resolved when the
campaign is back on track. Any member can raise a risk by hand."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import event_record
from headway.core.errors import DomainError
from headway.insights.models import (
    CampaignHealth,
    Escalation,
    EscalationSource,
    EscalationState,
)
from headway.notifications.sender import notify
from headway.planning.models import Campaign, Task
from headway.planning.scheduling import calendar_for
from headway.workspaces.models import Membership, Role, Workspace

UNRESOLVED = [EscalationState.OPEN, EscalationState.ACKNOWLEDGED]


def ack_limit_days() -> int:
    """Working days an escalation may wait for its owner before going to owners/managers."""
    return int(getattr(settings, "ESCALATION_ACK_WORKING_DAYS", 1))


def escalations_url(workspace: Workspace) -> str:
    return settings.BASE_URL + reverse("insights:escalations", kwargs={"ws": workspace.slug})


def escalation_follow_health(row: CampaignHealth, campaign: Campaign) -> Escalation | None:
    """Called when a campaign's state changes: trouble opens an escalation (or updates the
    one already open); on track, done or cancelled resolves the campaign's escalations."""
    state = row.state_enum
    current = (
        Escalation.objects.filter(
            campaign=campaign, source=EscalationSource.HEALTH, state__in=UNRESOLVED
        )
        .order_by("-opened_at")
        .first()
    )
    if not state.is_trouble:
        _resolve_all(campaign)
        return None
    text = f"{campaign.name} is {state.label.lower()}: " + (
        row.reasons[0]["text"] if row.reasons else "see the campaign page"
    )
    if current is not None:
        current.health_state, current.reasons, current.text = state, row.reasons, text[:500]
        current.save(update_fields=["health_state", "reasons", "text", "updated_at"])
        return current
    esc = Escalation.objects.create(
        workspace_id=campaign.workspace_id,
        campaign=campaign,
        source=EscalationSource.HEALTH,
        health_state=state,
        text=text[:500],
        reasons=row.reasons,
        owner_id=campaign.owner_id,
        opened_at=timezone.now(),
    )
    event_record(actor=None, verb=Verb.CREATED, obj=esc, workspace=campaign.workspace)
    _tell_owner(esc, campaign.workspace, state.label)
    return esc


def _resolve_all(campaign: Campaign) -> None:
    now = timezone.now()
    for esc in Escalation.objects.filter(campaign=campaign, state__in=UNRESOLVED):
        before = esc.state
        esc.state, esc.resolved_at = EscalationState.RESOLVED, now
        esc.save(update_fields=["state", "resolved_at", "updated_at"])
        event_record(
            actor=None,
            verb=Verb.UPDATED,
            obj=esc,
            workspace=campaign.workspace,
            changes={"state": [before, EscalationState.RESOLVED.value]},
        )


def _tell_owner(esc: Escalation, workspace: Workspace, state_label: str) -> None:
    if esc.owner is None:
        return
    notify(
        recipients=[esc.owner],
        workspace=workspace,
        subject=f"{esc.campaign.name}: {state_label.lower()} — please acknowledge",
        template="insights/email/escalation_opened.txt",
        context={
            "escalation": esc,
            "state_label": state_label,
            "limit_days": ack_limit_days(),
            "url": escalations_url(workspace),
        },
    )


@transaction.atomic
def escalation_raise(
    *, actor: User, campaign: Campaign, text: str, task: Task | None = None
) -> Escalation:
    """A member raises a risk by hand on a campaign or one of its tasks, in a sentence; it
    goes to the campaign owner like any escalation."""
    text = text.strip()
    if not text:
        raise DomainError("Say in a sentence what the risk is.", field="text")
    if task is not None and task.campaign_id != campaign.pk:
        raise DomainError("That task belongs to another campaign.", field="task")
    esc = Escalation.objects.create(
        workspace_id=campaign.workspace_id,
        campaign=campaign,
        task=task,
        source=EscalationSource.RAISED,
        text=text[:500],
        owner_id=campaign.owner_id,
        raised_by=actor,
        opened_at=timezone.now(),
    )
    event_record(actor=actor, verb=Verb.CREATED, obj=esc, workspace=campaign.workspace)
    _tell_owner(esc, campaign.workspace, "at risk")
    return esc


@transaction.atomic
def escalation_acknowledge(
    *, actor: User, escalation: Escalation, note: str, by_date: dt.date | None
) -> Escalation:
    """The owner (or a manager) says what will be done and by when."""
    note = note.strip()
    if escalation.state != EscalationState.OPEN:
        raise DomainError(
            f"This escalation is already {escalation.get_state_display().lower()}.", field="state"
        )
    if not note:
        raise DomainError("Say what will be done about it.", field="note")
    if by_date is None:
        raise DomainError("Say by when it will be done.", field="by_date")
    if by_date < escalation.workspace.today():
        raise DomainError("The date it will be done by cannot be in the past.", field="by_date")
    escalation.state = EscalationState.ACKNOWLEDGED
    escalation.acknowledged_at = timezone.now()
    escalation.acknowledged_by = actor
    escalation.ack_note, escalation.ack_by_date = note[:500], by_date
    escalation.save()
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=escalation,
        workspace=escalation.workspace,
        changes={"state": [EscalationState.OPEN.value, EscalationState.ACKNOWLEDGED.value]},
    )
    return escalation


def ack_due_at(esc: Escalation, workspace: Workspace) -> dt.datetime:
    """When the owner's time to acknowledge runs out: the limit in working days after it
    opened, at the same time of day, in the workspace's time zone."""
    cal = calendar_for(workspace.pk)
    local = timezone.localtime(esc.opened_at, workspace.tzinfo)
    day = cal.add(local.date(), ack_limit_days())
    return local.replace(year=day.year, month=day.month, day=day.day)


@transaction.atomic
def escalations_sweep(now: dt.datetime) -> int:
    """Sends each escalation still open past its limit to the workspace's owners and
    managers, once; returns how many went."""
    due = (
        Escalation.objects.select_for_update(of=("self",))
        .filter(state=EscalationState.OPEN, escalated_at__isnull=True)
        .select_related("workspace", "campaign", "owner")
    )
    sent = 0
    for esc in due:
        if ack_due_at(esc, esc.workspace) > now:
            continue
        people = User.objects.filter(
            memberships__workspace=esc.workspace,
            memberships__role__in=[Role.OWNER, Role.MANAGER],
        ).distinct()
        esc.escalated_at = now
        esc.save(update_fields=["escalated_at", "updated_at"])
        event_record(
            actor=None,
            verb=Verb.UPDATED,
            obj=esc,
            workspace=esc.workspace,
            changes={"escalated_at": [None, now.isoformat()]},
        )
        notify(
            recipients=list(people),
            workspace=esc.workspace,
            subject=f"Unacknowledged: {esc.campaign.name}",
            template="insights/email/escalation_overdue.txt",
            context={"escalation": esc, "url": escalations_url(esc.workspace)},
        )
        sent += 1
    return sent


def can_acknowledge(membership: Membership, escalation: Escalation) -> bool:
    """The escalation's owner acknowledges it, or anyone who plans in the workspace."""
    return escalation.owner_id == membership.user_id or membership.role_enum.plans
