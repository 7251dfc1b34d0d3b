"""Who may change what in a plan."""

from __future__ import annotations

from headway.accounts.models import User
from headway.core.errors import Forbidden
from headway.planning.models import Task
from headway.workspaces import visibility
from headway.workspaces.access import membership_remembered
from headway.workspaces.models import Membership, Workspace


def membership_of(actor: User, workspace: Workspace) -> Membership:
    # The request resolved the actor's membership of its workspace already (resolve_workspace),
    # unless a membership changed since.
    known = membership_remembered(actor, workspace.pk)
    if known is not None:
        return known
    membership = Membership.objects.filter(workspace=workspace, user=actor).first()
    if membership is None:
        raise Forbidden("You are not a member of this workspace.")
    return membership


def require_planner(actor: User, workspace: Workspace) -> Membership:
    """Owners, admins and managers shape plans: campaigns, tasks, links, templates."""
    membership = membership_of(actor, workspace)
    if not membership.role_enum.plans:
        raise Forbidden("Only owners, admins and managers can change the plan.")
    return membership


def require_task_worker(actor: User, task: Task) -> Membership:
    """Internal members work on any task; freelancers and clients only on the tasks they
    own or that wait on them."""
    membership = membership_of(actor, task.workspace)
    if not visibility.can_work_on_task(membership, task):
        raise Forbidden("You can only update tasks assigned to you.")
    return membership


def member_user(workspace: Workspace, user_id: int | None, field: str) -> User | None:
    """The user `user_id` if they belong to the workspace; None for no one."""
    if user_id is None:
        return None
    membership = (
        Membership.objects.filter(workspace=workspace, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Forbidden("That person is not a member of this workspace.", field=field)
    return membership.user
