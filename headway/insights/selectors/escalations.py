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


def reason_mid_sentence(text: str) -> str:
    """A health reason joined after other words ("opened because the plan ends …"): its
    first letter lower-cased when it only starts the sentence (a capital followed by a
    small letter; a quoted title or an acronym keeps its case)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def escalation_get(workspace: Workspace, escalation_id: int) -> Escalation | None:
    return escalations_list(workspace).filter(pk=escalation_id).first()
