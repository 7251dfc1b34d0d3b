from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from headway.accounts.models import User
from headway.workspaces.models import Invitation, Membership, Workspace


def memberships_for_user(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")
    )


def membership_for(user: User, slug: str) -> Membership:
    """The user's membership of the workspace `slug`; 404 when there is none."""
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(user=user, workspace__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404("No such workspace.")
    return membership


def members_list(workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace=workspace).select_related("user").order_by("user__name")
    )


def member_get(workspace: Workspace, member_id: int) -> Membership:
    membership = members_list(workspace).filter(pk=member_id).first()
    if membership is None:
        raise Http404("No such member.")
    return membership


def invitations_pending(workspace: Workspace) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        workspace=workspace,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def invitation_get(workspace: Workspace, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.filter(workspace=workspace, pk=invitation_id)
        .select_related("workspace")
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation
