"""Templates: the starter set, new campaigns from a template dated backward from a launch
date, and any campaign saved as a template."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.db import transaction

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, event_record
from headway.core.bounds import check_text, within
from headway.core.errors import DomainError
from headway.planning.models import (
    Campaign,
    CampaignStatus,
    CampaignTemplate,
    Dependency,
    GoLiveCondition,
    Task,
    TaskKind,
)
from headway.planning.scheduling import calendar_for
from headway.planning.services.access import require_planner
from headway.planning.services.campaigns import campaign_create, channels_ensure
from headway.planning.services.schedule import campaign_reschedule
from headway.planning.starter_templates import STARTER_TEMPLATES
from headway.planning.suggestions import owner_suggestions, suggested_owners
from headway.planning.template_spec import template_plan
from headway.workspaces.models import Workspace


def templates_ensure(workspace: Workspace) -> list[CampaignTemplate]:
    """The workspace's templates, adding the starter set when it has none. Runs when a
    workspace is created; pages and the API read templates with selectors.workspace_templates."""
    if not CampaignTemplate.objects.filter(workspace=workspace).exists():
        CampaignTemplate.objects.bulk_create(
            CampaignTemplate(workspace=workspace, name=name, description=text, spec=spec)
            for name, text, spec in STARTER_TEMPLATES
        )
    return list(CampaignTemplate.objects.filter(workspace=workspace))


@transaction.atomic
def template_create(
    *, actor: User, workspace: Workspace, name: str, spec: Any, description: str = ""
) -> CampaignTemplate:
    """A template, refused with the fault named when its network is broken."""
    require_planner(actor, workspace)
    name = (name or "").strip()
    if not name:
        raise DomainError("Give the template a name.", field="name")
    template_plan(spec)
    template = CampaignTemplate.objects.create(
        workspace=workspace,
        name=within("name", check_text, name, max_length=120),
        description=description,
        spec=spec,
    )
    event_record(actor=actor, verb=Verb.CREATED, obj=template, workspace=workspace)
    return template


def _suggest_by_capacity(workspace: Workspace, campaign: Campaign) -> bool:
    """Each task of the new campaign to its suggested owner (`suggested_owners`: the person
    doing its kind of work with the most free hours in its weeks, else the title rule).
    Whether any owner changed."""
    tasks = list(Task.objects.filter(campaign=campaign, kind=TaskKind.TASK))
    suggested = suggested_owners(workspace, [t.pk for t in tasks])
    changed = []
    for t in tasks:
        best = suggested.get(t.pk)
        if best is not None and t.owner_id != best.pk:
            t.owner_id = best.pk
            changed.append(t)
    Task.objects.bulk_update(changed, ["owner"])
    return bool(changed)


@transaction.atomic
def campaign_from_template(
    *,
    actor: User,
    workspace: Workspace,
    template: CampaignTemplate,
    name: str,
    launch_date: dt.date,
    assign_suggested: bool = False,
    **brief: Any,
) -> Campaign:
    """A campaign with the template's tasks, links, milestones and go-live conditions,
    dated backward from `launch_date` on the working calendar (holidays and owners' time
    off); the campaign says whether the date is feasible and by how many working days it
    is short. With `assign_suggested`, each task goes to the person doing its kind of work
    (their recorded capacity) with the most free hours in its weeks, or, when nobody has that
    kind of work recorded, the first member whose title suggests its role."""
    require_planner(actor, workspace)
    if template.workspace_id != workspace.pk:
        raise DomainError("That template belongs to another workspace.", field="template")
    plan = template_plan(template.spec)
    if not brief.get("channels"):
        # a brief naming no channel takes the template's (its tasks' channels)
        keys = {t.channel for t in plan.tasks if t.channel}
        if keys:
            brief["channels"] = [c for c in channels_ensure(workspace) if c.key in keys]
    campaign = campaign_create(
        actor=actor,
        workspace=workspace,
        name=name,
        launch_date=launch_date,
        status=CampaignStatus.PLANNED,
        **brief,
    )
    Campaign.objects.filter(pk=campaign.pk).update(template_name=template.name)
    campaign.template_name = template.name
    channels = {c.key: c for c in channels_ensure(workspace)}
    suggested = owner_suggestions(workspace) if assign_suggested else {}
    made: dict[str, Task] = {}
    for n, t in enumerate(plan.tasks, start=1):
        est = t.estimate
        owners = suggested.get(t.role) or []
        made[t.key] = Task.objects.create(
            workspace=workspace,
            campaign=campaign,
            title=t.title,
            kind=t.kind,
            role_needed=t.role,
            channel=channels.get(t.channel),
            effort_hours=t.effort,
            duration_days=t.duration,
            optimistic_days=est[0] if est else None,
            likely_days=est[1] if est else None,
            pessimistic_days=est[2] if est else None,
            owner=owners[0] if owners else None,
            approval_kind=t.approval,
            position=n,
        )
        # each task's creation is logged as task_create logs it: flow's lead time starts here
        event_record(
            actor=actor,
            verb=Verb.CREATED,
            obj=made[t.key],
            workspace=workspace,
            changes=created_changes(made[t.key], ["title", "kind", "owner", "duration_days"]),
        )
    for t in plan.tasks:
        if t.group:
            made[t.key].milestone = made[t.group]
    Task.objects.bulk_update([made[t.key] for t in plan.tasks if t.group], ["milestone"])
    Dependency.objects.bulk_create(
        Dependency(
            workspace=workspace,
            predecessor=made[link.task],
            successor=made[t.key],
            type=link.type,
            lag=int(link.lag),
        )
        for t in plan.tasks
        for link in t.after
    )
    cal = calendar_for(workspace.pk)
    owner = campaign.owner or actor
    for c in plan.conditions:
        GoLiveCondition.objects.create(
            workspace=workspace,
            campaign=campaign,
            title=c.title,
            kind=c.kind,
            party=c.party,
            owner=owner,
            lead_time_days=c.lead_time,
            due_date=cal.add(cal.previous_working(launch_date), -c.before_launch),
        )
    campaign_reschedule(campaign)
    if assign_suggested and _suggest_by_capacity(workspace, campaign):
        campaign_reschedule(campaign)  # owners' working days and time off date the plan
    campaign.refresh_from_db()
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=campaign,
        workspace=workspace,
        changes={"template": [None, template.name], "tasks": [0, len(made)]},
    )
    return campaign


def campaign_start(
    *,
    actor: User,
    workspace: Workspace,
    template_id: int | None = None,
    assign_suggested: bool = False,
    **brief: Any,
) -> Campaign:
    """A new campaign, blank or from a template: without `template_id` a brief (dated
    backward from its launch date when it has one); with it, the workspace's template's
    plan, which needs a launch date to be dated backward from."""
    if template_id is None:
        return campaign_create(actor=actor, workspace=workspace, **brief)
    template = CampaignTemplate.objects.filter(workspace=workspace, pk=template_id).first()
    if template is None:
        raise DomainError("No such template in this workspace.", field="template_id")
    if brief.get("launch_date") is None:
        raise DomainError("A campaign from a template needs a launch date.", field="launch_date")
    return campaign_from_template(
        actor=actor,
        workspace=workspace,
        template=template,
        assign_suggested=assign_suggested,
        **brief,
    )


def _spec_of(campaign: Campaign) -> dict[str, Any]:
    tasks = list(Task.objects.filter(campaign=campaign).select_related("channel"))
    keys = {t.pk: f"t{n}" for n, t in enumerate(tasks, start=1)}
    after: dict[int, list[dict[str, Any]]] = {}
    for d in Dependency.objects.filter(
        successor__campaign=campaign, predecessor__campaign=campaign
    ):
        after.setdefault(d.successor_id, []).append(
            {"task": keys[d.predecessor_id], "type": d.type, "lag": d.lag}
        )
    spec_tasks = []
    for t in tasks:
        row: dict[str, Any] = {
            "key": keys[t.pk],
            "title": t.title,
            "kind": t.kind,
            "role": t.role_needed,
            "duration": float(t.duration_days),
            "after": after.get(t.pk, []),
        }
        if t.estimate:
            row["estimate"] = list(t.estimate)
        if t.channel:
            row["channel"] = t.channel.key
        if t.effort_hours is not None:
            row["effort"] = float(t.effort_hours)
        if t.approval_kind:
            row["approval"] = t.approval_kind
        if t.milestone_id in keys:
            row["group"] = keys[t.milestone_id]
        spec_tasks.append(row)
    cal = calendar_for(campaign.workspace_id)
    conditions = []
    for c in campaign.conditions.all():
        before = 0
        if c.due_date and campaign.launch_date and c.due_date < campaign.launch_date:
            before = cal.working_days_between(c.due_date, campaign.launch_date)
        conditions.append(
            {
                "title": c.title,
                "kind": c.kind,
                "party": c.party,
                "lead_time": c.lead_time_days,
                "before_launch": before,
            }
        )
    return {"tasks": spec_tasks, "conditions": conditions}


@transaction.atomic
def campaign_save_as_template(
    *, actor: User, campaign: Campaign, name: str, description: str = ""
) -> CampaignTemplate:
    """The campaign's plan as a template: tasks, roles, durations, links, milestones and
    go-live conditions, without owners or dates."""
    return template_create(
        actor=actor,
        workspace=campaign.workspace,
        name=name,
        spec=_spec_of(campaign),
        description=description or f"Saved from {campaign.name}.",
    )


#: The most working days one change may add to or take from a template step.
STEP_CHANGE_MAX_DAYS = 60


@transaction.atomic
def template_step_lengthen(
    *, actor: User, template: CampaignTemplate, step_key: str, days: int
) -> tuple[float, float]:
    """Adds `days` working days (negative to take away) to one task of a template, its
    three-point estimate moved by as much; campaigns made from it before keep their plans.
    Returns the step's duration before and after."""
    require_planner(actor, template.workspace)
    if isinstance(days, bool) or not isinstance(days, int) or days == 0:
        raise DomainError("Give a whole number of working days other than 0.", field="days")
    if abs(days) > STEP_CHANGE_MAX_DAYS:
        raise DomainError(
            f"Change a step by at most {STEP_CHANGE_MAX_DAYS} working days at once.", field="days"
        )
    plan = template_plan(template.spec)
    step = next((t for t in plan.tasks if t.key == step_key), None)
    if step is None or step.kind != TaskKind.TASK:
        raise DomainError("Choose one of the template's tasks (not a milestone).", field="step")
    before = float(step.duration)
    after = before + days
    if after < 0.5:
        raise DomainError(
            f"“{step.title}” takes {before:g} days; it cannot be shortened by {-days}.",
            field="days",
        )
    spec = copy.deepcopy(template.spec)
    for row in spec["tasks"]:
        if row.get("key") == step_key:
            row["duration"] = after
            if row.get("estimate"):
                row["estimate"] = [max(0.5, float(v) + days) for v in row["estimate"]]
    template_plan(spec)
    template.spec = spec
    template.save(update_fields=["spec", "updated_at"])
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=template,
        workspace=template.workspace,
        changes={f"step {step.title} duration": [before, after]},
    )
    return before, after
