"""Links between tasks: "waits on", with a preview of what a new link would move."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from ninja import Router, Schema

from headway.api.schemas import Id, LagDays, SafeStr
from headway.core.errors import DomainError
from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.api.lookups import internal_only, visible_task
from headway.planning.models import Dependency
from headway.planning.services import links as link_services
from headway.planning.services.schedule import PlanChange, plan_preview

router = Router(tags=["planning"])


class LinkIn(Schema):
    predecessor: Id
    type: Annotated[SafeStr, MaxLen(2)] = "FS"
    lag: LagDays = 0


class LinkOut(Schema):
    id: int
    predecessor_id: int
    successor_id: int
    type: str
    lag: int


class MovedOut(Schema):
    task_id: int
    title: str
    before: dt.date
    after: dt.date
    days: int


class PreviewOut(Schema):
    summary: str
    moved: list[MovedOut]
    launch_days: int


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/dependencies",
    response={201: LinkOut, 200: PreviewOut},
    summary="Make the task wait on another; with preview=true, answer what it would move",
)
def links_create(
    request: WorkspaceRequest, ws: str, task_id: int, payload: LinkIn, preview: bool = False
) -> tuple[int, Dependency | PreviewOut]:
    task = visible_task(request, task_id)
    predecessor = selectors.task_find(request.workspace, payload.predecessor)
    if predecessor is None:
        raise DomainError(
            "A task can only depend on tasks of the same workspace.", field="predecessor"
        )
    if preview:
        link = link_services.link_check(predecessor, task, payload.type, payload.lag)
        result = plan_preview(task.campaign, PlanChange(link=link))
        moved = [MovedOut.model_validate(m, from_attributes=True) for m in result.moved]
        return 200, PreviewOut(
            summary=result.summary(), moved=moved, launch_days=result.launch_days
        )
    return 201, link_services.dependency_add(
        actor=request.user,
        predecessor=predecessor,
        successor=task,
        type=payload.type,
        lag=payload.lag,
    )


@router.delete(
    "/workspaces/{ws}/dependencies/{int:dependency_id}",
    response={204: None},
    summary="Remove a link; the plan is rescheduled",
)
def links_delete(request: WorkspaceRequest, ws: str, dependency_id: int) -> tuple[int, None]:
    internal_only(request)
    dep = selectors.dependency_get(request.workspace, dependency_id)
    link_services.dependency_remove(actor=request.user, dependency=dep)
    return 204, None
