import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from django.utils import timezone
from ninja import Router, Schema

from headway.api.schemas import ChoiceStr, Id, RemindHours, RoundCap, SafeStr, StepLimit, Version
from headway.approvals import selectors, services
from headway.approvals.models import ApprovalChain, ApprovalRequest, Decision
from headway.core.bounds import COMMENT_MAX_CHARS
from headway.core.errors import DomainError, Forbidden
from headway.core.http import WorkspaceRequest
from headway.workspaces import visibility

router = Router(tags=["approvals"])


class StepIn(Schema):
    name: Annotated[SafeStr, MaxLen(80)]
    approvers: Annotated[list[Id], MaxLen(100)] = []
    approver_role: ChoiceStr = ""
    backup: Id | None = None
    limit: StepLimit = 2
    limit_unit: Annotated[SafeStr, MaxLen(5)] = "days"
    mode: Annotated[SafeStr, MaxLen(3)] = "any"


class ChainIn(Schema):
    name: Annotated[SafeStr, MaxLen(120)]
    kind: ChoiceStr
    round_cap: RoundCap = 3
    remind_before_hours: RemindHours = 4
    escalate: bool = True
    steps: Annotated[list[StepIn], MaxLen(20)]


class StepOut(Schema):
    position: int
    name: str
    approver_ids: list[int]
    approver_role: str
    backup_id: int | None
    limit: int
    limit_unit: str
    mode: str


class ChainOut(Schema):
    id: int
    name: str
    kind: str
    round_cap: int
    steps: list[StepOut]


class StartIn(Schema):
    chain_id: Id
    # A task whose predecessors are unfinished answers 409 predecessors_not_done unless forced.
    force: bool = False


class DecisionIn(Schema):
    verdict: Annotated[SafeStr, MaxLen(10)]
    comment: Annotated[SafeStr, MaxLen(COMMENT_MAX_CHARS)] = ""
    step: Version | None = None
    round: Version | None = None
    # The approval that would mark a task done before its predecessors answers 409 unless forced.
    force: bool = False


class DecisionOut(Schema):
    id: int
    step: int
    round: int
    approver_id: int | None
    verdict: str
    comment: str
    via_link: bool
    created_at: dt.datetime


class RequestOut(Schema):
    id: int
    task_id: int | None
    piece_id: int | None
    chain_id: int
    step: int
    round: int
    status: str
    waiting_since: dt.datetime
    due_at: dt.datetime
    over_round_cap: bool
    decisions: list[DecisionOut]


class QueueOut(Schema):
    request_id: int
    task_id: int | None
    piece_id: int | None
    task: str
    campaign: str
    step: str
    round: int
    waiting_since: dt.datetime
    due_at: dt.datetime
    waited_hours: float
    overdue: bool
    as_backup: bool


def _chain_out(chain: ApprovalChain) -> ChainOut:
    return ChainOut(
        id=chain.pk,
        name=chain.name,
        kind=chain.kind,
        round_cap=chain.round_cap,
        steps=[
            StepOut(
                position=s.position,
                name=s.name,
                approver_ids=[u.pk for u in s.approvers.all()],
                approver_role=s.approver_role,
                backup_id=s.backup_id,
                limit=s.limit,
                limit_unit=s.limit_unit,
                mode=s.mode,
            )
            for s in chain.steps.all()
        ],
    )


def _request_out(req: ApprovalRequest) -> RequestOut:
    """A request as the API shows it: `over_round_cap` is computed from the chain's cap."""
    return RequestOut(
        id=req.pk,
        task_id=req.task_id,
        piece_id=req.piece_id,
        chain_id=req.chain_id,
        step=req.step,
        round=req.round,
        status=req.status,
        waiting_since=req.waiting_since,
        due_at=req.due_at,
        over_round_cap=req.round > req.chain.round_cap,
        decisions=[DecisionOut.from_orm(d) for d in req.decisions.all()],
    )


def _internal(request: WorkspaceRequest) -> None:
    if not visibility.is_internal(request.membership):
        raise Forbidden("Freelancers and clients cannot see the workspace's approval chains.")


@router.get("/workspaces/{ws}/approval-chains", response=list[ChainOut], summary="Chains")
def chains_list(request: WorkspaceRequest, ws: str) -> list[ChainOut]:
    _internal(request)
    return [_chain_out(c) for c in selectors.workspace_chains(request.workspace)]


@router.post(
    "/workspaces/{ws}/approval-chains",
    response={201: ChainOut},
    summary="Create an approval chain: ordered steps with approvers, backup and time limit",
)
def chains_create(request: WorkspaceRequest, ws: str, payload: ChainIn) -> tuple[int, ChainOut]:
    chain = services.chain_create(
        actor=request.user,
        workspace=request.workspace,
        name=payload.name,
        kind=payload.kind,
        round_cap=payload.round_cap,
        remind_before_hours=payload.remind_before_hours,
        escalate=payload.escalate,
        steps=[services.StepSpec(**s.dict()) for s in payload.steps],
    )
    return 201, _chain_out(chain)


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/approvals",
    response={201: RequestOut},
    summary="Send a task for approval through a chain",
)
def approvals_start(
    request: WorkspaceRequest, ws: str, task_id: int, payload: StartIn
) -> tuple[int, RequestOut]:
    task = visibility.visible_tasks(request.membership).select_related("workspace").get(pk=task_id)
    chain = selectors.chain_find(request.workspace, payload.chain_id)
    if chain is None:
        raise DomainError("No such approval chain in this workspace.", field="chain_id")
    req = services.approval_start(actor=request.user, task=task, chain=chain, force=payload.force)
    return 201, _request_out(req)


@router.post(
    "/workspaces/{ws}/content/{int:piece_id}/approvals",
    response={201: RequestOut},
    summary="Send a content piece for review through a chain",
)
def approvals_start_piece(
    request: WorkspaceRequest, ws: str, piece_id: int, payload: StartIn
) -> tuple[int, RequestOut]:
    pieces = visibility.visible_pieces(request.membership).select_related("workspace")
    piece = pieces.get(pk=piece_id)
    chain = selectors.chain_find(request.workspace, payload.chain_id)
    if chain is None:
        raise DomainError("No such approval chain in this workspace.", field="chain_id")
    req = services.approval_start(actor=request.user, piece=piece, chain=chain)
    return 201, _request_out(req)


@router.get("/workspaces/{ws}/approvals/queue", response=list[QueueOut], summary="Your queue")
def approvals_queue(request: WorkspaceRequest, ws: str) -> list[QueueOut]:
    now = timezone.now()
    return [
        QueueOut(
            request_id=i.request.pk,
            task_id=i.request.task_id,
            piece_id=i.request.piece_id,
            task=i.request.subject_title,
            campaign=i.request.subject_context,
            step=i.step.name,
            round=i.request.round,
            waiting_since=i.request.waiting_since,
            due_at=i.request.due_at,
            waited_hours=round(i.waited.total_seconds() / 3600, 1),
            overdue=i.overdue,
            as_backup=i.as_backup,
        )
        for i in selectors.approval_queue(request.workspace, request.user, now)
    ]


def _get(request: WorkspaceRequest, request_id: int) -> ApprovalRequest:
    """The request if the caller may see it; 404 otherwise, decisions and all."""
    return (
        visibility.visible_approval_requests(request.membership)
        .select_related("chain", "workspace", "task", "piece")
        .get(pk=request_id)
    )


@router.get(
    "/workspaces/{ws}/approvals/{int:request_id}",
    response=RequestOut,
    summary="An approval with its decisions",
)
def approvals_get(request: WorkspaceRequest, ws: str, request_id: int) -> RequestOut:
    return _request_out(_get(request, request_id))


@router.post(
    "/workspaces/{ws}/approvals/{int:request_id}/decisions",
    response={201: DecisionOut},
    summary="Approve, request changes or reject the waiting step (send the step and round "
    "you saw; a step decided meanwhile answers 409)",
)
def approvals_decide(
    request: WorkspaceRequest, ws: str, request_id: int, payload: DecisionIn
) -> tuple[int, Decision]:
    decision = services.approval_decide(
        actor=request.user, request=_get(request, request_id), **payload.dict()
    )
    return 201, decision


@router.post(
    "/workspaces/{ws}/approvals/{int:request_id}/resubmit",
    response=RequestOut,
    summary="Start the next round after changes were requested",
)
def approvals_resubmit(request: WorkspaceRequest, ws: str, request_id: int) -> RequestOut:
    req = services.approval_resubmit(actor=request.user, request=_get(request, request_id))
    return _request_out(req)
