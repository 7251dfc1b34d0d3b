"""Planning pages: campaigns, a campaign's brief and plan, tasks, the board and My work."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.filetypes import GIF, JPEG, PDF, PNG, WEBP
from headway.planning.forms import (
    BriefForm,
    CampaignStatusForm,
    ChannelForm,
    ConditionForm,
    DependencyForm,
    FromTemplateForm,
    HolidayForm,
    MetricForm,
    QuickTaskForm,
    SaveTemplateForm,
    StatusForm,
    TaskForm,
    TimeOffForm,
)
from headway.planning.gantt import gantt, gantt_svg
from headway.planning.models import (
    Attachment,
    Campaign,
    CampaignStatus,
    CampaignTemplate,
    ChecklistItem,
    Dependency,
    GoLiveCondition,
    Holiday,
    SuccessMetric,
    Task,
    TaskKind,
    TaskStatus,
    TimeOff,
)
from headway.planning.services import attachments as attachment_services
from headway.planning.services import calendar as calendar_services
from headway.planning.services import campaigns as campaign_services
from headway.planning.services import links as link_services
from headway.planning.services import tasks as task_services
from headway.planning.services import templates as template_services
from headway.planning.services.schedule import PlanChange, plan_preview, today_in
from headway.planning.services.templates import owner_suggestions
from headway.planning.template_spec import template_plan
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def _today(workspace: Workspace) -> Any:
    return today_in(Campaign(workspace=workspace))


def _campaign(workspace: Workspace, campaign_id: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("owner", "workspace"), workspace=workspace, pk=campaign_id
    )


def _task(workspace: Workspace, task_id: int) -> Task:
    return get_object_or_404(
        Task.objects.select_related("campaign__workspace", "workspace", "owner"),
        workspace=workspace,
        pk=task_id,
    )


@workspace_view(internal_only=True)
def campaigns(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    today = _today(workspace)
    filters = selectors.filters_from(request.GET, selectors.CampaignFilter)
    rows = list(selectors.campaigns_list(workspace, today, filters))
    selectors.conditions_at_risk(rows, today)
    context = {
        "workspace": workspace,
        "campaigns": rows,
        "filters": filters,
        "channels": campaign_services.channels_ensure(workspace),
        "people": selectors.people(workspace),
        "statuses": CampaignStatus.choices,
        "today": today,
        "can_plan": request.membership.role_enum.plans,
        "channel_form": ChannelForm(auto_id="channel_%s"),
    }
    return render(request, "planning/campaigns.html", context)


@workspace_view(internal_only=True)
def campaign_new(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    people = selectors.people(workspace)
    template_services.templates_ensure(workspace)
    campaign_services.channels_ensure(workspace)
    data = request.POST if request.method == "POST" else None
    from_template = FromTemplateForm(
        data if request.POST.get("mode") == "template" else None,
        workspace=workspace,
        people=people,
        initial={"template": request.GET.get("template")},
        auto_id="tpl_%s",
    )
    blank = BriefForm(
        data if request.POST.get("mode") == "blank" else None, workspace=workspace, people=people
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
        campaign = template_services.campaign_from_template(
            actor=request.user,
            workspace=workspace,
            template=d["template"],
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
    return campaign_services.campaign_create(
        actor=request.user, workspace=workspace, channels=list(d["channels"]), **brief
    )


@workspace_view(internal_only=True)
def campaign_detail(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    campaign = _campaign(workspace, campaign_id)
    return render(
        request, "planning/campaign.html", _campaign_context(request, workspace, campaign)
    )


def _task_base(workspace: Workspace) -> str:
    """The URL prefix of the workspace's task pages ("/w/<ws>/tasks/"): rows append the id
    and the action, instead of reversing three URLs per row."""
    return reverse("planning:task", args=[workspace.slug, 1]).removesuffix("1/")


def _owner_options(rows: list[selectors.TaskRow], people: list[Any]) -> None:
    """Each row's owner <option>s, built once here: a template loop over every person in
    every row of a 300-task plan costs more than the rest of the page."""
    escaped = [(p.pk, escape(p.name or p.email)) for p in people]
    for r in rows:
        owner = r.task.owner_id
        r.owner_options = mark_safe(
            "".join(
                f'<option value="{pk}"{" selected" if pk == owner else ""}>{name}</option>'
                for pk, name in escaped
            )
        )


def _campaign_context(
    request: WorkspaceRequest, workspace: Workspace, campaign: Campaign, **extra: Any
) -> dict[str, Any]:
    today = _today(workspace)
    plans = request.membership.role_enum.plans
    page = selectors.campaign_page(campaign, today, owner_suggestions(workspace) if plans else {})
    people = selectors.people(workspace)
    chart = gantt(page.tasks, page.links, today, campaign.launch_date)
    _owner_options([r for g in page.groups for r in g.rows], people)
    return {
        "workspace": workspace,
        "task_base": _task_base(workspace),
        "campaign": campaign,
        "page": page,
        "chart": chart,
        "chart_svg": gantt_svg(chart, f"Timeline of {campaign.name}") if chart else "",
        "today": today,
        "people": people,
        "can_plan": plans,
        "quick_form": QuickTaskForm(auto_id="task_%s"),
        "condition_form": ConditionForm(people=people, auto_id="cond_%s"),
        "status_form": CampaignStatusForm(initial={"status": campaign.status}, auto_id="status_%s"),
        "template_form": SaveTemplateForm(initial={"name": campaign.name}, auto_id="save_%s"),
        "metrics": list(campaign.metrics.all()),
        "metric_form": MetricForm(auto_id="metric_%s"),
        "channels": list(campaign.channels.all()),
        **extra,
    }


@workspace_view(internal_only=True)
def campaign_edit(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    campaign = _campaign(workspace, campaign_id)
    people = selectors.people(workspace)
    initial = {
        **{f: getattr(campaign, f) for f in campaign_services.BRIEF_FIELDS if f != "owner"},
        "owner": campaign.owner_id,
        "platform_names": ", ".join(campaign.platform_names),
        "channels": list(campaign.channels.all()),
        "version": campaign.version,
    }
    form = BriefForm(request.POST or None, workspace=workspace, people=people, initial=initial)
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
        else:
            messages.success(request, "Brief saved.")
            return redirect("planning:campaign", ws=workspace.slug, campaign_id=campaign.pk)
    return render(
        request,
        "planning/campaign_edit.html",
        {"workspace": workspace, "campaign": campaign, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@workspace_view(internal_only=True)
def campaign_status(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    campaign = _campaign(workspace, campaign_id)
    form = CampaignStatusForm(request.POST)
    if form.is_valid():
        try:
            campaign_services.campaign_set_status(
                actor=request.user, campaign=campaign, status=form.cleaned_data["status"]
            )
            messages.success(request, f"Campaign is now {campaign.get_status_display().lower()}.")
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("planning:campaign", ws=workspace.slug, campaign_id=campaign.pk)


@require_POST
@workspace_view(internal_only=True)
def task_add(request: WorkspaceRequest, workspace: Workspace, campaign_id: int) -> HttpResponse:
    campaign = _campaign(workspace, campaign_id)
    form = QuickTaskForm(request.POST)
    if form.is_valid():
        try:
            task_services.task_create(actor=request.user, campaign=campaign, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "A task needs a title and a duration of 0 or more working days.")
    return redirect(reverse("planning:campaign", args=[workspace.slug, campaign.pk]) + "#plan")


@require_POST
@workspace_view(internal_only=True)
def task_assign(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    """Sets the one owner from the plan's row; an htmx request gets the row back."""
    task = _task(workspace, task_id)
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
        today = _today(workspace)
        row = selectors.task_rows(
            [selectors.task_detail(task.pk, workspace)], today, owner_suggestions(workspace)
        )[0]
        _owner_options([row], selectors.people(workspace))
        return render(
            request,
            "planning/campaign.html#task-row",
            {
                "r": row,
                "workspace": workspace,
                "task_base": _task_base(workspace),
                "people": selectors.people(workspace),
                "can_plan": True,
                "row_error": error,
                "row_saved": not error,
            },
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("planning:campaign", args=[workspace.slug, task.campaign_id]) + "#plan")


@workspace_view()
def task_detail(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    task = selectors.task_detail(task_id, workspace)
    role = request.membership.role_enum
    if role.is_external and request.user.pk not in (task.owner_id, task.blocked_on_id):
        return render(request, "404.html", status=404)
    people = selectors.people(workspace)
    form = None
    preview = None
    if role.plans:
        form, preview, done = _task_form(request, workspace, task, people)
        if done:
            return redirect("planning:task", ws=workspace.slug, task_id=task.pk)
    others = Task.objects.filter(workspace=workspace).exclude(pk=task.pk).select_related("campaign")
    candidates = list(others.filter(campaign=task.campaign)) + list(
        others.exclude(campaign=task.campaign).filter(
            campaign__status__in=[CampaignStatus.PLANNED, CampaignStatus.IN_PROGRESS]
        )[:200]
    )
    context = {
        "workspace": workspace,
        "task": task,
        "row": selectors.task_rows([task], _today(workspace))[0],
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
    }
    status = 200
    if preview is not None and preview.get("stale"):
        status = 409
    elif form is not None and form.errors:
        status = 400
    return render(request, "planning/task.html", context, status=status)


def _task_form(
    request: WorkspaceRequest, workspace: Workspace, task: Task, people: list[Any]
) -> tuple[TaskForm, dict[str, Any] | None, bool]:
    milestones = list(
        Task.objects.filter(campaign=task.campaign).exclude(kind=TaskKind.TASK).exclude(pk=task.pk)
    )
    channels = campaign_services.channels_ensure(workspace)
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
        request.POST or None,
        initial=initial,
        people=people,
        channels=channels,
        milestones=milestones,
    )
    if request.method != "POST" or not form.is_valid():
        return form, None, False
    d = dict(form.cleaned_data)
    confirm, version = d.pop("confirm"), d.pop("version") or 0
    new_days = _expected(d) if d["kind"] == TaskKind.TASK else 0.0
    moves_dates = abs(new_days - task.expected_days) > 1e-9 or d["not_before"] != task.not_before
    if not confirm and moves_dates:
        change = PlanChange(
            task_id=task.pk, duration=new_days, not_before=d["not_before"], set_not_before=True
        )
        try:
            preview = plan_preview(task.campaign, change)
        except DomainError as exc:
            add_domain_error(form, exc)
            return form, None, False
        if preview.moved:
            return (
                form,
                {"summary": preview.summary(), "moved": preview.moved, "data": request.POST},
                False,
            )
    try:
        task_services.task_update(actor=request.user, task=task, version=version, **d)
    except DomainError as exc:
        add_domain_error(form, exc)
        return form, ({"stale": True} if exc.code == "stale" else None), False
    messages.success(request, "Task saved.")
    return form, None, True


def _expected(d: dict[str, Any]) -> float:
    a, m, b = d.get("optimistic_days"), d.get("likely_days"), d.get("pessimistic_days")
    if a is not None and m is not None and b is not None:
        return float(a + 4 * m + b) / 6
    return float(d["duration_days"])


@require_POST
@workspace_view()
def task_status(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    """Moves a task to a status, from the board (drag, or the keyboard's Move menu) or the
    task page; an htmx request from the board gets the board back."""
    task = _task(workspace, task_id)
    people = selectors.people(workspace)
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
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = "Choose a status."
    if request.htmx and request.POST.get("from") == "board":
        return _board(request, workspace, error=error, moved=task.pk)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"“{task.title}” is now {task.get_status_display().lower()}.")
    return redirect(
        request.POST.get("next") or reverse("planning:task", args=[workspace.slug, task.pk])
    )


@require_POST
@workspace_view(internal_only=True)
def dependency_add(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    """Adds "waits on" to a task, after showing what it moves and asking to confirm."""
    task = _task(workspace, task_id)
    others = Task.objects.filter(workspace=workspace).exclude(pk=task.pk).select_related("campaign")
    form = DependencyForm(request.POST, candidates=list(others))
    url = reverse("planning:task", args=[workspace.slug, task.pk])
    if not form.is_valid():
        messages.error(request, "Choose the task it waits on, a link type and a whole-day lag.")
        return redirect(url)
    d = form.cleaned_data
    predecessor = _task(workspace, d["predecessor"])
    try:
        link = link_services.link_check(predecessor, task, d["type"], d["lag"])
        if not d["confirm"] and predecessor.campaign_id == task.campaign_id:
            preview = plan_preview(task.campaign, PlanChange(link=link))
            if preview.moved:
                return render(
                    request,
                    "planning/confirm_link.html",
                    {
                        "workspace": workspace,
                        "task": task,
                        "predecessor": predecessor,
                        "link": link,
                        "preview": preview,
                        "form_data": request.POST,
                    },
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
    dep = get_object_or_404(
        Dependency.objects.select_related("successor__campaign"),
        workspace=workspace,
        pk=dependency_id,
    )
    try:
        link_services.dependency_remove(actor=request.user, dependency=dep)
        messages.success(request, "Link removed; dates recomputed.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("planning:task", ws=workspace.slug, task_id=dep.successor_id)


@require_POST
@workspace_view(internal_only=True)
def condition_add(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    campaign = _campaign(workspace, campaign_id)
    form = ConditionForm(request.POST, people=selectors.people(workspace), auto_id="cond_%s")
    if form.is_valid():
        try:
            link_services.condition_create(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
            messages.success(request, "Go-live condition added.")
        except DomainError as exc:
            add_domain_error(form, exc)
    if form.errors:
        context = _campaign_context(request, workspace, campaign, condition_form=form)
        return render(request, "planning/campaign.html", context, status=400)
    return redirect(reverse("planning:campaign", args=[workspace.slug, campaign.pk]) + "#readiness")


@require_POST
@workspace_view()
def condition_met(
    request: WorkspaceRequest, workspace: Workspace, condition_id: int
) -> HttpResponse:
    cond = get_object_or_404(
        GoLiveCondition.objects.select_related("campaign", "workspace"),
        workspace=workspace,
        pk=condition_id,
    )
    try:
        link_services.condition_set_met(
            actor=request.user, condition=cond, met=request.POST.get("met") == "1"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(
        reverse("planning:campaign", args=[workspace.slug, cond.campaign_id]) + "#readiness"
    )


@require_POST
@workspace_view()
def checklist_add(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    task = _task(workspace, task_id)
    try:
        task_services.checklist_add(
            actor=request.user, task=task, text=request.POST.get("text", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("planning:task", ws=workspace.slug, task_id=task.pk)


@require_POST
@workspace_view()
def checklist_toggle(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    task = _task(workspace, task_id)
    item = get_object_or_404(ChecklistItem, task=task, pk=request.POST.get("item") or 0)
    try:
        task_services.checklist_toggle(actor=request.user, item=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("planning:task", ws=workspace.slug, task_id=task.pk)


@require_POST
@workspace_view()
def comment_add(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    task = _task(workspace, task_id)
    try:
        task_services.comment_add(actor=request.user, task=task, body=request.POST.get("body", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("planning:task", args=[workspace.slug, task.pk]) + "#comments")


@require_POST
@workspace_view(internal_only=True)
def campaign_save_template(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    campaign = _campaign(workspace, campaign_id)
    form = SaveTemplateForm(request.POST)
    if form.is_valid():
        try:
            template_services.campaign_save_as_template(
                actor=request.user, campaign=campaign, name=form.cleaned_data["name"]
            )
            messages.success(request, f"Saved as the template “{form.cleaned_data['name']}”.")
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("planning:campaign", ws=workspace.slug, campaign_id=campaign.pk)


def _board(request: WorkspaceRequest, workspace: Workspace, **extra: Any) -> HttpResponse:
    today = _today(workspace)
    filters = selectors.filters_from(request.GET, selectors.BoardFilter)
    only = request.user if request.membership.role_enum.is_external else None
    context = {
        "workspace": workspace,
        "columns": selectors.board_columns(workspace, today, filters, only_for=only),
        "filters": filters,
        "people": selectors.people(workspace),
        "channels": campaign_services.channels_ensure(workspace),
        "campaigns": Campaign.objects.filter(workspace=workspace).only("pk", "name"),
        "statuses": TaskStatus.choices,
        "today": today,
        "task_base": _task_base(workspace),
        "query": request.GET.urlencode(),
        "here": request.get_full_path()
        if not request.htmx
        else reverse("planning:board", args=[workspace.slug]),
        **extra,
    }
    template = "planning/board.html#board" if request.htmx else "planning/board.html"
    return render(request, template, context)


@workspace_view()
def board(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    return _board(request, workspace)


@workspace_view()
def my_work(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    today = _today(workspace)
    return render(
        request,
        "planning/my_work.html",
        {
            "workspace": workspace,
            "rows": selectors.my_work(workspace, request.user, today),
            "today": today,
        },
    )


@workspace_view()
def time_off(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Holidays and people's time off: the calendar every plan is dated on."""
    plans = request.membership.role_enum.plans
    people = selectors.people(workspace) if plans else [request.user]
    off_form = TimeOffForm(
        request.POST if request.POST.get("form") == "off" else None,
        people=people,
        initial={"user": request.user.pk},
        auto_id="off_%s",
    )
    holiday_form = HolidayForm(
        request.POST if request.POST.get("form") == "holiday" else None, auto_id="hol_%s"
    )
    form = off_form if request.POST.get("form") == "off" else holiday_form
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if form is off_form:
                calendar_services.timeoff_add(
                    actor=request.user,
                    workspace=workspace,
                    user_id=d["user"],
                    first_day=d["first_day"],
                    last_day=d["last_day"],
                    note=d["note"],
                )
                messages.success(request, "Time off saved; plans with their tasks were redated.")
            else:
                calendar_services.holiday_add(
                    actor=request.user, workspace=workspace, date=d["date"], name=d["name"]
                )
                messages.success(request, "Holiday saved; open plans were redated.")
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("planning:time-off", ws=workspace.slug)
    today = _today(workspace)
    absences = TimeOff.objects.filter(workspace=workspace, last_day__gte=today).select_related(
        "user"
    )
    if not plans:
        absences = absences.filter(user=request.user)
    context = {
        "workspace": workspace,
        "holidays": Holiday.objects.filter(workspace=workspace, date__gte=today),
        "absences": absences,
        "off_form": off_form,
        "holiday_form": holiday_form,
        "can_plan": plans,
    }
    return render(request, "planning/time_off.html", context, status=400 if form.errors else 200)


@require_POST
@workspace_view()
def timeoff_remove(
    request: WorkspaceRequest, workspace: Workspace, timeoff_id: int
) -> HttpResponse:
    off = get_object_or_404(
        TimeOff.objects.select_related("user", "workspace"), workspace=workspace, pk=timeoff_id
    )
    try:
        calendar_services.timeoff_remove(actor=request.user, timeoff=off)
        messages.success(request, "Time off removed; plans were redated.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("planning:time-off", ws=workspace.slug)


@require_POST
@workspace_view(internal_only=True)
def holiday_remove(
    request: WorkspaceRequest, workspace: Workspace, holiday_id: int
) -> HttpResponse:
    holiday = get_object_or_404(
        Holiday.objects.select_related("workspace"), workspace=workspace, pk=holiday_id
    )
    try:
        calendar_services.holiday_remove(actor=request.user, holiday=holiday)
        messages.success(request, "Holiday removed; open plans were redated.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("planning:time-off", ws=workspace.slug)


@require_POST
@workspace_view(internal_only=True)
def metric_add(request: WorkspaceRequest, workspace: Workspace, campaign_id: int) -> HttpResponse:
    campaign = _campaign(workspace, campaign_id)
    form = MetricForm(request.POST)
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
            messages.error(request, exc.message)
    else:
        messages.error(request, "A success metric needs a name and a numeric target.")
    return redirect("planning:campaign", ws=workspace.slug, campaign_id=campaign.pk)


@require_POST
@workspace_view(internal_only=True)
def metric_remove(request: WorkspaceRequest, workspace: Workspace, metric_id: int) -> HttpResponse:
    metric = get_object_or_404(
        SuccessMetric.objects.select_related("campaign__workspace"),
        campaign__workspace=workspace,
        pk=metric_id,
    )
    try:
        campaign_services.metric_remove(actor=request.user, metric=metric)
    except DomainError as exc:
        messages.error(request, exc.message)
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


@workspace_view(internal_only=True)
def templates(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    rows = []
    for t in template_services.templates_ensure(workspace):
        try:
            plan = template_plan(t.spec)
        except DomainError as exc:
            rows.append({"template": t, "error": exc.message})
            continue
        launch = plan.launch_key()
        lead = -plan.offset_from_launch(plan.tasks[0].key) if launch else plan.schedule.duration
        rows.append(
            {
                "template": t,
                "tasks": sum(1 for k in plan.tasks if k.kind == TaskKind.TASK),
                "lead": max((-plan.offset_from_launch(k.key) for k in plan.tasks), default=lead),
                "conditions": len(plan.conditions),
            }
        )
    return render(
        request,
        "planning/templates.html",
        {"workspace": workspace, "rows": rows, "can_plan": request.membership.role_enum.plans},
    )


@workspace_view(internal_only=True)
def template_detail(
    request: WorkspaceRequest, workspace: Workspace, template_id: int
) -> HttpResponse:
    template = get_object_or_404(CampaignTemplate, workspace=workspace, pk=template_id)
    plan = template_plan(template.spec)
    titles = {k.key: k.title for k in plan.tasks}
    steps = [
        {
            "task": k,
            "offset": plan.offset_from_launch(k.key),
            "critical": plan.schedule.tasks[k.key].critical,
            "after": ", ".join(
                titles[a["task"]]
                + ("" if a["type"] == "FS" and not a["lag"] else f" ({a['type']} {a['lag']:+d})")
                for a in k.after
            ),
        }
        for k in sorted(plan.tasks, key=lambda k: plan.schedule.tasks[k.key].early_start)
    ]
    return render(
        request,
        "planning/template.html",
        {"workspace": workspace, "template": template, "steps": steps, "plan": plan},
    )


def _visible_task(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> Task:
    """The task, if the viewer may see it (externals: only their own or waiting on them)."""
    task = _task(workspace, task_id)
    if request.membership.role_enum.is_external and request.user.pk not in (
        task.owner_id,
        task.blocked_on_id,
    ):
        raise Http404("No such task.")
    return task


@require_POST
@workspace_view()
def attachment_add(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> HttpResponse:
    task = _visible_task(request, workspace, task_id)
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
    """Serves an attachment to someone who may see its task; only images and PDFs open in
    the browser, everything else downloads."""
    attachment = get_object_or_404(Attachment, workspace=workspace, pk=attachment_id)
    _visible_task(request, workspace, attachment.task_id)
    if attachment.is_link:
        return redirect(attachment.url)
    kind = next(
        (k for k in (PNG, JPEG, GIF, WEBP, PDF) if k.content_type == attachment.content_type),
        None,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=kind is None,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


@require_POST
@workspace_view()
def attachment_remove(
    request: WorkspaceRequest, workspace: Workspace, attachment_id: int
) -> HttpResponse:
    attachment = get_object_or_404(
        Attachment.objects.select_related("task__workspace", "workspace"),
        workspace=workspace,
        pk=attachment_id,
    )
    _visible_task(request, workspace, attachment.task_id)
    try:
        attachment_services.attachment_remove(actor=request.user, attachment=attachment)
        messages.success(request, "Attachment removed.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(
        reverse("planning:task", args=[workspace.slug, attachment.task_id]) + "#attachments"
    )
