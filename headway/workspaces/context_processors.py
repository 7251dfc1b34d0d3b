from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from headway.workspaces.selectors import memberships_for_user
from headway.workspaces.visibility import nav_pages


def workspaces(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's workspaces for the switcher, and the one being viewed."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    return {
        "my_memberships": list(memberships_for_user(user)),
        "current_workspace": getattr(request, "workspace", None),
        "current_membership": membership,
        "nav_pages": nav_pages(membership),
    }
