from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from headway.workspaces import visibility
from headway.workspaces.models import Membership, Workspace
from headway.workspaces.scoping import check_kwargs
from headway.workspaces.selectors import membership_for

View = Callable[..., HttpResponseBase]


def resolve_workspace(request: HttpRequest, slug: str, kwargs: dict[str, Any]) -> Membership:
    """The signed-in user's membership of `slug`, after checking that every scoped parameter
    names an object of the workspace that this member may see."""
    membership = membership_for(request.user, slug)  # type: ignore[arg-type]
    check_kwargs(membership.workspace, kwargs)
    visibility.check_kwargs(membership, kwargs)
    request.workspace = membership.workspace  # type: ignore[attr-defined]
    request.membership = membership  # type: ignore[attr-defined]
    # Services check the actor's role again (planning's require_planner): they reuse this.
    request.user.workspace_membership = membership  # type: ignore[union-attr]
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
