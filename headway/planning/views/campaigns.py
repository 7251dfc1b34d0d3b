"""Campaign pages: the list, a new campaign, the brief and plan, readiness, metrics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest, found_or_404
from headway.core.versioning import StaleEdit
from headway.insights.selectors.health import HealthView, campaign_health, campaign_health_map
from headway.planning import selectors
from headway.planning.forms import (
    BriefForm,
    CampaignStatusForm,
    ChannelForm,
    ConditionForm,
    FromTemplateForm,
    MetricForm,
    QuickTaskForm,
    SaveTemplateForm,
)
from headway.planning.gantt import gantt_svg, gantt_window
from headway.planning.models import (
    Campaign,
    CampaignStatus,
    Task,
)
from headway.planning.plan_rows import Badges, RowContext, owner_menus, plan_groups
from headway.planning.services import campaigns as campaign_services
from headway.planning.services import links as link_services
from headway.planning.services import tasks as task_services
from headway.planning.services import templates as template_services
from headway.planning.suggestions import suggested_owners
from headway.planning.views.common import (
    attempt,
    campaign_get,
    task_base,
)
from headway.results.selectors import campaign_underperformance
from headway.workspaces import visibility
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


@workspace_view(internal_only=True)
def campaigns(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    today = workspace.today()
    filters = selectors.filters_from(request.GET, selectors.CampaignFilter)
    rows = list(selectors.campaigns_list(workspace, today, filters))
    selectors.conditions_at_risk(rows, today)
    health = campaign_health_map(workspace, [c.pk for c in rows])
    for c in rows:
        c.health_view = health.get(c.pk)  # type: ignore[attr-defined]
    context = {
        "workspace": workspace,
        "campaigns": rows,
        "filters": filters,
        "channels": selectors.workspace_channels(workspace),
        "people": selectors.people(workspace),
        "statuses": CampaignStatus.choices,
        "today": today,
        "can_plan": visibility.can_plan(request.membership),
        "channel_form": ChannelForm(auto_id="channel_%s"),
    }
    return render(request, "planning/campaigns.html", context)


@workspace_view(internal_only=True)
def campaign_new(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    if not visibility.can_plan(request.membership):
        # the page itself, not only its post: a form a member cannot send is a dead end
        raise PermissionDenied(visibility.PLANNERS_ONLY)
    people = selectors.people(workspace)
    data = request.POST if request.method == "POST" else None
    from_template = FromTemplateForm(
        data if request.POST.get("mode") == "template" else None,
        workspace=workspace,
        people=people,
        initial={"template": request.GET.get("template")},
        auto_id="tpl_%s",
        me=request.user,
    )
    blank = BriefForm(
        data if request.POST.get("mode") == "blank" else None,
        workspace=workspace,
        people=people,
        me=request.user,
        initial={"owner": request.user.pk},
    )
    form = from_template if request.POST.get("mode") == "template" else blank
    if request.method == "POST" and form.is_valid():
        try:
            campaign = _create(request, workspace, form)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("planning:campaign", ws=workspace.slug, campaign_id=campaign.pk)
    return render(
        request,
        "planning/campaign_new.html",
        {"workspace": workspace, "template_form": from_template, "blank_form": blank},
        status=400 if form.errors else 200,
    )


def _create(request: WorkspaceRequest, workspace: Workspace, form: Any) -> Campaign:
    d = form.cleaned_data
    if isinstance(form, FromTemplateForm):
        campaign = template_services.campaign_start(
            actor=request.user,
            workspace=workspace,
            template_id=d["template"].pk,
            name=d["name"],
            launch_date=d["launch_date"],
            owner=d["owner"] or request.user.pk,
            assign_suggested=d["assign_suggested"],
        )
        if campaign.short_by:
            messages.warning(
                request,
                f"The launch date is {campaign.short_by} working day"
                f"{'s' if campaign.short_by != 1 else ''} too early for this plan. "
                "Move the launch, shorten tasks, or overlap them.",
            )
        else:
            messages.success(request, "Planned backward from the launch date; it is feasible.")
        return campaign
    brief = {k: v for k, v in d.items() if k not in ("channels", "version")}
    return template_services.campaign_start(
        actor=request.user, workspace=workspace, channels=list(d["channels"]), **brief
    )


@workspace_view(internal_only=True)
def campaign_detail(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    campaign = campaign_get(workspace, campaign_id)
    context = campaign_context(request, workspace, campaign)
    view: PlanView = context["view"]
    found = [g for g in context["plan"] if g.key == view.group]
    if request.htmx and found:
        # "show all" of one milestone group: its table body alone
        return render(request, "planning/campaign.html#plan-group", {**context, "g": found[0]})
    if request.htmx and view.chart_asked:
        return render(request, "planning/campaign.html#timeline", context)
    return render(request, "planning/campaign.html", context)


@dataclass(frozen=True)
class PlanView:
    """What a campaign page's query asks to see beyond the default: a milestone group shown
    whole (`group`: a milestone id or "none"), and a page of the timeline, or its critical
    tasks only. Malformed values are ignored."""

    group: str = ""
    chart_page: int = 0
    critical_only: bool = False
    chart_asked: bool = False

    @classmethod
    def of(cls, request: WorkspaceRequest) -> PlanView:
        if request.method != "GET":
            return cls()
        group = request.GET.get("group", "")
        chart = request.GET.get("chart", "")
        page = int(chart) if chart.isascii() and chart.isdigit() and len(chart) < 7 else 0
        return cls(
            group=group if group == "none" or (group.isascii() and group.isdigit()) else "",
            chart_page=page,
            critical_only=request.GET.get("critical") == "1",
            chart_asked="chart" in request.GET or "critical" in request.GET,
        )


def _forecast_critical(health: HealthView | None, tasks: list[Task]) -> list[Task]:
    """The plan's tasks the forecast found most often critical, in plan order."""
    ids = set(health.forecast.critical_task_ids) if health and health.forecast else set()
    return [t for t in tasks if t.pk in ids]


def campaign_context(
    request: WorkspaceRequest, workspace: Workspace, campaign: Campaign, **extra: Any
) -> dict[str, Any]:
    today = workspace.today()
    health = campaign_health(workspace, campaign.pk)
    plans = request.membership.role_enum.plans
    page = selectors.campaign_page(
        campaign,
        today,
        (lambda ids: suggested_owners(workspace, ids)) if plans else None,
        unshown=selectors.PAGE_UNSHOWN,
    )
    people = selectors.people(workspace)
    view = PlanView.of(request)
    chart, window = gantt_window(
        page.tasks,
        page.links,
        today,
        campaign.launch_date,
        page=view.chart_page,
        critical_only=view.critical_only,
    )
    return {
        "workspace": workspace,
        "task_base": task_base(workspace),
        "campaign": campaign,
        "page": page,
        "chart": chart,
        "chart_svg": gantt_svg(chart, f"Timeline of {campaign.name}") if chart else "",
        "window": window,
        "campaign_url": reverse(
            "planning:campaign", kwargs={"ws": workspace.slug, "campaign_id": campaign.pk}
        ),
        "view": view,
        "plan": plan_groups(
            page.groups,
            RowContext(
                task_base(workspace),
                get_token(request),
                plans,
                owner_menus([r for g in page.groups for r in g.rows], people),
                Badges(),
            ),
            expand=frozenset([view.group]),
        ),
        "today": today,
        "people": people,
        "can_plan": plans,
        # The brief's budget is money: planners only, as with results and day rates.
        "sees_money": plans,
        "quick_form": QuickTaskForm(auto_id="task_%s"),
        "condition_form": ConditionForm(
            people=people, tasks=[t for t in page.tasks if not t.is_milestone], auto_id="cond_%s"
        ),
        "status_form": CampaignStatusForm(initial={"status": campaign.status}, auto_id="status_%s"),
        "template_form": SaveTemplateForm(initial={"name": campaign.name}, auto_id="save_%s"),
        "metrics": selectors.campaign_metrics(campaign),
        "metric_form": MetricForm(auto_id="metric_%s"),
        "channels": selectors.campaign_channel_list(campaign),
        "health": health,
        "forecast_critical": _forecast_critical(health, page.tasks),
        "underperformance": (campaign_underperformance(workspace, campaign) if plans else None),
        **extra,
    }


@workspace_view(internal_only=True)
def campaign_edit(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    if not request.membership.role_enum.plans:
        # Only planners change a brief (campaign_update refuses the others), and the form
        # would show them the budget.
        raise PermissionDenied("Only owners, admins and managers can edit the brief.")
    campaign = campaign_get(workspace, campaign_id)
    people = selectors.people(workspace)
    initial = {
        **{f: getattr(campaign, f) for f in campaign_services.BRIEF_FIELDS if f != "owner"},
        "owner": campaign.owner_id,
        "platform_names": ", ".join(campaign.platform_names),
        "channels": selectors.campaign_channel_list(campaign),
        "version": campaign.version,
    }
    form = BriefForm(request.POST or None, workspace=workspace, people=people, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        brief = {k: v for k, v in d.items() if k not in ("channels", "version")}
        try:
            campaign_services.campaign_update(
                actor=request.user,
                campaign=campaign,
                version=d["version"] or 0,
                channels=list(d["channels"]),
                **brief,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            stale = isinstance(exc, StaleEdit)
        else:
            messages.success(request, "Brief saved.")
            return redirect("planning:campaign", ws=workspace.slug, campaign_id=campaign.pk)
    return render(
        request,
        "planning/campaign_edit.html",
        {"workspace": workspace, "campaign": campaign, "form": form},
        status=409 if stale else 400 if form.errors else 200,
    )


@require_POST
@workspace_view(internal_only=True)
def campaign_status(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    campaign = campaign_get(workspace, campaign_id)
    form = CampaignStatusForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: campaign_services.campaign_set_status(
                actor=request.user, campaign=campaign, status=form.cleaned_data["status"]
            ),
            f"Campaign is now {CampaignStatus(form.cleaned_data['status']).label.lower()}.",
        )
    return redirect("planning:campaign", ws=workspace.slug, campaign_id=campaign.pk)


@require_POST
@workspace_view(internal_only=True)
def task_add(request: WorkspaceRequest, workspace: Workspace, campaign_id: int) -> HttpResponse:
    campaign = campaign_get(workspace, campaign_id)
    form = QuickTaskForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: task_services.task_create(
                actor=request.user, campaign=campaign, **form.cleaned_data
            ),
        )
    else:
        messages.error(request, "A task needs a title and a duration of 0 or more working days.")
    return redirect(reverse("planning:campaign", args=[workspace.slug, campaign.pk]) + "#plan")


@require_POST
@workspace_view(internal_only=True)
def condition_add(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    campaign = campaign_get(workspace, campaign_id)
    form = ConditionForm(
        request.POST,
        people=selectors.people(workspace),
        tasks=selectors.campaign_tasks(campaign),
        auto_id="cond_%s",
    )
    if form.is_valid():
        try:
            link_services.condition_create(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
            messages.success(request, "Go-live condition added.")
        except DomainError as exc:
            add_domain_error(form, exc)
    if form.errors:
        context = campaign_context(request, workspace, campaign, condition_form=form)
        return render(request, "planning/campaign.html", context, status=400)
    return redirect(reverse("planning:campaign", args=[workspace.slug, campaign.pk]) + "#readiness")


@require_POST
@workspace_view()
def condition_met(
    request: WorkspaceRequest, workspace: Workspace, condition_id: int
) -> HttpResponse:
    cond = found_or_404(selectors.condition_get, workspace, condition_id)
    attempt(
        request,
        lambda: link_services.condition_set_met(
            actor=request.user, condition=cond, met=request.POST.get("met") == "1"
        ),
    )
    return redirect(
        reverse("planning:campaign", args=[workspace.slug, cond.campaign_id]) + "#readiness"
    )


@require_POST
@workspace_view(internal_only=True)
def campaign_save_template(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    campaign = campaign_get(workspace, campaign_id)
    form = SaveTemplateForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: template_services.campaign_save_as_template(
                actor=request.user, campaign=campaign, name=form.cleaned_data["name"]
            ),
            f"Saved as the template “{form.cleaned_data['name']}”.",
        )
    return redirect("planning:campaign", ws=workspace.slug, campaign_id=campaign.pk)


@require_POST
@workspace_view(internal_only=True)
def metric_add(request: WorkspaceRequest, workspace: Workspace, campaign_id: int) -> HttpResponse:
    campaign = campaign_get(workspace, campaign_id)
    form = MetricForm(request.POST, auto_id="metric_%s")
    if form.is_valid():
        d = form.cleaned_data
        try:
            campaign_services.metric_add(
                actor=request.user,
                campaign=campaign,
                name=d["metric_name"],
                target=d["target"],
                unit=d["unit"],
                comparison=d["comparison"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    if form.errors:
        context = campaign_context(request, workspace, campaign, metric_form=form)
        return render(request, "planning/campaign.html", context, status=400)
    return redirect("planning:campaign", ws=workspace.slug, campaign_id=campaign.pk)


@require_POST
@workspace_view(internal_only=True)
def metric_remove(request: WorkspaceRequest, workspace: Workspace, metric_id: int) -> HttpResponse:
    metric = found_or_404(selectors.metric_get, workspace, metric_id)
    attempt(request, lambda: campaign_services.metric_remove(actor=request.user, metric=metric))
    return redirect("planning:campaign", ws=workspace.slug, campaign_id=metric.campaign_id)


@require_POST
@workspace_view(internal_only=True)
def channel_add(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form = ChannelForm(request.POST)
    if form.is_valid():
        try:
            channel = campaign_services.channel_create(
                actor=request.user, workspace=workspace, name=form.cleaned_data["name"]
            )
            messages.success(request, f"Channel “{channel.name}” added.")
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("planning:campaigns", ws=workspace.slug)
