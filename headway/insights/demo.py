"""Harbor & Pine's campaign health: computed for every campaign at the end of the demo load,
which opens escalations for the campaigns in trouble; the festival film's owner has
acknowledged that one, and a designer has raised a risk by hand."""

from __future__ import annotations

import datetime as dt

from headway.accounts.models import User
from headway.insights.models import Escalation, EscalationSource, EscalationState
from headway.insights.services.escalations import escalation_acknowledge, escalation_raise
from headway.insights.services.health import workspace_health_refresh
from headway.planning.models import Campaign, Task
from headway.workspaces.models import Workspace


def demo_health(workspace: Workspace) -> None:
    """Idempotent: a second load recomputes health and adds nothing else."""
    workspace_health_refresh(workspace)
    _acknowledge_one(workspace)
    _raise_one(workspace)


def _acknowledge_one(workspace: Workspace) -> None:
    esc = (
        Escalation.objects.filter(
            workspace=workspace,
            source=EscalationSource.HEALTH,
            campaign__name="Harbor Days festival film",
        )
        .select_related("owner", "workspace")
        .first()
    )
    if esc is None or esc.state != EscalationState.OPEN or esc.owner is None:
        return
    escalation_acknowledge(
        actor=esc.owner,
        escalation=esc,
        note="Chasing the rough cut with Alex today; if it is not in by Thursday we screen the "
        "teaser cut instead.",
        by_date=workspace.today() + dt.timedelta(days=3),
    )


def _raise_one(workspace: Workspace) -> None:
    if Escalation.objects.filter(workspace=workspace, source=EscalationSource.RAISED).exists():
        return
    campaign = Campaign.objects.filter(workspace=workspace, name="Autumn paid social burst").first()
    priya = User.objects.filter(email="priya@harborpine.example").first()
    if campaign is None or priya is None:
        return
    task = Task.objects.filter(campaign=campaign, kind="task").order_by("position", "id").first()
    escalation_raise(
        actor=priya,
        campaign=campaign,
        task=task,
        text="The new product photos are not booked yet; without them the ad creatives slip "
        "a week.",
    )
