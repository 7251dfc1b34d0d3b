"""Capacity over the API: the load grid and the levelled plan."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypedDict

from annotated_types import Ge, Le
from ninja import Field, Router, Schema
from pydantic import BaseModel

from headway.api.schemas import Id
from headway.capacity import selectors
from headway.capacity.cover import CoverPreview, cover_preview
from headway.capacity.levelled import levelled_view
from headway.core.errors import DomainError, Forbidden
from headway.core.http import WorkspaceRequest
from headway.engine.leveling import LevelError
from headway.engine.network import NetworkError
from headway.planning.models import RoleNeeded
from headway.workspaces import visibility

router = Router(tags=["capacity"])


class LoadTaskOut(BaseModel):
    id: int
    title: str
    campaign: str
    hours: float


class LoadCellOut(BaseModel):
    week: dt.date
    booked: float
    available: float
    percent: float | None
    over: bool
    tasks: list[LoadTaskOut]


class LoadRowOut(BaseModel):
    user_id: int | None
    label: str
    cells: list[LoadCellOut]


class LoadOut(BaseModel):
    weeks: list[dt.date]
    people: list[LoadRowOut]
    roles: list[LoadRowOut]


# Plain pydantic models and dicts: the grid holds thousands of cells and task entries, and
# ninja's Schema (built for reading model instances) costs seconds at that size.
class LoadTaskDict(TypedDict):
    id: int
    title: str
    campaign: str
    hours: float


class LoadCellDict(TypedDict):
    week: dt.date
    booked: float
    available: float
    percent: float | None
    over: bool
    tasks: list[LoadTaskDict]


class LoadRowDict(TypedDict):
    user_id: int | None
    label: str
    cells: list[LoadCellDict]


class LoadDict(TypedDict):
    weeks: list[dt.date]
    people: list[LoadRowDict]
    roles: list[LoadRowDict]


def _cell(cell: selectors.LoadCell) -> LoadCellDict:
    percent = cell.percent
    if percent is not None and percent == float("inf"):
        percent = None  # JSON has no infinity: `over` says it
    return {
        "week": cell.week,
        "booked": round(cell.booked, 2),
        "available": round(cell.available, 2),
        "percent": None if percent is None else round(percent, 1),
        "over": cell.over,
        "tasks": [
            {"id": t.id, "title": t.title, "campaign": t.campaign, "hours": round(t.hours, 2)}
            for t in cell.tasks
        ],
    }


def _row(row: selectors.LoadRow) -> LoadRowDict:
    return {"user_id": row.user_id, "label": row.label, "cells": [_cell(c) for c in row.cells]}


@router.get(
    "/workspaces/{ws}/load",
    response=LoadOut,
    summary="Hours booked and available per person and week (internal roles only)",
)
def load(
    request: WorkspaceRequest,
    ws: str,
    weeks: Annotated[int, Ge(1), Le(selectors.WEEKS_MAX)] = selectors.WEEKS_DEFAULT,
    role: RoleNeeded | None = None,
    campaign: Id | None = None,
) -> LoadDict:
    if not visibility.is_internal(request.membership):
        raise Forbidden("Freelancers and clients do not see the team's load.")
    view = selectors.load_view(
        request.workspace, weeks=weeks, role=role.value if role else "", campaign_id=campaign
    )
    return {
        "weeks": view.weeks,
        "people": [_row(r) for r in view.rows],
        "roles": [_row(r) for r in view.role_rows],
    }


class LevelledTaskMoveOut(Schema):
    task_id: int
    title: str
    campaign_id: int
    campaign: str
    owner: str
    start: dt.date
    due: dt.date
    new_start: dt.date
    new_due: dt.date
    days: int
    reason: str
    float_left: int = Field(
        description="Working days it may still slip without moving its launch, once levelled"
    )


class LevelledLaunchMoveOut(Schema):
    campaign_id: int
    name: str
    before: dt.date
    after: dt.date
    days: int
    reason: str


class LevelledOverDayOut(Schema):
    task_id: int
    title: str
    campaign: str
    owner: str
    hours_per_day: float
    capacity: float


class LevelledPlanOut(Schema):
    """What would move if everyone worked within their hours; nothing is changed."""

    launches: list[LevelledLaunchMoveOut]
    tasks: list[LevelledTaskMoveOut]
    over_capacity: list[LevelledOverDayOut]
    unstaffed: int


@router.get(
    "/workspaces/{ws}/capacity/levelled",
    response=LevelledPlanOut,
    summary="The plan levelled to everyone's hours: launches and tasks that would move, and why",
)
def levelled(request: WorkspaceRequest, ws: str, campaign: Id | None = None) -> LevelledPlanOut:
    if not visibility.is_internal(request.membership):
        raise Forbidden("Freelancers and clients do not see the team's load.")
    try:
        view = levelled_view(request.workspace, campaign)
    except (NetworkError, LevelError) as exc:
        raise DomainError(f"The plan cannot be levelled: {exc}.", code="not_levellable") from exc
    return LevelledPlanOut(
        launches=[LevelledLaunchMoveOut(**vars(m)) for m in view.launches],
        tasks=[LevelledTaskMoveOut(**vars(m)) for m in view.moves],
        over_capacity=[
            LevelledOverDayOut(**{**vars(o), "hours_per_day": round(o.hours_per_day, 2)})
            for o in view.over_day
        ],
        unstaffed=view.unstaffed,
    )


class CandidateOut(Schema):
    user_id: int
    name: str
    fit: str
    free_hours: float
    launch_after: dt.date | None
    launch_days: int


class SlipOut(Schema):
    task_id: int
    title: str
    campaign_id: int
    campaign: str
    role: str
    start: dt.date
    due: dt.date
    new_start: dt.date
    new_due: dt.date
    slip_days: int
    hours_in_window: float
    proposals: list[CandidateOut]


class LaunchMoveOut(Schema):
    campaign_id: int
    name: str
    launch_date: dt.date | None
    before: dt.date | None
    after: dt.date | None
    days: int
    moved_tasks: int
    short_by: int


class SlotOut(Schema):
    piece_id: int
    title: str
    channel: str
    publish_at: dt.datetime | None


class CoverPreviewOut(Schema):
    """What recording the time off would do; nothing was stored."""

    user_id: int
    first_day: dt.date
    last_day: dt.date
    working_days: int
    slips: list[SlipOut]
    launches: list[LaunchMoveOut]
    uncovered_slots: list[SlotOut]


def cover_preview_out(preview: CoverPreview) -> CoverPreviewOut:
    return CoverPreviewOut(
        user_id=preview.person.user_id,
        first_day=preview.first_day,
        last_day=preview.last_day,
        working_days=preview.working_days,
        slips=[
            SlipOut(
                **{k: getattr(t, k) for k in SlipOut.model_fields if k != "proposals"},
                proposals=[CandidateOut(**vars(c)) for c in t.candidates],
            )
            for t in preview.tasks
        ],
        launches=[
            LaunchMoveOut(**{k: getattr(m, k) for k in LaunchMoveOut.model_fields})
            for m in preview.launches
        ],
        uncovered_slots=[SlotOut(**vars(s)) for s in preview.slots],
    )


def timeoff_preview(
    request: WorkspaceRequest, user_id: int, first: dt.date, last: dt.date
) -> CoverPreviewOut:
    """POST /time-off?preview=true (planning's route): the preview, for internal roles; people
    who do not plan preview only their own time off, as they may only record their own."""
    membership = request.membership
    if not visibility.is_internal(membership):
        raise Forbidden("Freelancers and clients record time off without a preview.")
    if user_id != membership.user_id and not membership.role_enum.plans:
        raise Forbidden("Only owners, admins and managers record other people's time off.")
    preview = cover_preview(
        workspace=request.workspace, user_id=user_id, first_day=first, last_day=last
    )
    return cover_preview_out(preview)
