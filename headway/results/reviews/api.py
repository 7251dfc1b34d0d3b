"""Reviews and learnings over the API: list and read reviews, complete one, add and search
learnings. The team's only: freelancers and clients get 403 (404 for a review by id)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from annotated_types import MaxLen
from ninja import Query, Router, Schema
from pydantic import Field

from headway.api.schemas import ChoiceStr, Id, LongText, SafeStr
from headway.core.http import WorkspaceRequest
from headway.planning.api.lookups import internal_only
from headway.results import learnings as library
from headway.results.currency import report_currency
from headway.results.reviews import selectors, services
from headway.results.reviews.models import REVIEW_AFTER_DAYS_MAX, Learning, Review

router = Router(tags=["reviews"])


class ReviewTargetOut(Schema):
    name: str
    target: Decimal
    at_least: bool
    unit: str
    actual: Decimal | None
    met: bool | None
    gap_percent: int | None


class ReviewExecutionOut(Schema):
    late_days: int
    approval_days: float
    approvals_waited_on: list[str]
    revision_rounds: int
    blocked_days: float
    tasks_done: int
    tasks_in_final_window: int


class ReviewOut(Schema):
    id: int
    campaign: int
    campaign_name: str
    launched_on: dt.date
    due_date: dt.date
    status: str
    overdue: bool
    verdict: str
    delivered: str
    learned: str
    differently: str
    completed_by: int | None
    completed_at: dt.datetime | None
    edited_by: int | None = Field(description="Who last changed the answers once completed")
    edited_at: dt.datetime | None


class ReviewDetailOut(ReviewOut):
    can_answer: bool = Field(
        description="Whether you may complete the review or change its answers (owners, "
        "admins, managers and the campaign's owner)"
    )
    results_shown: bool = Field(
        description="False for members: results (spend, revenue, leads) are for planners only"
    )
    targets: list[ReviewTargetOut]
    #: of the actuals' money (a cost per lead, spend or revenue target); "" when not shown
    currency: str = ""
    execution: ReviewExecutionOut | None


class ReviewCompleteIn(Schema):
    verdict: ChoiceStr
    delivered: LongText
    learned: LongText
    differently: LongText


class LearningIn(Schema):
    text: LongText
    review: Id | None = None
    channel: Id | None = None
    template: Id | None = None
    audience: Annotated[SafeStr, MaxLen(80)] = ""
    work_kind: ChoiceStr = ""


class LearningOut(Schema):
    id: int
    text: str
    review: int | None
    channel: str | None
    template: int | None
    template_name: str | None
    audience: str
    work_kind: str
    applied_change: str
    created_at: dt.datetime


class LearningQuery(Schema):
    q: Annotated[SafeStr, MaxLen(library.QUERY_MAX_CHARS)] = ""
    channel: Id | None = None
    template: Id | None = None
    work_kind: ChoiceStr = ""


def _review_out(review: Review, today: dt.date) -> dict[str, Any]:
    return {
        "id": review.pk,
        "campaign": review.campaign_id,
        "campaign_name": review.campaign.name,
        "launched_on": review.launched_on,
        "due_date": review.due_date,
        "status": review.status,
        "overdue": not review.is_completed and review.due_date < today,
        "verdict": review.verdict,
        "delivered": review.delivered,
        "learned": review.learned,
        "differently": review.differently,
        "completed_by": review.completed_by_id,
        "completed_at": review.completed_at,
        "edited_by": review.edited_by_id,
        "edited_at": review.edited_at,
    }


def _detail(review: Review, request: WorkspaceRequest) -> ReviewDetailOut:
    # Results carry spend and revenue: like the results report, only planners see them.
    shown = request.membership.role_enum.plans
    line = selectors.review_results(review) if shown else None
    facts = selectors.review_execution(review)
    execution = None
    if facts is not None:
        execution = ReviewExecutionOut(
            late_days=facts.late_days,
            approval_days=facts.approval_days,
            approvals_waited_on=[a.person for a in facts.approvals],
            revision_rounds=facts.revision_rounds,
            blocked_days=facts.blocked_days,
            tasks_done=facts.tasks_done,
            tasks_in_final_window=facts.tasks_in_final_window,
        )
    targets = [
        ReviewTargetOut(
            name=t.name,
            target=t.target,
            at_least=t.at_least,
            unit=t.unit,
            actual=t.actual,
            met=t.met,
            gap_percent=t.gap_percent,
        )
        for t in (line.targets if line else [])
    ]
    return ReviewDetailOut(
        **_review_out(review, review.workspace.today()),
        results_shown=shown,
        can_answer=services.can_answer(request.membership, review),
        targets=targets,
        currency=(line.currency or report_currency(review.workspace)) if line else "",
        execution=execution,
    )


def _learning_out(learning: Learning) -> LearningOut:
    return LearningOut(
        id=learning.pk,
        text=learning.text,
        review=learning.review_id,
        channel=learning.channel.key if learning.channel else None,
        template=learning.template_id,
        template_name=learning.template.name if learning.template else None,
        audience=learning.audience,
        work_kind=learning.work_kind,
        applied_change=learning.applied_change,
        created_at=learning.created_at,
    )


@router.get(
    "/workspaces/{ws}/reviews",
    response=list[ReviewOut],
    summary="Post-campaign reviews; `state` is due, overdue or completed (all when omitted)",
)
def reviews_list(
    request: WorkspaceRequest,
    ws: str,
    state: Literal["", "due", "overdue", "completed"] = "",
) -> list[ReviewOut]:
    internal_only(request)
    today = request.workspace.today()
    return [
        ReviewOut(**_review_out(r, today))
        for r in selectors.reviews_list(request.workspace, state, today)
    ]


@router.get(
    "/workspaces/{ws}/reviews/{review_id}",
    response=ReviewDetailOut,
    summary="A review with its brief's targets against actuals and the execution facts",
)
def reviews_get(request: WorkspaceRequest, ws: str, review_id: int) -> ReviewDetailOut:
    internal_only(request)
    return _detail(selectors.review_get(request.workspace, review_id), request)


@router.post(
    "/workspaces/{ws}/reviews/{review_id}/complete",
    response=ReviewDetailOut,
    summary="Completes a review with its three answers (again: edits them); owners, admins, "
    "managers and the campaign's owner only (403 for other members)",
)
def reviews_complete(
    request: WorkspaceRequest, ws: str, review_id: int, payload: ReviewCompleteIn
) -> ReviewDetailOut:
    internal_only(request)
    review = selectors.review_get(request.workspace, review_id)
    services.review_complete(actor=request.user, review=review, **payload.dict())
    return _detail(review, request)


@router.get(
    "/workspaces/{ws}/learnings",
    response=list[LearningOut],
    summary="Learnings, searched in full text (`q`: every word, as a prefix) and by tags",
)
def learnings_list(
    request: WorkspaceRequest, ws: str, filters: Query[LearningQuery]
) -> list[LearningOut]:
    internal_only(request)
    found = library.learnings_search(
        request.workspace,
        library.LearningFilters(
            query=filters.q,
            channel_id=filters.channel,
            template_id=filters.template,
            work_kind=filters.work_kind,
        ),
    )
    return [_learning_out(learning) for learning in found]


@router.post(
    "/workspaces/{ws}/learnings",
    response={201: LearningOut},
    summary="A learning, tagged by channel, audience, template and kind of work",
)
def learnings_create(
    request: WorkspaceRequest, ws: str, payload: LearningIn
) -> tuple[int, LearningOut]:
    internal_only(request)
    review = selectors.review_get(request.workspace, payload.review) if payload.review else None
    learning = services.learning_add(
        actor=request.user,
        workspace=request.workspace,
        review=review,
        text=payload.text,
        channel_id=payload.channel,
        template_id=payload.template,
        audience=payload.audience,
        work_kind=payload.work_kind,
    )
    return 201, _learning_out(learning)


class ReviewSettingsOut(Schema):
    review_after_days: int


class ReviewSettingsIn(Schema):
    review_after_days: Annotated[int, Field(ge=1, le=REVIEW_AFTER_DAYS_MAX)]


@router.get(
    "/workspaces/{ws}/review-settings",
    response=ReviewSettingsOut,
    summary="How many days after launch a campaign's review falls due",
)
def review_settings_get(request: WorkspaceRequest, ws: str) -> ReviewSettingsOut:
    internal_only(request)
    return ReviewSettingsOut(review_after_days=services.review_after_days(request.workspace))


@router.put(
    "/workspaces/{ws}/review-settings",
    response=ReviewSettingsOut,
    summary="Sets how many days after launch reviews fall due (owners, admins and managers)",
)
def review_settings_put(
    request: WorkspaceRequest, ws: str, payload: ReviewSettingsIn
) -> ReviewSettingsOut:
    internal_only(request)
    days = services.review_settings_set(
        actor=request.user, workspace=request.workspace, review_after_days=payload.review_after_days
    )
    return ReviewSettingsOut(review_after_days=days)
