import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from django.urls import reverse
from ninja import Router, Schema

from headway.api.schemas import (
    BoundedDate,
    BoundedDateTime,
    ChoiceStr,
    Id,
    PerPeriod,
    SafeStr,
    Version,
)
from headway.core.bounds import CALENDAR_RANGE_DAYS_MAX
from headway.core.errors import DomainError, Forbidden, OutOfRange
from headway.core.http import WorkspaceRequest
from headway.planning.models import Task
from headway.publishing import selectors, services
from headway.publishing.models import CalendarFeed, ContentPiece
from headway.publishing.selectors import Coverage, PieceChip
from headway.workspaces import visibility

router = Router(tags=["publishing"])


class PieceIn(Schema):
    title: Annotated[SafeStr, MaxLen(200)]
    kind: ChoiceStr
    channel: Id
    stage: ChoiceStr = "idea"
    owner: Id | None = None
    publish_at: BoundedDateTime | None = None
    campaign: Id | None = None


class PiecePatch(Schema):
    version: Version
    title: Annotated[SafeStr, MaxLen(200)] | None = None
    stage: ChoiceStr | None = None
    owner: Id | None = None
    publish_at: BoundedDateTime | None = None
    campaign: Id | None = None


class PieceOut(Schema):
    id: int
    title: str
    kind: str
    stage: str
    channel_id: int
    owner_id: int | None
    publish_at: dt.datetime | None
    campaign_id: int | None
    version: int


class CadenceIn(Schema):
    channel: Id
    per_period: PerPeriod
    period: Annotated[SafeStr, MaxLen(5)] = "week"


class GapOut(Schema):
    label: str
    have: int
    want: int


class CoverageOut(Schema):
    channel: str
    cadence: str
    have: int
    want: int
    gaps: list[GapOut]


class FeedIn(Schema):
    personal: bool = True


class FeedOut(Schema):
    id: int
    personal: bool
    url: str


class CalendarPieceOut(Schema):
    id: int
    title: str
    stage: str
    publish_at: dt.datetime
    channel: str
    version: int


class CalendarTaskOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    owner_id: int | None
    campaign_id: int
    campaign: str
    start_date: dt.date | None
    due_date: dt.date | None


class CalendarDayOut(Schema):
    date: dt.date
    pieces: list[CalendarPieceOut]
    launches: list[CalendarTaskOut]
    due: list[CalendarTaskOut]


class CalendarOut(Schema):
    start: dt.date
    end: dt.date
    days: list[CalendarDayOut]


def _internal(request: WorkspaceRequest) -> None:
    if not visibility.is_internal(request.membership):
        raise Forbidden("Freelancers and clients do not see the editorial calendar.")


@router.get("/workspaces/{ws}/content", response=list[PieceOut], summary="Content pieces")
def pieces_list(
    request: WorkspaceRequest,
    ws: str,
    start: BoundedDate | None = None,
    end: BoundedDate | None = None,
) -> list[ContentPiece]:
    return selectors.pieces_between(request.membership, start, end)


@router.post("/workspaces/{ws}/content", response={201: PieceOut}, summary="Add a piece")
def pieces_create(request: WorkspaceRequest, ws: str, payload: PieceIn) -> tuple[int, ContentPiece]:
    return 201, services.piece_create(
        actor=request.user, workspace=request.workspace, **payload.dict()
    )


@router.patch(
    "/workspaces/{ws}/content/{int:piece_id}",
    response=PieceOut,
    summary="Edit a piece or move its slot (send the version you read; stale answers 409)",
)
def pieces_update(
    request: WorkspaceRequest, ws: str, piece_id: int, payload: PiecePatch
) -> ContentPiece:
    piece = visibility.visible_pieces(request.membership).get(pk=piece_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.piece_update(actor=request.user, piece=piece, version=version, **data)


@router.post("/workspaces/{ws}/cadences", response={204: None}, summary="Set a channel's cadence")
def cadences_set(request: WorkspaceRequest, ws: str, payload: CadenceIn) -> tuple[int, None]:
    channel = selectors.channel_find(request.workspace, payload.channel)
    if channel is None:
        raise DomainError("No such channel in this workspace.", field="channel")
    services.cadence_set(
        actor=request.user,
        workspace=request.workspace,
        channel=channel,
        per_period=payload.per_period,
        period=payload.period,
    )
    return 204, None


@router.get(
    "/workspaces/{ws}/coverage",
    response=list[CoverageOut],
    summary="How much of the next 14 days each channel's cadence has filled, and the gaps",
)
def coverage(request: WorkspaceRequest, ws: str) -> list[Coverage]:
    _internal(request)
    today = request.workspace.today()
    return selectors.coverage(request.workspace, today)


@router.post(
    "/workspaces/{ws}/feeds",
    response={201: FeedOut},
    summary="A secret iCal address for your work (or the workspace's); shown once",
)
def feeds_create(request: WorkspaceRequest, ws: str, payload: FeedIn) -> tuple[int, FeedOut]:
    feed, raw = services.feed_create(
        actor=request.user, workspace=request.workspace, personal=payload.personal
    )
    url = request.build_absolute_uri(reverse("publishing:feed", args=[raw]))
    return 201, FeedOut(id=feed.pk, personal=feed.personal, url=url)


@router.delete(
    "/workspaces/{ws}/feeds/{int:feed_id}", response={204: None}, summary="Revoke a feed"
)
def feeds_revoke(request: WorkspaceRequest, ws: str, feed_id: int) -> tuple[int, None]:
    feed = visibility.visible_rows(request.membership, CalendarFeed).get(pk=feed_id)
    services.feed_revoke(actor=request.user, feed=feed)
    return 204, None


def _calendar_task(t: Task) -> CalendarTaskOut:
    return CalendarTaskOut(
        id=t.pk,
        title=t.title,
        kind=t.kind,
        status=t.status,
        owner_id=t.owner_id,
        campaign_id=t.campaign_id,
        campaign=t.campaign.name,
        start_date=t.start_date,
        due_date=t.due_date,
    )


def _calendar_piece(p: PieceChip) -> CalendarPieceOut:
    return CalendarPieceOut(
        id=p.pk,
        title=p.title,
        stage=p.stage,
        publish_at=p.publish_at,
        channel=p.channel,
        version=p.version,
    )


@router.get(
    "/workspaces/{ws}/calendar",
    response=CalendarOut,
    summary="Each day from start to end (both included, at most 366 days): its content pieces, "
    "launches and the open tasks due, as the calendar shows them (freelancers and clients: "
    "their own work)",
)
def calendar(
    request: WorkspaceRequest, ws: str, start: BoundedDate, end: BoundedDate
) -> CalendarOut:
    if end < start:
        raise OutOfRange("The end comes before the start.", field="end")
    if (end - start).days + 1 > CALENDAR_RANGE_DAYS_MAX:
        raise OutOfRange(f"Ask for at most {CALENDAR_RANGE_DAYS_MAX} days at once.", field="end")
    membership = request.membership
    scoped = not visibility.is_internal(membership)
    days = selectors.calendar_days(
        request.workspace,
        start,
        end,
        tasks=visibility.workable_tasks(membership) if scoped else None,
        pieces=visibility.visible_pieces(membership) if scoped else None,
    )
    return CalendarOut(
        start=start,
        end=end,
        days=[
            CalendarDayOut(
                date=d.date,
                pieces=[_calendar_piece(p) for p in d.pieces],
                launches=[_calendar_task(t) for t in d.launches],
                due=[_calendar_task(t) for t in d.due],
            )
            for d in days
        ],
    )
