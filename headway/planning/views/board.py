"""The board by status and each person's My work."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse

from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.models import TaskStatus
from headway.planning.plan_rows import Badges, CardContext, board_cards
from headway.planning.views.common import task_base
from headway.workspaces import visibility
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def board_page(request: WorkspaceRequest, workspace: Workspace, **extra: Any) -> HttpResponse:
    """The board, each column's first page of cards with its full count. A GET naming a
    `column` and an `offset` is "show more": htmx gets the next cards of that column, a
    plain request the whole board with that column shown down to them."""
    today = workspace.today()
    filters = selectors.filters_from(request.GET, selectors.BoardFilter)
    viewer = request.membership
    within = None if visibility.is_internal(viewer) else visibility.workable_tasks(viewer)
    more = _show_more(request)
    query = urlencode({k: v for k, v in asdict(filters).items() if v})
    here = reverse("planning:board", args=[workspace.slug])
    cards = CardContext(
        task_base=task_base(workspace),
        csrf_token=get_token(request),
        query=query,
        here=request.get_full_path() if not request.htmx else f"{here}?{query}",
        moved=extra.get("moved"),
        badges=Badges(),
    )
    paging: dict[str, Any] = {"board_url": here, "filter_query": f"{query}&" if query else ""}
    if more and request.htmx:
        status, offset, skip = more
        column = selectors.board_column(
            workspace, today, filters, status, offset, within=within, skip=skip
        )
        ((column, page),) = board_cards([column], cards)
        partial: dict[str, Any] = {"column": column, "cards": page, "skip": skip, **paging}
        return render(request, "planning/board.html#column-page", partial)
    limits = {more[0].value: more[1] + selectors.BOARD_PAGE} if more else None
    columns = selectors.board_columns(
        workspace, today, filters, within=within, limits=limits, pinned=extra.get("moved")
    )
    context: dict[str, Any] = {
        "workspace": workspace,
        "columns": board_cards(columns, cards),
        "filters": filters,
        "people": visibility.visible_members(viewer),
        "channels": selectors.workspace_channels(workspace),
        "campaigns": visibility.visible_campaigns(viewer).only("pk", "name"),
        "statuses": TaskStatus.choices,
        "today": today,
        **paging,
        **extra,
    }
    template = "planning/board.html#board" if request.htmx else "planning/board.html"
    return render(request, template, context)


OFFSET_MAX = 1_000_000  # far beyond any board; keeps the number a database can hold


def _show_more(request: WorkspaceRequest) -> tuple[TaskStatus, int, int | None] | None:
    """The column, offset and pinned card a "show more" GET asks for; None for anything
    else (a malformed value is ignored, as the filters' are)."""
    if request.method != "GET":
        return None
    column, offset = request.GET.get("column", ""), request.GET.get("offset", "")
    if column not in TaskStatus.values or not _number(offset) or int(offset) > OFFSET_MAX:
        return None
    skip = request.GET.get("skip", "")
    return TaskStatus(column), int(offset), int(skip) if _number(skip) else None


def _number(raw: str) -> bool:
    """A whole number in ASCII digits that a 64-bit column holds."""
    return raw.isascii() and raw.isdigit() and len(raw) < 19


@workspace_view()
def board(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    visibility.require_task_work(request.membership)
    return board_page(request, workspace)


@workspace_view()
def my_work(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    today = workspace.today()
    rows = selectors.my_work(workspace, request.user, today)
    if not visibility.is_internal(request.membership):
        # who waits on a freelancer's work is the team's plan: they see how many, not what
        seen = set(visibility.visible_tasks(request.membership).values_list("pk", flat=True))
        for r in rows:
            r.waited_by_hidden = sum(1 for s in r.waited_by if s.pk not in seen)
            r.waited_by = [s for s in r.waited_by if s.pk in seen]
    return render(
        request,
        "planning/my_work.html",
        {"workspace": workspace, "rows": rows, "today": today},
    )
