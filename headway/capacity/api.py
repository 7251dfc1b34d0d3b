"""Capacity over the API: the load grid."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import Ge, Le
from ninja import Router, Schema

from headway.api.schemas import Id
from headway.capacity import selectors
from headway.core.errors import Forbidden
from headway.core.http import WorkspaceRequest
from headway.planning.models import RoleNeeded
from headway.workspaces import visibility

router = Router(tags=["capacity"])


class LoadTaskOut(Schema):
    id: int
    title: str
    campaign: str
    hours: float


class LoadCellOut(Schema):
    week: dt.date
    booked: float
    available: float
    percent: float | None
    over: bool
    tasks: list[LoadTaskOut]


class LoadRowOut(Schema):
    user_id: int | None
    label: str
    cells: list[LoadCellOut]


class LoadOut(Schema):
    weeks: list[dt.date]
    people: list[LoadRowOut]
    roles: list[LoadRowOut]


def _cell(cell: selectors.LoadCell) -> LoadCellOut:
    percent = cell.percent
    if percent is not None and percent == float("inf"):
        percent = None  # JSON has no infinity: `over` says it
    return LoadCellOut(
        week=cell.week,
        booked=round(cell.booked, 2),
        available=round(cell.available, 2),
        percent=None if percent is None else round(percent, 1),
        over=cell.over,
        tasks=[
            LoadTaskOut(id=t.id, title=t.title, campaign=t.campaign, hours=round(t.hours, 2))
            for t in cell.tasks
        ],
    )


def _row(row: selectors.LoadRow) -> LoadRowOut:
    return LoadRowOut(user_id=row.user_id, label=row.label, cells=[_cell(c) for c in row.cells])


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
) -> LoadOut:
    if not visibility.is_internal(request.membership):
        raise Forbidden("Freelancers and clients do not see the team's load.")
    view = selectors.load_view(
        request.workspace, weeks=weeks, role=role.value if role else "", campaign_id=campaign
    )
    return LoadOut(
        weeks=view.weeks,
        people=[_row(r) for r in view.rows],
        roles=[_row(r) for r in view.role_rows],
    )
