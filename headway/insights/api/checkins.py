"""The weekly check-in over the API: this week's agenda, decisions, marking items discussed,
closing; the team's only (freelancers and clients get 403)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from headway.api.schemas import BoundedDate, Id, SafeStr, TimeOfDay, WorkWeekday
from headway.core.http import WorkspaceRequest
from headway.insights.models import CheckIn, CheckInDecision
from headway.insights.models.checkins import Weekday
from headway.insights.selectors import checkins as selectors
from headway.insights.selectors.findings import Item
from headway.insights.services import checkins as services
from headway.planning.api.lookups import internal_only, team_campaign

router = Router(tags=["insights"])


class PersonOut(Schema):
    id: int
    name: str


class ObjectOut(Schema):
    kind: str
    id: int | None
    url: str


class ItemOut(Schema):
    kind: str
    key: str
    text: str
    detail: str
    owner: PersonOut | None
    object: ObjectOut
    since: dt.datetime | dt.date | None
    discussed: bool


class SectionOut(Schema):
    key: str
    title: str
    items: list[ItemOut]


class CheckInDecisionOut(Schema):
    id: int
    checkin_id: int
    text: str
    owner: PersonOut
    due_date: dt.date
    task_id: int | None


class CheckInOut(Schema):
    id: int | None = Field(
        description="None while this week's check-in is not stored: its first write stores it"
    )
    week: dt.date
    scheduled_at: dt.datetime
    closed_at: dt.datetime | None
    baseline_week: dt.date | None
    sections: list[SectionOut]
    decisions: list[CheckInDecisionOut]


class CheckInSummaryOut(Schema):
    id: int
    week: dt.date
    closed_at: dt.datetime | None
    decision_count: int


class CheckInDecisionIn(Schema):
    text: Annotated[SafeStr, MaxLen(300)]
    owner: Id
    due_date: BoundedDate
    campaign_id: Id | None = None


class CheckInScheduleIn(Schema):
    weekday: WorkWeekday
    time: TimeOfDay


class CheckInScheduleOut(Schema):
    weekday: int
    weekday_name: str
    # A wall-clock time in `time_zone`, not an instant: JSON Schema's "time" format wants an
    # offset, so it is plain text.
    time: str = Field(pattern=r"^[0-2][0-9]:[0-5][0-9]$", description="HH:MM in time_zone")
    time_zone: str


class DiscussIn(Schema):
    key: Annotated[SafeStr, MaxLen(80)]
    discussed: bool = True


class DiscussOut(Schema):
    key: str
    discussed: bool


def _item(i: Item) -> ItemOut:
    return ItemOut(
        kind=i.kind,
        key=i.key,
        text=i.text,
        detail=i.detail,
        owner=PersonOut(id=i.owner.pk, name=i.owner.name) if i.owner else None,
        object=ObjectOut(kind=i.object_kind, id=i.object_id, url=i.url),
        since=i.since,
        discussed=i.discussed,
    )


def _decision(d: CheckInDecision) -> CheckInDecisionOut:
    return CheckInDecisionOut(
        id=d.pk,
        checkin_id=d.checkin_id,
        text=d.text,
        owner=PersonOut(id=d.owner.pk, name=d.owner.name),
        due_date=d.due_date,
        task_id=d.task_id,
    )


def _out(request: WorkspaceRequest, checkin: CheckIn) -> CheckInOut:
    agenda = selectors.checkin_agenda(request.workspace, checkin, timezone.now())
    return CheckInOut(
        id=checkin.pk,
        week=checkin.week,
        scheduled_at=checkin.scheduled_at,
        closed_at=checkin.closed_at,
        baseline_week=agenda.baseline.week if agenda.baseline else None,
        sections=[
            SectionOut(key=s.key, title=s.title, items=[_item(i) for i in s.items])
            for s in agenda.sections
        ],
        decisions=[_decision(d) for d in selectors.decisions_of(checkin)],
    )


def _checkin(request: WorkspaceRequest, checkin_id: int | None) -> CheckIn:
    """The check-in `checkin_id`, or with None this week's (unsaved until its first write)."""
    internal_only(request)
    if checkin_id is None:
        return selectors.checkin_current(request.workspace, timezone.now())
    return selectors.checkin_get(request.workspace, checkin_id)


@router.get(
    "/workspaces/{ws}/checkins/current",
    response=CheckInOut,
    summary="This week's check-in and its agenda (reading stores nothing: id is null until "
    "the first decision, discussed mark or close, or until the agenda is emailed)",
)
def checkin_current_get(request: WorkspaceRequest, ws: str) -> CheckInOut:
    return _out(request, _checkin(request, None))


@router.get(
    "/workspaces/{ws}/checkins",
    response=list[CheckInSummaryOut],
    summary="Past check-ins, newest first",
)
def checkins_get(request: WorkspaceRequest, ws: str) -> list[CheckInSummaryOut]:
    internal_only(request)
    return [
        CheckInSummaryOut(
            id=c.pk,
            week=c.week,
            closed_at=c.closed_at,
            decision_count=c.decision_count,  # type: ignore[attr-defined]
        )
        for c in selectors.checkins_past(request.workspace)
    ]


@router.get(
    "/workspaces/{ws}/checkins/{int:checkin_id}",
    response=CheckInOut,
    summary="One check-in with its agenda (a closed one as it closed) and decisions",
)
def checkin_get(request: WorkspaceRequest, ws: str, checkin_id: int) -> CheckInOut:
    return _out(request, _checkin(request, checkin_id))


@router.post(
    "/workspaces/{ws}/checkins/{int:checkin_id}/decisions",
    response={201: CheckInDecisionOut},
    summary="Record a decision: text, one owner, due date; with campaign_id it also becomes a task",
)
def checkin_decision_post(
    request: WorkspaceRequest, ws: str, checkin_id: int, payload: CheckInDecisionIn
) -> tuple[int, CheckInDecisionOut]:
    return _decision_add(request, _checkin(request, checkin_id), payload)


@router.post(
    "/workspaces/{ws}/checkins/current/decisions",
    response={201: CheckInDecisionOut},
    summary="Record a decision at this week's check-in (stored with it if it is not yet)",
)
def checkin_current_decision_post(
    request: WorkspaceRequest, ws: str, payload: CheckInDecisionIn
) -> tuple[int, CheckInDecisionOut]:
    return _decision_add(request, _checkin(request, None), payload)


def _decision_add(
    request: WorkspaceRequest, checkin: CheckIn, payload: CheckInDecisionIn
) -> tuple[int, CheckInDecisionOut]:
    campaign = team_campaign(request, payload.campaign_id) if payload.campaign_id else None
    decision = services.checkin_decision_add(
        actor=request.user,
        checkin=checkin,
        text=payload.text,
        owner_id=payload.owner,
        due_date=payload.due_date,
        campaign=campaign,
    )
    return 201, _decision(decision)


@router.post(
    "/workspaces/{ws}/checkins/{int:checkin_id}/discussed",
    response=DiscussOut,
    summary="Mark an agenda item (by its key) discussed, or not",
)
def checkin_discussed_post(
    request: WorkspaceRequest, ws: str, checkin_id: int, payload: DiscussIn
) -> DiscussOut:
    return _discuss(request, _checkin(request, checkin_id), payload)


@router.post(
    "/workspaces/{ws}/checkins/current/discussed",
    response=DiscussOut,
    summary="Mark an item of this week's agenda discussed, or not",
)
def checkin_current_discussed_post(
    request: WorkspaceRequest, ws: str, payload: DiscussIn
) -> DiscussOut:
    return _discuss(request, _checkin(request, None), payload)


def _discuss(request: WorkspaceRequest, checkin: CheckIn, payload: DiscussIn) -> DiscussOut:
    done = services.checkin_item_discuss(
        actor=request.user, checkin=checkin, key=payload.key, discussed=payload.discussed
    )
    return DiscussOut(key=payload.key, discussed=done)


@router.post(
    "/workspaces/{ws}/checkins/{int:checkin_id}/close",
    response=CheckInOut,
    summary="Close the check-in: today's dates become next week's baseline; the summary is emailed",
)
def checkin_close_post(request: WorkspaceRequest, ws: str, checkin_id: int) -> CheckInOut:
    return _close(request, _checkin(request, checkin_id))


@router.post(
    "/workspaces/{ws}/checkins/current/close",
    response=CheckInOut,
    summary="Close this week's check-in (stored with it if it is not yet)",
)
def checkin_current_close_post(request: WorkspaceRequest, ws: str) -> CheckInOut:
    return _close(request, _checkin(request, None))


def _close(request: WorkspaceRequest, checkin: CheckIn) -> CheckInOut:
    closed = services.checkin_close(actor=request.user, checkin=checkin, now=timezone.now())
    return _out(request, closed)


def _schedule(request: WorkspaceRequest) -> CheckInScheduleOut:
    weekday, time = selectors.schedule_of(request.workspace)
    return CheckInScheduleOut(
        weekday=weekday,
        weekday_name=Weekday(weekday).label,
        time=time.strftime("%H:%M"),
        time_zone=request.workspace.time_zone,
    )


@router.get(
    "/workspaces/{ws}/checkins/schedule",
    response=CheckInScheduleOut,
    summary="When the weekly check-in meets: weekday (0 = Monday) and time, workspace-local",
)
def checkin_schedule_get(request: WorkspaceRequest, ws: str) -> CheckInScheduleOut:
    internal_only(request)
    return _schedule(request)


@router.put(
    "/workspaces/{ws}/checkins/schedule",
    response=CheckInScheduleOut,
    summary="Move the weekly check-in (owners, admins and managers)",
)
def checkin_schedule_put(
    request: WorkspaceRequest, ws: str, payload: CheckInScheduleIn
) -> CheckInScheduleOut:
    internal_only(request)
    services.checkin_schedule_set(
        actor=request.user, workspace=request.workspace, weekday=payload.weekday, time=payload.time
    )
    return _schedule(request)
