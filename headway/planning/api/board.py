"""The work in flight: the board by status and one person's open tasks."""

from __future__ import annotations

from typing import Annotated

from annotated_types import MaxLen
from ninja import Router

from headway.api.schemas import Id, SafeStr
from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.api.tasks import TaskOut
from headway.planning.models import Task
from headway.workspaces import visibility

router = Router(tags=["planning"])


@router.get(
    "/workspaces/{ws}/my-work",
    response=list[TaskOut],
    summary="Your open tasks, in the order that unblocks the most",
)
def my_work(request: WorkspaceRequest, ws: str) -> list[Task]:
    rows = selectors.my_work(request.workspace, request.user, request.workspace.today())
    return [r.task for r in rows]


@router.get(
    "/workspaces/{ws}/board",
    response=dict[str, list[TaskOut]],
    summary="Open campaigns' tasks by status (externals: only their own)",
)
def board(
    request: WorkspaceRequest,
    ws: str,
    person: Id | None = None,
    channel: Annotated[SafeStr, MaxLen(40)] = "",
    campaign: Id | None = None,
) -> dict[str, list[Task]]:
    viewer = request.membership
    within = None if visibility.is_internal(viewer) else visibility.workable_tasks(viewer)
    filters = selectors.BoardFilter(person=person, channel=channel, campaign=campaign)
    columns = selectors.board_columns(
        request.workspace, request.workspace.today(), filters, within=within, limit=None
    )
    return {c.status.value: [r.task for r in c.rows] for c in columns}
