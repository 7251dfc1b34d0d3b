"""The escalations page (open, acknowledged, resolved) with its acknowledge form, and raising
a risk by hand from a campaign or task page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest, found_or_404
from headway.insights.escalation_forms import AcknowledgeForm, RaiseRiskForm
from headway.insights.models import EscalationState
from headway.insights.selectors.escalations import (
    escalation_get,
    escalations_list,
    reason_mid_sentence,
)
from headway.insights.services.escalations import (
    can_acknowledge,
    escalation_acknowledge,
    escalation_raise,
)
from headway.planning.selectors import campaign_get, task_find
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace

RESOLVED_SHOWN = 20


def _page(
    request: WorkspaceRequest,
    workspace: Workspace,
    form: AcknowledgeForm | None = None,
    form_for: int | None = None,
) -> dict[str, object]:
    """The page's three lists; each open escalation the viewer may acknowledge carries its
    own form (`form`, with its errors, for the one just posted)."""
    rows = list(escalations_list(workspace).exclude(state=EscalationState.RESOLVED))
    today = workspace.today()
    for e in rows:
        # the reason it was opened with, joined into "Opened … because …" (empty when the
        # current reason is the same)
        e.opened_reason = reason_mid_sentence(e.opened_because)  # type: ignore[attr-defined]
        can = e.state == EscalationState.OPEN and can_acknowledge(request.membership, e)
        blank = AcknowledgeForm(auto_id=f"ack{e.pk}_%s", initial={"by_date": today})
        e.ack_form = (form if e.pk == form_for else blank) if can else None  # type: ignore[attr-defined]
    resolved = escalations_list(workspace, EscalationState.RESOLVED).order_by("-resolved_at")
    return {
        "workspace": workspace,
        "open": [e for e in rows if e.state == EscalationState.OPEN],
        "acknowledged": [e for e in rows if e.state == EscalationState.ACKNOWLEDGED],
        "resolved": list(resolved[:RESOLVED_SHOWN]),
        "form_for": form_for,
    }


@workspace_view(internal_only=True)
def escalations(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    return render(request, "insights/escalations.html", _page(request, workspace))


@require_POST
@workspace_view(internal_only=True)
def escalation_ack(
    request: WorkspaceRequest, workspace: Workspace, escalation_id: int
) -> HttpResponse:
    esc = escalation_get(workspace, escalation_id)
    if esc is None:
        raise Http404("No such escalation.")
    if not can_acknowledge(request.membership, esc):
        messages.error(request, "Only the campaign owner or a manager can acknowledge this.")
        return redirect("insights:escalations", ws=workspace.slug)
    form = AcknowledgeForm(request.POST, auto_id=f"ack{esc.pk}_%s")
    if form.is_valid():
        try:
            escalation_acknowledge(
                actor=request.user,
                escalation=esc,
                note=form.cleaned_data["note"],
                by_date=form.cleaned_data["by_date"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    if form.errors:
        context = _page(request, workspace, form, form_for=esc.pk)
        return render(request, "insights/escalations.html", context, status=400)
    messages.success(request, "Acknowledged: the team can see what will be done and by when.")
    return redirect("insights:escalations", ws=workspace.slug)


@require_POST
@workspace_view(internal_only=True)
def risk_raise(request: WorkspaceRequest, workspace: Workspace, campaign_id: int) -> HttpResponse:
    campaign = found_or_404(campaign_get, workspace, campaign_id)
    task = None
    if request.POST.get("task"):
        task = task_find(workspace, _int(request.POST["task"]))
        if task is None:
            raise Http404("No such task.")
    form = RaiseRiskForm(request.POST)
    try:
        if not form.is_valid():
            problem = [str(m) for m in form.errors.get("text", [])] or ["Say what the risk is."]
            raise DomainError(" ".join(problem), field="text")
        escalation_raise(
            actor=request.user, campaign=campaign, task=task, text=form.cleaned_data["text"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        owner = campaign.owner.name if campaign.owner else "the campaign owner"
        messages.success(
            request, f"Risk raised: {owner} has been told. Thank you for raising it early."
        )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("insights:escalations", ws=workspace.slug)


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise Http404("No such task.") from None
