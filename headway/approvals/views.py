"""Approval pages: the approver's queue, sending a task for approval, deciding, and the
signed link a founder or client can decide from without hunting for the task."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from headway.approvals import selectors, services
from headway.approvals.forms import ChainForm, StepFormSet
from headway.approvals.models import ApprovalChain, ApprovalRequest, RequestStatus, Verdict
from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest, found_or_404
from headway.core.redirects import next_or
from headway.planning import selectors as planning_selectors
from headway.planning.attachment_files import attachment_response
from headway.planning.services.work_order import PredecessorsNotDone
from headway.planning.views.common import attempt, visible_task
from headway.planning.views.tasks import work_order_confirm
from headway.publishing import selectors as publishing_selectors
from headway.workspaces import visibility
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace

PAGE = 50  # queue items per page, oldest first


@workspace_view()
def queue(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    now = timezone.now()
    total = selectors.queue_requests(workspace, request.user).count()
    page = max(1, int(request.GET["page"])) if request.GET.get("page", "").isdigit() else 1
    pages = max(1, -(-total // PAGE))
    page = min(page, pages)
    items = selectors.approval_queue(
        workspace, request.user, now, offset=(page - 1) * PAGE, limit=PAGE
    )
    chains = visibility.visible_rows(request.membership, ApprovalChain).prefetch_related(
        "steps__approvers", "steps__backup"
    )
    return render(
        request,
        "approvals/queue.html",
        {
            "workspace": workspace,
            "items": items,
            "now": now,
            "chains": chains,
            "internal": visibility.is_internal(request.membership),
            "total": total,
            "page": page,
            "pages": pages,
        },
    )


@workspace_view(internal_only=True)
def chain_new(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """A chain with up to three steps; steps left without a name are skipped."""
    people = planning_selectors.people(workspace)
    form = ChainForm(request.POST or None)
    steps = StepFormSet(request.POST or None, form_kwargs={"people": people}, prefix="step")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        specs = [
            services.StepSpec(
                name=s["name"],
                approvers=s["approvers"],
                approver_role=s["approver_role"],
                backup=s["backup"],
                limit=s["limit"],
                limit_unit=s["limit_unit"],
                mode=s["mode"],
            )
            for s in steps.cleaned_data
            if s and s.get("name")
        ]
        try:
            services.chain_create(
                actor=request.user, workspace=workspace, steps=specs, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Approval chain saved.")
            return redirect("approvals:queue", ws=workspace.slug)
    return render(
        request,
        "approvals/chain_new.html",
        {"workspace": workspace, "form": form, "steps": steps},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@workspace_view()
def start(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    task = visible_task(request, workspace, task_id)
    try:
        _send(request, workspace, {"task": task})
    except PredecessorsNotDone as exc:
        words = ("Send “{}” for approval before what it waits on is done?", "Send anyway")
        return work_order_confirm(request, workspace, exc, words=words)
    return redirect(reverse("planning:task", args=[workspace.slug, task.pk]) + "#approval")


def _send(request: WorkspaceRequest, workspace: Workspace, subject: dict[str, Any]) -> None:
    """Starts the chain chosen in the form for a task or a piece, saying what happened; a
    task sent before its predecessors are done raises PredecessorsNotDone to be confirmed."""
    raw = request.POST.get("chain", "")
    chain = selectors.chain_find(workspace, int(raw)) if raw.isdigit() else None
    if chain is None:
        messages.error(request, "Choose an approval chain.")
        return
    force = bool(request.POST.get("confirm"))
    try:
        services.approval_start(actor=request.user, chain=chain, force=force, **subject)
    except PredecessorsNotDone:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return
    messages.success(request, f"Sent for approval: {chain.name}.")


def _back(request: WorkspaceRequest, fallback: str) -> HttpResponse:
    return redirect(next_or(request, fallback))


@workspace_view()
def request_detail(
    request: WorkspaceRequest, workspace: Workspace, request_id: int
) -> HttpResponse:
    """What an approver is asked to decide: the work, its newest file or link, the waiting
    step and the decisions so far; open to everyone the request is visible to."""
    req = visibility.approval_request_or_404(request.membership, request_id)
    page = selectors.request_page(req, request.user)
    context = {
        "workspace": workspace,
        "page": page,
        "req": req,
        "internal": visibility.is_internal(request.membership),
        "may_resubmit": req.status == RequestStatus.CHANGES_REQUESTED
        and visibility.can_resubmit(request.membership, req),
        "task_visible": req.task_id is not None
        and visibility.visible_tasks(request.membership).filter(pk=req.task_id).exists(),
    }
    return render(request, "approvals/request.html", context)


@require_POST
@workspace_view()
def decide(request: WorkspaceRequest, workspace: Workspace, request_id: int) -> HttpResponse:
    req = visibility.approval_request_or_404(request.membership, request_id)
    verdict = request.POST.get("verdict", "")
    words = dict(Verdict.choices).get(verdict, "decided")

    try:
        services.approval_decide(
            actor=request.user,
            request=req,
            verdict=verdict,
            comment=request.POST.get("comment", ""),
            step=_int(request.POST.get("step")),
            round=_int(request.POST.get("round")),
            force=bool(request.POST.get("confirm")),
        )
    except PredecessorsNotDone as exc:
        internal = visibility.is_internal(request.membership)
        approve = ("Approve “{}” before what it waits on is done?", "Approve anyway")
        return work_order_confirm(request, workspace, exc, words=approve, links=internal)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"You {words} “{req.subject_title}”.")
    return _back(request, reverse("approvals:queue", args=[workspace.slug]))


@require_POST
@workspace_view()
def resubmit(request: WorkspaceRequest, workspace: Workspace, request_id: int) -> HttpResponse:
    req = visibility.approval_request_or_404(request.membership, request_id)
    attempt(
        request,
        lambda: services.approval_resubmit(actor=request.user, request=req),
        "Resubmitted: a new round starts at the first step.",
    )
    if not visibility.is_internal(request.membership):
        return redirect("approvals:request", ws=workspace.slug, request_id=req.pk)
    return redirect(_subject_url(req))


def _subject_url(req: ApprovalRequest) -> str:
    """The team's page of what is being approved, at its approval section."""
    ws = req.workspace.slug
    if req.task_id is not None:
        return reverse("planning:task", args=[ws, req.task_id]) + "#approval"
    return reverse("publishing:piece", args=[ws, req.piece_id]) + "#approval"


@require_POST
@workspace_view(internal_only=True)
def start_piece(request: WorkspaceRequest, workspace: Workspace, piece_id: int) -> HttpResponse:
    piece = found_or_404(publishing_selectors.piece_get, workspace, piece_id)
    _send(request, workspace, {"piece": piece})
    return redirect(reverse("publishing:piece", args=[workspace.slug, piece.pk]) + "#approval")


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@require_http_methods(["GET", "POST"])
def signed_link(request: HttpRequest, token: str) -> HttpResponse:
    """Decide from the emailed link: valid for one person, one step, a limited time, once."""
    try:
        link = services.link_check(token, request.user)
    except DomainError as exc:
        return render(request, "approvals/link.html", {"refused": exc.message}, status=410)
    if request.method == "POST":
        try:
            services.link_decide(
                raw=token,
                verdict=request.POST.get("verdict", ""),
                comment=request.POST.get("comment", ""),
                signed_in=request.user,
                force=bool(request.POST.get("confirm")),
            )
        except PredecessorsNotDone as exc:
            # The approver may not see the plan: the page names the tasks and asks again.
            context = {
                "link": link,
                "error": exc.message,
                "token": token,
                "confirm": True,
                "comment": request.POST.get("comment", ""),
            }
            return render(request, "approvals/link.html", context)
        except DomainError as exc:
            context = {"link": link, "error": exc.message, "token": token}
            return render(request, "approvals/link.html", context, status=400)
        words = dict(Verdict.choices).get(request.POST.get("verdict", ""), "decided")
        return render(request, "approvals/link.html", {"done": words, "link": link})
    attachment = selectors.latest_attachment(link.request)
    context = {"link": link, "token": token, "attachment": attachment}
    return render(request, "approvals/link.html", context)


@require_GET
def signed_link_file(request: HttpRequest, token: str) -> HttpResponseBase:
    """The file the signed link's approver is asked to judge, for as long as the link works:
    the link is the permission, as on the decision page itself."""
    try:
        link = services.link_check(token, request.user)
    except DomainError as exc:
        raise Http404(exc.message) from None
    attachment = selectors.latest_attachment(link.request)
    if attachment is None:
        raise Http404("Nothing is attached to this work yet.")
    return attachment_response(attachment)
