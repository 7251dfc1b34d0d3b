"""Approval chains the tests share."""

from __future__ import annotations

from headway.accounts.models import User
from headway.approvals.models import ApprovalChain
from headway.approvals.services import StepSpec, chain_create
from headway.conftest import Team


def founder_chain(
    team: Team, *, name: str = "Founder sign-off", backup: User | None = None
) -> ApprovalChain:
    """One step, decided by the workspace owner, with an optional backup approver."""
    return chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name=name,
        kind="content_draft",
        steps=[
            StepSpec("Founder", approvers=[team.owner.pk], backup=backup.pk if backup else None)
        ],
    )
