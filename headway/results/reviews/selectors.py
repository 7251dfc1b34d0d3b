"""Reads for reviews: the list by due, overdue and completed, one review with its campaign's
targets against actuals and its execution facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from headway.results.execution import ExecutionFacts, campaign_execution_facts
from headway.results.report import Line
from headway.results.reviews.models import Review, ReviewStatus
from headway.results.selectors import campaign_results
from headway.workspaces.models import Workspace


@dataclass(frozen=True)
class ReviewLists:
    overdue: list[Review]
    due: list[Review]
    completed: list[Review]


def _reviews(workspace: Workspace) -> QuerySet[Review]:
    return Review.objects.filter(workspace=workspace).select_related(
        "campaign", "completed_by", "edited_by", "workspace"
    )


def reviews_by_state(workspace: Workspace, today: dt.date) -> ReviewLists:
    """Open reviews split at today (overdue: due before today), and completed ones newest
    first (two queries)."""
    open_ = list(_reviews(workspace).filter(status=ReviewStatus.DUE).order_by("due_date", "id"))
    completed = list(
        _reviews(workspace).filter(status=ReviewStatus.COMPLETED).order_by("-completed_at", "-id")
    )
    return ReviewLists(
        overdue=[r for r in open_ if r.due_date < today],
        due=[r for r in open_ if r.due_date >= today],
        completed=completed,
    )


def reviews_list(
    workspace: Workspace, state: str = "", today: dt.date | None = None
) -> list[Review]:
    """Reviews in one state ('due', 'overdue', 'completed'), or all by due date."""
    qs = _reviews(workspace)
    day = today or workspace.today()
    if state == "completed":
        return list(qs.filter(status=ReviewStatus.COMPLETED).order_by("-completed_at", "-id"))
    if state == "due":
        return list(qs.filter(status=ReviewStatus.DUE, due_date__gte=day))
    if state == "overdue":
        return list(qs.filter(status=ReviewStatus.DUE, due_date__lt=day))
    return list(qs)


def review_get(workspace: Workspace, review_id: int) -> Review:
    """The review (Review.DoesNotExist when it is not in the workspace)."""
    return _reviews(workspace).get(pk=review_id)


def review_results(review: Review) -> Line | None:
    """The campaign's imported results against its brief's targets, over every row matched to
    it (the report's own arithmetic and currency conversion, each month's money converted
    with that month's rate and stated); None when it has neither rows nor targets."""
    return campaign_results(review.workspace, review.campaign_id, review.campaign.name)


def review_execution(review: Review) -> ExecutionFacts | None:
    """The campaign's execution facts: launched late or not, approval waits and on whom,
    revision rounds, days blocked, tasks finished in the final two working days."""
    return campaign_execution_facts(review.workspace, [review.campaign_id]).get(review.campaign_id)
