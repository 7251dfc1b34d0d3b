"""Task pages: details with the cascade preview, status, links, checklist, comments, files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from headway.approvals.selectors import approval_context
from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest, found_or_404
from headway.core.redirects import next_or
from headway.core.versioning import StaleEdit
from headway.insights.selectors.health import task_health_reason
from headway.planning import selectors
from headway.planning.attachment_files import attachment_response
from headway.planning.forms import (
    CommentForm,
    DependencyForm,
    StatusForm,
    TaskForm,
)
from headway.planning.models import (
    Dependency,
    Task,
    TaskStatus,
)
from headway.planning.plan_rows import Badges, RowContext, owner_menus, plan_row
from headway.planning.services import attachments as attachment_services
from headway.planning.services import links as link_services
from headway.planning.services import tasks as task_services
from headway.planning.services.schedule import PlanChange, Preview, plan_preview
from headway.planning.services.work_order import PredecessorsNotDone
from headway.planning.suggestions import campaign_suggested_owners
from headway.planning.views.board import board_page
from headway.planning.views.common import (
    attempt,
    task_base,
    task_get,
    visible_task,
)
from headway.workspaces import visibility
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


@require_POST
@workspace_view(internal_only=True)
def task_assign(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    """Sets the one owner from the plan's row; an htmx request gets the row back."""
    task = task_get(workspace, task_id)
    raw = request.POST.get("owner", "")
    error = ""
    try:
        task_services.task_update(
            actor=request.user,
            task=task,
            version=int(request.POST.get("version") or task.version),
            owner=int(raw) if raw.isdigit() else None,
        )
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        today = workspace.today()
        # the suggestion the campaign page gives: weighed with the campaign's other unowned work
        suggested = campaign_suggested_owners(workspace, task.campaign_id)
        row = selectors.task_rows([selectors.task_detail(task.pk, workspace)], today, suggested)[0]
        menus = owner_menus([row], selectors.people(workspace))
        ctx = RowContext(task_base(workspace), get_token(request), True, menus, Badges())
        return HttpResponse(plan_row(row, ctx, error=error, saved=not error))
    if error:
        messages.error(request, error)
    return redirect(reverse("planning:campaign", args=[workspace.slug, task.campaign_id]) + "#plan")


@workspace_view()
def task_detail(
    request: WorkspaceRequest,
    workspace: Workspace,
    task_id: int,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    """The task page; `comment_form` is a refused comment, shown again with its error."""
    visible_task(request, workspace, task_id)
    task = selectors.task_detail(task_id, workspace)
    role = request.membership.role_enum
    people = list(visibility.visible_members(request.membership))
    form = None
    preview = None
    if role.plans:
        form, preview, done = _task_form(
            request, workspace, task, people, edit=comment_form is None
        )
        if done:
            return redirect("planning:task", ws=workspace.slug, task_id=task.pk)
    candidates = selectors.campaign_link_targets(task)
    context = {
        "workspace": workspace,
        "task": task,
        "row": selectors.task_rows([task], workspace.today())[0],
        "form": form,
        "preview": preview,
        "status_form": StatusForm(
            people=people,
            initial={"status": task.status, "version": task.version},
            auto_id="st_%s",
        ),
        "dependency_form": DependencyForm(candidates=candidates, auto_id="dep_%s"),
        "people": people,
        "can_plan": role.plans,
        "statuses": TaskStatus.choices,
        "upload_limit": f"{settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB",
        **approval_context(task),
        **_links_seen(request, task),
        "health_reason": (
            None if role.is_external else task_health_reason(workspace, task.pk, task.campaign_id)
        ),
    }
    status = 200
    if preview is not None and preview.get("stale"):
        status = 409
    elif (form is not None and form.errors) or comment_form is not None:
        status = 400
    context["comment_form"] = comment_form or CommentForm()
    return render(request, "planning/task.html", context, status=status)


def _links_seen(request: WorkspaceRequest, task: Task) -> dict[str, list[Dependency]]:
    """What the task waits on and what waits on it, as far as the viewer may see: the team's
    plan around a freelancer's or client's task stays the team's."""
    before, after = selectors.task_links(task)
    if not visibility.is_internal(request.membership):
        seen = set(visibility.visible_tasks(request.membership).values_list("pk", flat=True))
        before = [d for d in before if d.predecessor_id in seen]
        after = [d for d in after if d.successor_id in seen]
    return {"predecessors": before, "successors": after}


def _task_form(
    request: WorkspaceRequest, workspace: Workspace, task: Task, people: list[Any], edit: bool
) -> tuple[TaskForm, dict[str, Any] | None, bool]:
    """The edit form, bound to the post when `edit` (the post may be another form's)."""
    milestones = selectors.campaign_milestones(task)
    channels = selectors.workspace_channels(workspace)
    initial = {
        "title": task.title,
        "kind": task.kind,
        "owner": task.owner_id,
        "role_needed": task.role_needed,
        "channel": task.channel_id,
        "milestone": task.milestone_id,
        "duration_days": task.duration_days,
        "optimistic_days": task.optimistic_days,
        "likely_days": task.likely_days,
        "pessimistic_days": task.pessimistic_days,
        "effort_hours": task.effort_hours,
        "not_before": task.not_before,
        "version": task.version,
    }
    form = TaskForm(
        (request.POST if edit else None) or None,
        initial=initial,
        people=people,
        channels=channels,
        milestones=milestones,
    )
    if request.method != "POST" or not form.is_valid():
        return form, None, False
    d = dict(form.cleaned_data)
    confirm, version = d.pop("confirm"), d.pop("version") or 0
    if not confirm:
        try:
            preview = task_services.task_edit_preview(task, d)
        except DomainError as exc:
            add_domain_error(form, exc)
            return form, None, False
        if preview is not None and preview.moved:
            return (
                form,
                {"summary": preview.summary(), "moved": preview.moved, "data": request.POST},
                False,
            )
    try:
        task_services.task_update(actor=request.user, task=task, version=version, **d)
    except DomainError as exc:
        add_domain_error(form, exc)
        return form, ({"stale": True} if isinstance(exc, StaleEdit) else None), False
    messages.success(request, "Task saved.")
    return form, None, True


@require_POST
@workspace_view()
def task_status(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    """Moves a task to a status, from the board (drag, or the keyboard's Move menu) or the
    task page; an htmx request from the board gets the board back."""
    task = visible_task(request, workspace, task_id)
    people = list(visibility.visible_members(request.membership))
    form = StatusForm(request.POST, people=people)
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            task_services.task_set_status(
                actor=request.user,
                task=task,
                status=d["status"],
                version=d["version"],
                blocked_reason=d["blocked_reason"],
                blocked_on=d["blocked_on"],
                force=bool(request.POST.get("confirm")),
            )
        except PredecessorsNotDone as exc:
            return work_order_confirm(request, workspace, exc)
        except DomainError as exc:
            error = exc.message
    else:
        error = "Choose a status."
    if request.htmx and request.POST.get("from") == "board":
        return board_page(request, workspace, error=error, moved=task.pk)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"“{task.title}” is now {task.get_status_display().lower()}.")
    return redirect(next_or(request, reverse("planning:task", args=[workspace.slug, task.pk])))


ORDER_WORDS = {
    TaskStatus.IN_PROGRESS: ("Start “{}” before what it waits on is done?", "Start anyway"),
    TaskStatus.IN_REVIEW: ("Send “{}” to review before what it waits on is done?", "Send anyway"),
    TaskStatus.DONE: ("Mark “{}” done before what it waits on is done?", "Mark done anyway"),
}


def work_order_confirm(
    request: WorkspaceRequest,
    workspace: Workspace,
    exc: PredecessorsNotDone,
    *,
    words: tuple[str, str] | None = None,
    links: bool = True,
) -> HttpResponse:
    """Asks before a task moves on while the tasks it follows are unfinished, naming each
    (with a link when the viewer may open it); confirming repeats the same post, cancelling
    goes back where it came from. `words` are the heading (with a {} for the title) and the
    button, when the move is not a plain status change."""
    task = exc.task
    heading, label = words or ORDER_WORDS[TaskStatus(exc.target)]
    order = {
        "heading": heading.format(task.title),
        "sentence": exc.message,
        "waiting": exc.waiting,
        "links": links,
        "action": request.path,
        "form_data": request.POST,
        "confirm_label": label,
        "cancel_url": next_or(request, reverse("planning:task", args=[workspace.slug, task.pk])),
    }
    if request.htmx and request.POST.get("from") == "board":
        return board_page(request, workspace, order=order, moved=task.pk)
    context = {"workspace": workspace, "task": task, "order": order}
    return render(request, "planning/confirm_start.html", context)


@require_POST
@workspace_view(internal_only=True)
def dependency_add(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    """Adds "waits on" to a task, after showing what it moves and asking to confirm."""
    task = task_get(workspace, task_id)
    # Only the chosen task is loaded: any other task of the workspace is a valid choice.
    raw = request.POST.get("predecessor", "")
    found = selectors.task_find(workspace, int(raw)) if raw.isdigit() else None
    candidates = [found] if found is not None and found.pk != task.pk else []
    form = DependencyForm(request.POST, candidates=candidates)
    url = reverse("planning:task", args=[workspace.slug, task.pk])
    if not form.is_valid() or found is None:
        messages.error(request, "Choose the task it waits on, a link type and a whole-day lag.")
        return redirect(url)
    d = form.cleaned_data
    predecessor = found
    try:
        link = link_services.link_check(predecessor, task, d["type"], d["lag"])
        if not d["confirm"] and predecessor.campaign_id == task.campaign_id:
            preview = plan_preview(task.campaign, PlanChange(link=link))
            if preview.moved:
                kind = link.type + (f", {link.lag:+d} working days" if link.lag else "")
                return _confirm(
                    request,
                    workspace,
                    task,
                    preview,
                    heading="Add this link?",
                    sentence=f"“{task.title}” would wait on “{predecessor.title}” ({kind}).",
                    confirm_label="Add link and move dates",
                )
        link_services.dependency_add(
            actor=request.user,
            predecessor=predecessor,
            successor=task,
            type=d["type"],
            lag=d["lag"],
        )
        messages.success(request, f"“{task.title}” now waits on “{predecessor.title}”.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(url)


@require_POST
@workspace_view(internal_only=True)
def dependency_remove(
    request: WorkspaceRequest, workspace: Workspace, dependency_id: int
) -> HttpResponse:
    dep = found_or_404(selectors.dependency_get, workspace, dependency_id)
    task = dep.successor
    if not request.POST.get("confirm") and dep.predecessor.campaign_id == task.campaign_id:
        change = PlanChange(remove_link=(dep.predecessor_id, dep.successor_id))
        preview = plan_preview(task.campaign, change)
        if preview.moved:
            return _confirm(
                request,
                workspace,
                task,
                preview,
                heading="Remove this link?",
                sentence=f"“{task.title}” would no longer wait on “{dep.predecessor.title}”.",
                confirm_label="Remove link and move dates",
            )
    attempt(
        request,
        lambda: link_services.dependency_remove(actor=request.user, dependency=dep),
        "Link removed; dates recomputed.",
    )
    return redirect("planning:task", ws=workspace.slug, task_id=dep.successor_id)


def _confirm(
    request: WorkspaceRequest,
    workspace: Workspace,
    task: Task,
    preview: Preview,
    **words: str,
) -> HttpResponse:
    """A page that shows what a change moves, and resubmits it confirmed, or cancels."""
    context = {
        "workspace": workspace,
        "task": task,
        "preview": preview,
        "form_data": request.POST,
        "action": request.path,
        **words,
    }
    return render(request, "planning/confirm_change.html", context)


@require_POST
@workspace_view()
def checklist_add(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    task = visible_task(request, workspace, task_id)
    attempt(
        request,
        lambda: task_services.checklist_add(
            actor=request.user, task=task, text=request.POST.get("text", "")
        ),
    )
    return redirect("planning:task", ws=workspace.slug, task_id=task.pk)


@require_POST
@workspace_view()
def checklist_toggle(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    task = visible_task(request, workspace, task_id)
    raw = request.POST.get("item", "")
    item = found_or_404(selectors.checklist_item_get, task, int(raw) if raw.isdigit() else 0)
    attempt(request, lambda: task_services.checklist_toggle(actor=request.user, item=item))
    return redirect("planning:task", ws=workspace.slug, task_id=task.pk)


@require_POST
@workspace_view()
def comment_add(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponseBase:
    """Adds a comment; a refused one comes back in the task page's box with the reason, so
    nothing typed is lost."""
    task = visible_task(request, workspace, task_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            task_services.comment_add(actor=request.user, task=task, body=form.cleaned_data["body"])
            return redirect(reverse("planning:task", args=[workspace.slug, task.pk]) + "#comments")
        except DomainError as exc:
            add_domain_error(form, exc)
    return task_detail(request, workspace.slug, task_id=task.pk, comment_form=form)


@require_POST
@workspace_view()
def attachment_add(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    task = visible_task(request, workspace, task_id)
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            attachment_services.attachment_add_file(actor=request.user, task=task, upload=upload)
        elif request.POST.get("url"):
            attachment_services.attachment_add_link(
                actor=request.user,
                task=task,
                url=request.POST["url"],
                name=request.POST.get("name", ""),
            )
        else:
            raise DomainError("Choose a file, or paste a link.", field="file")
        messages.success(request, "Attached.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("planning:task", args=[workspace.slug, task.pk]) + "#attachments")


@workspace_view()
def attachment_open(
    request: WorkspaceRequest, workspace: Workspace, attachment_id: int
) -> HttpResponseBase:
    """Serves an attachment to someone who may see its task."""
    attachment = found_or_404(selectors.attachment_get, workspace, attachment_id)
    visible_task(request, workspace, attachment.task_id)
    return attachment_response(attachment)


@require_POST
@workspace_view()
def attachment_remove(
    request: WorkspaceRequest, workspace: Workspace, attachment_id: int
) -> HttpResponse:
    attachment = found_or_404(selectors.attachment_get, workspace, attachment_id)
    visible_task(request, workspace, attachment.task_id)
    attempt(
        request,
        lambda: attachment_services.attachment_remove(actor=request.user, attachment=attachment),
        "Attachment removed.",
    )
    return redirect(
        reverse("planning:task", args=[workspace.slug, attachment.task_id]) + "#attachments"
    )


@require_POST
@workspace_view(internal_only=True)
def task_remove(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    """Deletes a task after the confirmation on its page; the plan is redated."""
    task = task_get(workspace, task_id)
    campaign_id = task.campaign_id
    done = attempt(
        request,
        lambda: task_services.task_delete(actor=request.user, task=task),
        f"“{task.title}” deleted; the plan was redated.",
    )
    if not done:
        return redirect("planning:task", ws=workspace.slug, task_id=task_id)
    return redirect(reverse("planning:campaign", args=[workspace.slug, campaign_id]) + "#plan")
