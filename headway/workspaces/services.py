from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, event_record
from headway.core.errors import Conflict, DomainError, Forbidden
from headway.core.tokens import token_digest
from headway.workspaces.models import Invitation, Membership, Role, Workspace, WorkspaceKind
from headway.workspaces.signals import workspace_created


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _require_admin(actor: User, workspace: Workspace) -> Membership:
    membership = Membership.objects.filter(workspace=workspace, user=actor).first()
    if membership is None or not membership.role_enum.administers:
        raise Forbidden("Only the workspace's owners and admins can do this.")
    return membership


@transaction.atomic
def workspace_create(
    *,
    actor: User,
    name: str,
    kind: str = WorkspaceKind.ORGANISATION,
    time_zone: str = "UTC",
    owner_title: str = "",
) -> Workspace:
    """A new workspace, with its creator as owner."""
    name = name.strip()
    if not name:
        raise DomainError("Give the workspace a name.", field="name")
    if len(name) > 120:
        raise DomainError("The name is longer than 120 characters.", field="name")
    if kind not in WorkspaceKind.values:
        raise DomainError(f"{kind!r} is not a kind of workspace.", field="kind")
    workspace = Workspace.objects.create(
        name=name, slug=_unique_slug(name), kind=kind, time_zone=time_zone
    )
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=workspace,
        workspace=workspace,
        changes=created_changes(workspace, ["name", "slug", "kind"]),
    )
    membership = Membership.objects.create(
        workspace=workspace, user=actor, role=Role.OWNER, title=owner_title
    )
    event_record(
        actor=actor,
        verb=Verb.JOINED,
        obj=membership,
        workspace=workspace,
        changes={"role": [None, Role.OWNER]},
    )
    workspace_created.send(sender=Workspace, workspace=workspace, actor=actor)
    return workspace


@transaction.atomic
def invitation_create(
    *, actor: User, workspace: Workspace, role: str, email: str = ""
) -> tuple[Invitation, str]:
    """A single-use invitation link; the raw token is returned once and stored only hashed."""
    inviter = _require_admin(actor, workspace)
    if role not in Role.values:
        raise DomainError(f"{role!r} is not a role.", field="role")
    if role == Role.OWNER and inviter.role != Role.OWNER:
        raise Forbidden("Only an owner can invite another owner.")
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(f"{email!r} is not a valid email address.", field="email") from None
        if Membership.objects.filter(workspace=workspace, user__email=email).exists():
            raise DomainError(f"{email} is already a member of {workspace}.", field="email")
    raw = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email,
        role=role,
        token_hash=token_digest(raw),
        invited_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
    )
    event_record(
        actor=actor,
        verb=Verb.INVITED,
        obj=invitation,
        workspace=workspace,
        changes=created_changes(invitation, ["email", "role", "expires_at"]),
    )
    return invitation, raw


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    _require_admin(actor, invitation.workspace)
    if invitation.accepted_at:
        raise DomainError("This invitation has already been accepted; remove the member instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        event_record(
            actor=actor,
            verb=Verb.INVITATION_REVOKED,
            obj=invitation,
            workspace=invitation.workspace,
        )
    return invitation


def invitation_from_token(raw: str) -> Invitation:
    """The invitation behind a link, or a clear error saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("workspace", "invited_by")
        .filter(token_hash=token_digest(raw))
        .first()
    )
    if invitation is None:
        raise DomainError(
            "This invitation link is not valid. Ask for a new one.", code="invalid_invitation"
        )
    status = invitation.status
    if status == "accepted":
        raise DomainError(
            "This invitation has already been used. Ask for a new one.", code="invitation_used"
        )
    if status == "revoked":
        raise DomainError(
            "This invitation was withdrawn. Ask for a new one.", code="invitation_revoked"
        )
    if status == "expired":
        raise DomainError(
            "This invitation has expired. Ask for a new one.", code="invitation_expired"
        )
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, raw_token: str) -> Membership:
    """Adds `user` to the invitation's workspace; the link cannot be used again."""
    invitation = invitation_from_token(raw_token)
    # Lock the row so that two simultaneous acceptances cannot both succeed.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise DomainError(
            "This invitation has already been used. Ask for a new one.", code="invitation_used"
        )
    if invitation.email and invitation.email != user.email:
        raise Forbidden(
            f"This invitation is for {invitation.email}; you are signed in as {user.email}."
        )
    if Membership.objects.filter(workspace_id=invitation.workspace_id, user=user).exists():
        raise Conflict(f"You are already a member of {invitation.workspace}.")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    try:
        membership = Membership.objects.create(
            workspace_id=invitation.workspace_id, user=user, role=invitation.role
        )
    except IntegrityError:
        raise Conflict(f"You are already a member of {invitation.workspace}.") from None
    event_record(
        actor=user,
        verb=Verb.JOINED,
        obj=membership,
        workspace=invitation.workspace,
        changes={"role": [None, invitation.role], "invitation": [None, invitation.pk]},
    )
    return membership


def _owners_left(workspace_id: int, excluding: Membership) -> int:
    return (
        Membership.objects.filter(workspace_id=workspace_id, role=Role.OWNER)
        .exclude(pk=excluding.pk)
        .count()
    )


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    actor_membership = _require_admin(actor, membership.workspace)
    if role not in Role.values:
        raise DomainError(f"{role!r} is not a role.", field="role")
    if Role.OWNER in (role, membership.role) and actor_membership.role != Role.OWNER:
        raise Forbidden("Only an owner can make or unmake an owner.")
    demoting_owner = membership.role == Role.OWNER and role != Role.OWNER
    if demoting_owner and _owners_left(membership.workspace_id, membership) == 0:
        raise DomainError(
            "A workspace needs at least one owner: make someone else owner first.", field="role"
        )
    before = membership.role
    if before != role:
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        event_record(
            actor=actor,
            verb=Verb.ROLE_CHANGED,
            obj=membership,
            workspace=membership.workspace,
            changes={"role": [before, role]},
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    actor_membership = _require_admin(actor, membership.workspace)
    if membership.role == Role.OWNER:
        if actor_membership.role != Role.OWNER:
            raise Forbidden("Only an owner can remove an owner.")
        if _owners_left(membership.workspace_id, membership) == 0:
            raise DomainError(
                "A workspace needs at least one owner: make someone else owner first."
            )
    event_record(
        actor=actor,
        verb=Verb.REMOVED,
        obj=membership,
        workspace=membership.workspace,
        changes={"user": [membership.user_id, None], "role": [membership.role, None]},
    )
    membership.delete()


@transaction.atomic
def membership_add(
    *, actor: User | None, workspace: Workspace, user: User, role: str, title: str = ""
) -> Membership:
    """Adds an existing account to a workspace directly (the command line and the demo)."""
    if role not in Role.values:
        raise DomainError(f"{role!r} is not a role.", field="role")
    if actor is not None:
        _require_admin(actor, workspace)
    membership, created = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role, "title": title}
    )
    if not created:
        raise Conflict(f"{user} is already a member of {workspace}.")
    event_record(
        actor=actor or user,
        verb=Verb.JOINED,
        obj=membership,
        workspace=workspace,
        changes={"role": [None, role], "title": [None, title]},
    )
    return membership
