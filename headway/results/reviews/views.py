"""Review pages, the learnings library, a learning applied to its template, and the hint
that shows learnings where a template or a channel is chosen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest, found_or_404
from headway.planning import selectors as planning_selectors
from headway.planning.models import Campaign, CampaignTemplate, TaskKind
from headway.planning.template_spec import template_plan
from headway.results import learnings as library
from headway.results.reviews import selectors, services
from headway.results.reviews.forms import (
    ApplyForm,
    LearningForm,
    LearningSearchForm,
    ReviewForm,
    ReviewSettingsForm,
)
from headway.results.reviews.models import Learning
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def _tag_choices(workspace: Workspace) -> dict[str, list[tuple[Any, str]]]:
    return {
        "channels": [(c.pk, c.name) for c in planning_selectors.workspace_channels(workspace)],
        "templates": [(t.pk, t.name) for t in planning_selectors.workspace_templates(workspace)],
    }


@workspace_view(internal_only=True)
def reviews_page(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Reviews overdue, due and completed; planners set how long after launch they fall due."""
    plans = request.membership.role_enum.plans
    settings_form = ReviewSettingsForm(
        initial={"review_after_days": services.review_after_days(workspace)}
    )
    if request.method == "POST":
        if not plans:
            raise PermissionDenied("Only owners, admins and managers set when reviews fall due.")
        settings_form = ReviewSettingsForm(request.POST)
        if settings_form.is_valid():
            try:
                days = services.review_settings_set(
                    actor=request.user, workspace=workspace, **settings_form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(settings_form, exc)
            else:
                messages.success(request, f"Reviews of later launches fall due after {days} days.")
                return redirect("results:reviews", ws=workspace.slug)
    lists = selectors.reviews_by_state(workspace, workspace.today())
    return render(
        request,
        "results/reviews.html",
        {
            "workspace": workspace,
            "lists": lists,
            "today": workspace.today(),
            "settings_form": settings_form if plans else None,
        },
        status=400 if settings_form.errors else 200,
    )


@workspace_view(internal_only=True)
def review_page(request: WorkspaceRequest, workspace: Workspace, review_id: int) -> HttpResponse:
    """One review: targets against actuals, the execution facts, the three questions, and the
    learnings it left."""
    review = found_or_404(selectors.review_get, workspace, review_id)
    # Results carry spend and revenue: like the results page, only planners see them.
    sees_results = request.membership.role_enum.plans
    choices = _tag_choices(workspace)
    initial = {k: getattr(review, k) for k in ("verdict", "delivered", "learned", "differently")}
    form = ReviewForm(initial=initial)
    # Completing or changing the answers is for planners and the campaign's owner; the rest
    # of the team reads them.
    answers = services.can_answer(request.membership, review)
    learning_form = LearningForm(**choices, initial=_learning_initial(review))
    if request.method == "POST":
        if request.POST.get("action") == "learning":
            learning_form = LearningForm(request.POST, **choices)
            if _learning_saved(request, workspace, review, learning_form):
                return redirect("results:review", ws=workspace.slug, review_id=review.pk)
        else:
            if not answers:
                raise PermissionDenied(services.ANSWERS_ARE_FOR)
            was_completed = review.is_completed
            form = ReviewForm(request.POST)
            if _review_saved(request, review, form, was_completed):
                return redirect("results:review", ws=workspace.slug, review_id=review.pk)
    return render(
        request,
        "results/review.html",
        {
            "workspace": workspace,
            "review": review,
            "line": selectors.review_results(review) if sees_results else None,
            "sees_results": sees_results,
            "facts": selectors.review_execution(review),
            "form": form,
            "can_answer": answers,
            "learning_form": learning_form,
            "learnings": list(review.learnings.select_related("channel", "template")),
            "overdue": not review.is_completed and review.due_date < workspace.today(),
        },
        status=400 if form.errors or learning_form.errors else 200,
    )


def _learning_initial(review: Any) -> dict[str, Any]:
    """A new learning of a review is tagged with its campaign's template, when it had one."""
    name = review.campaign.template_name
    if not name:
        return {}
    found = [t for t in planning_selectors.workspace_templates(review.workspace) if t.name == name]
    return {"template": found[0].pk} if found else {}


def _review_saved(
    request: WorkspaceRequest, review: Any, form: ReviewForm, was_completed: bool
) -> bool:
    if not form.is_valid():
        return False
    try:
        services.review_complete(actor=request.user, review=review, **form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    if was_completed:
        messages.success(request, "Answers saved.")
    else:
        messages.success(request, "Review completed. Add what the team learned below.")
    return True


def _learning_saved(
    request: WorkspaceRequest, workspace: Workspace, review: Any, form: LearningForm
) -> bool:
    if not form.is_valid():
        return False
    d = form.cleaned_data
    try:
        services.learning_add(
            actor=request.user,
            workspace=workspace,
            review=review,
            text=d["text"],
            channel_id=d["channel"],
            template_id=d["template"],
            audience=d["audience"],
            work_kind=d["work_kind"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    messages.success(request, "Learning added to the library.")
    return True


@workspace_view(internal_only=True)
def learnings_page(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """The learnings library: words searched in full text, narrowed by tags."""
    form = LearningSearchForm(request.GET or None, **_tag_choices(workspace))
    filters = library.LearningFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = library.LearningFilters(
            query=d["q"] or "",
            channel_id=d["channel"],
            template_id=d["template"],
            work_kind=d["work_kind"] or "",
        )
    found = library.learnings_search(workspace, filters) if not form.errors else []
    return render(
        request,
        "results/learnings.html",
        {
            "workspace": workspace,
            "form": form,
            "learnings": found,
            "searched": form.is_bound,
            "can_plan": request.membership.role_enum.plans,
        },
        status=400 if form.errors else 200,
    )


def _steps(learning: Learning) -> list[tuple[str, str]]:
    if learning.template is None:
        return []
    try:
        plan = template_plan(learning.template.spec)
    except DomainError:
        return []
    return [
        (t.key, f"{t.title} ({float(t.duration):g} days)")
        for t in plan.tasks
        if t.kind == TaskKind.TASK
    ]


def _step_of_kind(learning: Learning) -> str:
    """The template's first task of the learning's kind of work, offered first."""
    if learning.template is None or not learning.work_kind:
        return ""
    tasks = (
        learning.template.spec.get("tasks", []) if isinstance(learning.template.spec, dict) else []
    )
    return next(
        (
            str(t.get("key"))
            for t in tasks
            if isinstance(t, dict) and t.get("role") == learning.work_kind
        ),
        "",
    )


@workspace_view(internal_only=True)
def learning_apply(
    request: WorkspaceRequest, workspace: Workspace, learning_id: int
) -> HttpResponse:
    """Confirm, then change the learning's template: one step takes more (or fewer) days."""
    if not request.membership.role_enum.plans:
        raise PermissionDenied("Only owners, admins and managers change templates.")
    learning = found_or_404(
        Learning.objects.select_related("template", "channel", "workspace").get,
        workspace=workspace,
        pk=learning_id,
    )
    steps = _steps(learning)
    form = ApplyForm(request.POST or None, steps=steps, initial={"step": _step_of_kind(learning)})
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_apply_to_template(
                actor=request.user,
                learning=learning,
                step_key=form.cleaned_data["step"],
                days=form.cleaned_data["days"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Template changed: {learning.applied_change}.")
            return redirect("results:learnings", ws=workspace.slug)
    return render(
        request,
        "results/learning_apply.html",
        {"workspace": workspace, "learning": learning, "form": form, "steps": steps},
        status=400 if form.errors else 200,
    )


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 19]


@workspace_view(internal_only=True)
def learnings_hint(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """The learnings for the template or channels being chosen on a campaign form (htmx)."""
    template_ids = _ids(request.GET.getlist("template"))
    channel_ids = _ids(request.GET.getlist("channels"))
    template_id = template_ids[0] if template_ids else None
    by_template = library.learnings_for_template(workspace, template_id)
    shown = {learning.pk for learning in by_template}
    by_channel = [
        learning
        for learning in library.learnings_for_channels(workspace, channel_ids)
        if learning.pk not in shown
    ]
    return render(
        request,
        "results/learnings_hint_list.html",
        {"workspace": workspace, "by_template": by_template, "by_channel": by_channel},
    )


@workspace_view(internal_only=True)
def campaign_learnings(
    request: WorkspaceRequest, workspace: Workspace, campaign_id: int
) -> HttpResponse:
    """The learnings tagged with a campaign's template or channels, for its page (htmx)."""
    campaign = found_or_404(
        Campaign.objects.prefetch_related("channels").get, workspace=workspace, pk=campaign_id
    )
    template = (
        CampaignTemplate.objects.filter(workspace=workspace, name=campaign.template_name)
        .values_list("pk", flat=True)
        .first()
        if campaign.template_name
        else None
    )
    by_template = library.learnings_for_template(workspace, template)
    shown = {learning.pk for learning in by_template}
    by_channel = [
        learning
        for learning in library.learnings_for_channels(
            workspace, [c.pk for c in campaign.channels.all()]
        )
        if learning.pk not in shown
    ]
    return render(
        request,
        "results/learnings_hint_list.html",
        {
            "workspace": workspace,
            "by_template": by_template,
            "by_channel": by_channel,
            "for_campaign": True,
        },
    )
