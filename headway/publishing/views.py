"""Publishing pages: the editorial pipeline, the calendar with coverage, and iCal feeds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from headway.approvals.selectors import approval_context
from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest, found_or_404
from headway.core.redirects import next_or
from headway.core.versioning import StaleEdit
from headway.planning import selectors as planning_selectors
from headway.planning.services.campaigns import campaign_update
from headway.planning.services.schedule import launch_preview
from headway.planning.views.common import attempt
from headway.publishing import feeds, selectors, services
from headway.publishing.calendar_cells import Bases, cells
from headway.publishing.forms import PieceForm
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def _month(raw: str, today: dt.date) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in raw.split("-"))
        dt.date(year, month, 1)
        return year, month
    except (ValueError, TypeError):
        return today.year, today.month


@workspace_view(internal_only=True)
def calendar(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Month view across channels and campaigns, with coverage of the next 14 days."""
    today = workspace.today()
    week_view = request.GET.get("view") == "week"
    year, month = _month(request.GET.get("month", ""), today)
    first = dt.date(year, month, 1)
    prev = (first - dt.timedelta(days=1)).replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    monday = _monday(request.GET.get("week", ""), today)
    feeds_list = selectors.live_feeds(workspace, request.user)
    if week_view:
        weeks = [selectors.week_row(workspace, monday)]
    else:
        weeks = selectors.month_grid(workspace, year, month)
    bases = Bases(
        piece=reverse("publishing:piece", args=[workspace.slug, 1]).removesuffix("1/"),
        campaign=reverse("planning:campaign", args=[workspace.slug, 1]).removesuffix("1/"),
        launch=reverse("publishing:launch-move", args=[workspace.slug, 1]).removesuffix(
            "1/launch/move/"
        ),
    )
    context = {
        "workspace": workspace,
        "weeks": cells(weeks, bases, workspace.tzinfo),
        "month": first,
        "prev": f"{prev:%Y-%m}",
        "next": f"{nxt:%Y-%m}",
        "today": today,
        "coverage": selectors.coverage(workspace, today),
        "feeds": feeds_list,
        "new_feed": request.session.pop("new_feed_url", ""),
        "week_view": week_view,
        "monday": monday,
        "prev_week": f"{monday - dt.timedelta(days=7):%Y-%m-%d}",
        "next_week": f"{monday + dt.timedelta(days=7):%Y-%m-%d}",
    }
    return render(request, "publishing/calendar.html", context)


def _monday(raw: str, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = today
    return day - dt.timedelta(days=day.weekday())


@require_POST
@workspace_view(internal_only=True)
def piece_move(request: WorkspaceRequest, workspace: Workspace, piece_id: int) -> HttpResponse:
    """Moves a piece to another day at the same time of day (dragging on the calendar)."""
    piece = found_or_404(selectors.piece_get, workspace, piece_id)
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        messages.error(request, "Choose the day to move the piece to.")
        return redirect("publishing:calendar", ws=workspace.slug)
    local = (
        timezone.localtime(piece.publish_at, workspace.tzinfo).time()
        if piece.publish_at
        else dt.time(9)
    )
    slot = dt.datetime.combine(day, local, workspace.tzinfo)
    attempt(
        request,
        lambda: services.piece_update(
            actor=request.user,
            piece=piece,
            version=int(request.POST.get("version") or 0),
            publish_at=slot,
        ),
        f"“{piece.title}” moved to {day:%A %-d %B}.",
    )
    return redirect(next_or(request, reverse("publishing:calendar", args=[workspace.slug])))


@require_POST
@workspace_view(internal_only=True)
def launch_move(request: WorkspaceRequest, workspace: Workspace, campaign_id: int) -> HttpResponse:
    """Moves a campaign's launch date from the calendar, after showing what it moves."""
    campaign = found_or_404(planning_selectors.campaign_get, workspace, campaign_id)
    back = next_or(request, reverse("publishing:calendar", args=[workspace.slug]))
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        messages.error(request, "Choose the day to move the launch to.")
        return redirect(back)
    if not request.POST.get("confirm"):
        context = {
            "workspace": workspace,
            "campaign": campaign,
            "day": day,
            "preview": launch_preview(campaign, day),
            "form_data": request.POST,
            "back": back,
        }
        return render(request, "publishing/confirm_launch.html", context)
    attempt(
        request,
        lambda: campaign_update(
            actor=request.user,
            campaign=campaign,
            version=int(request.POST.get("version") or 0),
            launch_date=day,
        ),
        f"The launch of {campaign.name} is now {day:%A %-d %B}.",
    )
    return redirect(back if back.startswith("/w/") else "/")


@workspace_view(internal_only=True)
def pipeline(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    people = planning_selectors.people(workspace)
    form = PieceForm(request.POST or None, workspace=workspace, people=people, auto_id="piece_%s")
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.piece_create(actor=request.user, workspace=workspace, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Added to the pipeline.")
            return redirect("publishing:pipeline", ws=workspace.slug)
    return render(
        request,
        "publishing/pipeline.html",
        {"workspace": workspace, "columns": selectors.pipeline(workspace), "form": form},
        status=400 if form.errors else 200,
    )


@workspace_view(internal_only=True)
def piece_edit(request: WorkspaceRequest, workspace: Workspace, piece_id: int) -> HttpResponse:
    piece = found_or_404(selectors.piece_get, workspace, piece_id)
    people = planning_selectors.people(workspace)
    initial = {
        "title": piece.title,
        "kind": piece.kind,
        "channel": piece.channel_id,
        "stage": piece.stage,
        "owner": piece.owner_id,
        "campaign": piece.campaign_id,
        "publish_at": timezone.localtime(piece.publish_at, workspace.tzinfo).strftime(
            "%Y-%m-%dT%H:%M"
        )
        if piece.publish_at
        else None,
        "version": piece.version,
    }
    form = PieceForm(request.POST or None, workspace=workspace, people=people, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        if data["publish_at"] is not None and timezone.is_naive(data["publish_at"]):
            data["publish_at"] = data["publish_at"].replace(tzinfo=workspace.tzinfo)
        try:
            services.piece_update(actor=request.user, piece=piece, version=version, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
            stale = isinstance(exc, StaleEdit)
        else:
            messages.success(request, "Saved.")
            return redirect("publishing:pipeline", ws=workspace.slug)
    context = {"workspace": workspace, "piece": piece, "form": form}
    context |= approval_context(piece=piece)
    status = 409 if stale else 400 if form.errors else 200
    return render(request, "publishing/piece.html", context, status=status)


@require_POST
@workspace_view()
def feed_add(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    def run() -> Any:
        _, raw = services.feed_create(
            actor=request.user,
            workspace=workspace,
            personal=request.POST.get("scope") != "workspace",
        )
        request.session["new_feed_url"] = request.build_absolute_uri(
            reverse("publishing:feed", args=[raw])
        )

    attempt(request, run)
    return redirect("publishing:calendar", ws=workspace.slug)


@require_POST
@workspace_view()
def feed_revoke(request: WorkspaceRequest, workspace: Workspace, feed_id: int) -> HttpResponse:
    feed = found_or_404(selectors.feed_get, workspace, feed_id)
    attempt(
        request,
        lambda: services.feed_revoke(actor=request.user, feed=feed),
        "Feed address revoked: calendars subscribed to it stop updating.",
    )
    return redirect("publishing:calendar", ws=workspace.slug)


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCal document behind a secret address (no sign-in: the address is the secret)."""
    found = feeds.feed_for_token(token)
    if found is None:
        raise Http404("No such calendar feed, or it was revoked.")
    body = feeds.feed_ics(found, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
