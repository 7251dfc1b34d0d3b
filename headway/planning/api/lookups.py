"""The objects a planning route works on, as far as the caller may see them."""

from __future__ import annotations

from headway.core.errors import Forbidden
from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.models import Campaign, Task
from headway.workspaces import scoping, visibility

# The scope check of a campaign route reads the campaign the route works on (one query, not
# a check and then the read: on PostgreSQL each is a round trip to the server).
scoping.read_whole("campaign_id", selectors.campaign_find)


def internal_only(request: WorkspaceRequest) -> None:
    """Campaigns, plans and settings are the team's: freelancers and clients get 403."""
    if not visibility.is_internal(request.membership):
        raise Forbidden("Freelancers and clients see only the tasks assigned to them.")


def visible_task(request: WorkspaceRequest, task_id: int) -> Task:
    """The task if the caller may see it (404 otherwise); services decide what they may do."""
    return (
        visibility.visible_tasks(request.membership)
        .select_related("campaign__workspace", "workspace")
        .get(pk=task_id)
    )


def team_campaign(request: WorkspaceRequest, campaign_id: int) -> Campaign:
    """A campaign of the workspace, for the team only (403 for externals, 404 elsewhere)."""
    internal_only(request)
    campaign: Campaign | None = scoping.scoped_row(request, "campaign_id", campaign_id)
    return campaign or selectors.campaign_of(request.workspace, campaign_id)
