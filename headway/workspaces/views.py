from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from headway.activity.models import Verb
from headway.activity.selectors import EventFilter, events_for_workspace
from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import AuthedRequest, WorkspaceRequest
from headway.core.job_queue import queue_state
from headway.insights.selectors.dashboard import dashboard as dashboard_for
from headway.notifications.sender import notify
from headway.workspaces import selectors, services
from headway.workspaces.access import workspace_view
from headway.workspaces.forms import InvitationForm, RoleForm, WorkspaceForm
from headway.workspaces.links import invitation_url
from headway.workspaces.models import Role, Workspace


@login_required
def workspace_new(request: AuthedRequest) -> HttpResponse:
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ws = services.workspace_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{ws.name} is ready. Invite your team next.")
            return redirect("workspaces:members", ws=ws.slug)
    return render(
        request, "workspaces/new.html", {"form": form}, status=400 if form.errors else 200
    )


@workspace_view()
def dashboard(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    membership = request.membership
    context = {
        "workspace": workspace,
        "board": dashboard_for(membership, timezone.now()),
        "member_count": selectors.members_list(workspace).count(),
        "recent": list(events_for_workspace(workspace)[:8])
        if membership.role_enum.administers
        else [],
        "pending_invitations": selectors.invitations_pending(workspace).count()
        if membership.role_enum.administers
        else 0,
    }
    return render(request, "workspaces/dashboard.html", context)


@workspace_view(internal_only=True)
def members(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    membership = request.membership
    form = InvitationForm(request.POST or None)
    created_link = None
    if request.method == "POST":
        if not membership.role_enum.administers:
            messages.error(request, "Only owners and admins can invite people.")
            return redirect("workspaces:members", ws=workspace.slug)
        if form.is_valid():
            try:
                invitation, raw = services.invitation_create(
                    actor=request.user,
                    workspace=workspace,
                    role=form.cleaned_data["role"],
                    email=form.cleaned_data["email"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                created_link = invitation_url(raw)
                if invitation.email:
                    _send_invitation(request, workspace, invitation.email, created_link)
                form = InvitationForm()
    context = {
        "workspace": workspace,
        "members": selectors.members_list(workspace),
        "invitations": selectors.invitations_pending(workspace)
        if membership.role_enum.administers
        else [],
        "form": form,
        "created_link": created_link,
        "can_admin": membership.role_enum.administers,
        "roles": Role.choices,
    }
    return render(request, "workspaces/members.html", context, status=400 if form.errors else 200)


def _send_invitation(
    request: WorkspaceRequest, workspace: Workspace, email: str, link: str
) -> None:
    inviter = request.user.get_full_name()
    # Sent at once rather than queued, so the raw link (stored only as a digest) is not
    # written to the job table.
    notify(
        recipients=[email],
        workspace=workspace,
        subject=f"{inviter} invited you to {workspace.name} on Headway",
        template="notifications/invitation.txt",
        context={
            "inviter": inviter,
            "workspace": workspace,
            "link": link,
            "start_link": settings.BASE_URL
            + reverse("insights:newcomer", kwargs={"ws": workspace.slug}),
        },
        background=False,
    )


@workspace_view(admin_only=True)
@require_POST
def member_role(request: WorkspaceRequest, workspace: Workspace, member_id: int) -> HttpResponse:
    membership = selectors.member_get(workspace, member_id)
    form = RoleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.membership_change_role(
                actor=request.user,
                membership=membership,
                role=form.cleaned_data["role"],
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = "Choose one of the listed roles."
    if request.htmx:
        membership.refresh_from_db()
        context = {
            "workspace": workspace,
            "m": membership,
            "can_admin": True,
            "row_error": error,
            "roles": Role.choices,
            "row_saved": error is None,
        }
        return render(
            request, "workspaces/members.html#member-row", context, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
    return redirect("workspaces:members", ws=workspace.slug)


@workspace_view(admin_only=True)
def member_remove(request: WorkspaceRequest, workspace: Workspace, member_id: int) -> HttpResponse:
    membership = selectors.member_get(workspace, member_id)
    if request.method == "POST":
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{membership.user} no longer has access to {workspace}.")
        return redirect("workspaces:members", ws=workspace.slug)
    return render(
        request, "workspaces/member_remove.html", {"workspace": workspace, "m": membership}
    )


@workspace_view(admin_only=True)
@require_POST
def invitation_revoke(
    request: WorkspaceRequest, workspace: Workspace, invitation_id: int
) -> HttpResponse:
    invitation = selectors.invitation_get(workspace, invitation_id)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Invitation withdrawn: its link no longer works.")
    return redirect("workspaces:members", ws=workspace.slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Shows an invitation; a signed-in user accepts it, anyone else signs up or logs in first."""
    try:
        invitation = services.invitation_from_token(token)
    except DomainError as exc:
        return render(
            request, "workspaces/invitation_invalid.html", {"error": exc.message}, status=410
        )
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = services.invitation_accept(user=request.user, raw_token=token)
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(
                request, "workspaces/invitation.html", {"invitation": invitation}, status=exc.status
            )
        messages.success(request, f"You joined {membership.workspace.name}.")
        return redirect("workspaces:dashboard", ws=membership.workspace.slug)
    return render(request, "workspaces/invitation.html", {"invitation": invitation})


@workspace_view(admin_only=True)
def background_failures(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """What the worker is doing for this workspace: running, waiting and scheduled jobs, and
    every failure."""
    failures = events_for_workspace(workspace, EventFilter(verb=Verb.TASK_FAILED))[:100]
    context = {
        "workspace": workspace,
        "queue": queue_state(workspace.pk, timezone.now()),
        "failures": failures,
    }
    return render(request, "workspaces/background.html", context)
