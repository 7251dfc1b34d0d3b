"""Who may import results: the people who plan (owners, admins, managers)."""

from __future__ import annotations

from headway.core.errors import Forbidden
from headway.workspaces.models import Membership


def require_importer(membership: Membership) -> None:
    """Results carry spend and revenue: members, freelancers and clients may not import them."""
    if not membership.role_enum.plans:
        raise Forbidden("Only owners, admins and managers import results.")
