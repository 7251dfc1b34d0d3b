from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from headway.accounts.models import User
from headway.accounts.services import TOKEN_PREFIX, token_digest, token_used
from headway.core.prepared import PreparedRead
from headway.workspaces import visibility
from headway.workspaces.models import Membership, Workspace
from headway.workspaces.scoping import check_kwargs
from headway.workspaces.selectors import membership_for

View = Callable[..., HttpResponseBase]

# Counts the memberships saved or deleted in this process. A membership remembered on the
# request's user is trusted only while this count is unchanged, so a request that changes a
# role (the actor's own included) never acts on the role it read before.
_membership_writes = itertools.count()
_writes_seen = 0


@receiver(post_save, sender=Membership, dispatch_uid="workspaces-membership-saved")
@receiver(post_delete, sender=Membership, dispatch_uid="workspaces-membership-deleted")
def _membership_written(sender: object, **kwargs: Any) -> None:
    global _writes_seen
    _writes_seen = next(_membership_writes) + 1


def membership_remember(user: User, membership: Membership) -> None:
    """Keeps the user's membership, as just read, for the services this request calls."""
    user.workspace_membership = membership  # type: ignore[attr-defined]
    user.workspace_membership_writes = _writes_seen  # type: ignore[attr-defined]


def membership_remembered(user: User, workspace_id: int) -> Membership | None:
    """The membership of `workspace_id` this request read for `user`, unless a membership
    has been saved or deleted since (then the caller reads it again)."""
    known: Membership | None = getattr(user, "workspace_membership", None)
    if known is None or known.workspace_id != workspace_id or known.user_id != user.pk:
        return None
    if getattr(user, "workspace_membership_writes", None) != _writes_seen:
        return None
    return known


def resolve_workspace(
    request: HttpRequest,
    slug: str,
    kwargs: dict[str, Any],
    *,
    membership: Membership | None = None,
) -> Membership:
    """The signed-in user's membership of `slug` (or `membership`, when the caller has just
    read it), after checking that every scoped parameter names an object of the workspace
    that this member may see."""
    if membership is None:
        membership = membership_for(request.user, slug)  # type: ignore[arg-type]
    scoped_rows = check_kwargs(membership.workspace, kwargs)
    visibility.check_kwargs(membership, kwargs)
    request.scoped_rows = scoped_rows  # type: ignore[attr-defined]
    request.workspace = membership.workspace  # type: ignore[attr-defined]
    request.membership = membership  # type: ignore[attr-defined]
    # Services check the actor's role again (planning's require_planner): they reuse this.
    membership_remember(request.user, membership)  # type: ignore[arg-type]
    return membership


_TOKEN = "user__api_tokens__"
_TOKEN_MEMBERSHIP = PreparedRead(
    lambda slug, digest: (
        Membership.objects.select_related("workspace", "user")
        .filter(
            workspace__slug=slug,
            user__is_active=True,
            **{f"{_TOKEN}token_hash": digest, f"{_TOKEN}revoked_at__isnull": True},
        )
        .annotate(token_id=F(f"{_TOKEN}id"), token_last_used_at=F(f"{_TOKEN}last_used_at"))
        .order_by()[:2]
    ),
    slug="\x00slug",
    digest="\x00digest",
)


def token_membership(raw: str, slug: str) -> Membership | None:
    """The membership of the workspace `slug` of the active user holding the active API
    token `raw`, read in one query with its workspace and user; None when the token, the
    user or the membership is not there (the caller then tells 401 from 404). Records the
    token's use as `token_authenticate` does."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    membership: Membership | None = _TOKEN_MEMBERSHIP.first(slug=slug, digest=token_digest(raw))
    if membership is None:
        return None
    token_used(membership.token_id, membership.token_last_used_at)  # type: ignore[attr-defined]
    return membership


def workspace_view(
    *, admin_only: bool = False, internal_only: bool = False
) -> Callable[[View], View]:
    """Decorates a page under /w/<ws>/: 404 for non-members, 403 for a role that may not see it.

    The view receives the workspace as its second argument.
    """

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, ws: str, **kwargs: Any) -> HttpResponseBase:
            membership = resolve_workspace(request, ws, kwargs)
            role = membership.role_enum
            if (admin_only and not role.administers) or (internal_only and role.is_external):
                raise PermissionDenied("Your role in this workspace does not include this page.")
            if request.session.get("last_workspace") != ws:
                # Only a change is stored: a page read must not rewrite the session row.
                request.session["last_workspace"] = ws
            workspace: Workspace = membership.workspace
            return view(request, workspace, **kwargs)

        return wrapped

    return decorate
