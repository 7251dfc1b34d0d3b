"""Reads of escalations for the escalations page, dashboards and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from headway.insights.models import Escalation, EscalationState
from headway.workspaces.models import Workspace


def escalations_list(workspace: Workspace, state: str | None = None) -> QuerySet[Escalation]:
    """The workspace's escalations, newest first, with what each page row names loaded."""
    qs = Escalation.objects.filter(workspace=workspace).select_related(
        "campaign", "campaign__health", "task", "owner", "raised_by", "acknowledged_by"
    )
    if state:
        qs = qs.filter(state=state)
    return qs


def open_escalations(workspace: Workspace) -> list[Escalation]:
    """Escalations waiting for their owner to acknowledge them, oldest first."""
    return list(escalations_list(workspace, EscalationState.OPEN).order_by("opened_at", "id"))


def escalation_get(workspace: Workspace, escalation_id: int) -> Escalation | None:
    return escalations_list(workspace).filter(pk=escalation_id).first()
