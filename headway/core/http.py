"""Request types for views behind sign-in, so that views need no casts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from headway.accounts.models import User
    from headway.workspaces.models import Membership, Workspace


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class WorkspaceRequest(AuthedRequest):
    """A request under /w/<ws>/ (or an API route under a workspace), already resolved."""

    workspace: Workspace
    membership: Membership
