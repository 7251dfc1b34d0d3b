"""The calendar plans are dated on: people's time off and the workspace's holidays."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from ninja import Router, Schema

from headway.api.schemas import BoundedDate as Date
from headway.api.schemas import Id, SafeStr
from headway.capacity.api import CoverPreviewOut, timeoff_preview
from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.models import Holiday, TimeOff
from headway.planning.services import calendar as calendar_services

router = Router(tags=["planning"])


class TimeOffIn(Schema):
    user_id: Id
    first_day: Date
    last_day: Date
    note: Annotated[SafeStr, MaxLen(120)] = ""


class TimeOffOut(Schema):
    id: int
    user_id: int
    first_day: dt.date
    last_day: dt.date
    note: str


class HolidayIn(Schema):
    date: Date
    name: Annotated[SafeStr, MaxLen(80)]


class HolidayOut(Schema):
    id: int
    date: dt.date
    name: str


@router.get("/workspaces/{ws}/time-off", response=list[TimeOffOut], summary="Time off ahead")
def timeoff_list(request: WorkspaceRequest, ws: str) -> list[TimeOff]:
    return selectors.time_off_ahead(request.membership, request.workspace.today())


@router.post(
    "/workspaces/{ws}/time-off",
    response={201: TimeOffOut, 200: CoverPreviewOut},
    summary="Record time off (your own, or anyone's for planners); plans are redated. "
    "With preview=true nothing is stored: the answer lists the tasks that slip, the launches "
    "that move, the content slots left uncovered and who could cover each task",
)
def timeoff_create(
    request: WorkspaceRequest, ws: str, payload: TimeOffIn, preview: bool = False
) -> tuple[int, TimeOff | CoverPreviewOut]:
    if preview:
        return 200, timeoff_preview(request, payload.user_id, payload.first_day, payload.last_day)
    return 201, calendar_services.timeoff_add(
        actor=request.user, workspace=request.workspace, **payload.dict()
    )


@router.get("/workspaces/{ws}/holidays", response=list[HolidayOut], summary="Holidays")
def holidays_list(request: WorkspaceRequest, ws: str) -> list[Holiday]:
    return selectors.workspace_holidays(request.workspace)


@router.post(
    "/workspaces/{ws}/holidays",
    response={201: HolidayOut},
    summary="Add a workspace holiday; open plans are redated",
)
def holidays_create(request: WorkspaceRequest, ws: str, payload: HolidayIn) -> tuple[int, Holiday]:
    return 201, calendar_services.holiday_add(
        actor=request.user, workspace=request.workspace, date=payload.date, name=payload.name
    )
