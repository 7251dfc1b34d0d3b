"""Harbor & Pine's approval history, through the services: a draft approved first time, one
in round 3, and one waiting past its limit on the founder."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from headway.accounts.models import User
from headway.approvals.models import ApprovalChain
from headway.approvals.services import (
    StepSpec,
    approval_decide,
    approval_resubmit,
    approval_start,
    chain_create,
)
from headway.planning.models import Task
from headway.workspaces.models import Workspace


def demo_approvals(workspace: Workspace) -> None:
    """Adds the demo chains and approvals once; running it again changes nothing."""
    if ApprovalChain.objects.filter(workspace=workspace).exists():
        return
    people = {
        u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)
    }
    maya, jordan = people["maya"], people["jordan"]
    content = chain_create(
        actor=jordan,
        workspace=workspace,
        name="Content approval",
        kind="content_draft",
        steps=[StepSpec("Founder", approvers=[maya.pk], backup=jordan.pk, limit=2)],
    )
    chain_create(
        actor=jordan,
        workspace=workspace,
        name="Budget change",
        kind="budget_change",
        round_cap=2,
        steps=[
            StepSpec("Founder", approvers=[maya.pk], backup=jordan.pk, limit=1),
            StepSpec("Marketing manager", approvers=[jordan.pk], limit=8, limit_unit="hours"),
        ],
    )
    tasks = {
        t.title: t
        for t in Task.objects.filter(
            campaign__workspace=workspace, campaign__name="Trail shoe launch"
        )
    }
    first = approval_start(actor=jordan, task=tasks["Write the launch brief"], chain=content)
    approval_decide(actor=maya, request=first, verdict="approve")

    # The demo replays a history in which this early review was already agreed.
    emails = approval_start(
        actor=jordan, task=tasks["Launch email sequence copy"], chain=content, force=True
    )
    for note in ("Lead with the trail, not the shoe.", "Cut the second email to 120 words."):
        approval_decide(actor=maya, request=emails, verdict="changes", comment=note)
        approval_resubmit(actor=jordan, request=emails)

    approval_start(
        actor=jordan,
        task=tasks["Creative concepts"],
        chain=content,
        at=timezone.now() - dt.timedelta(days=5),
    )
