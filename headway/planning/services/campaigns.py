"""Campaign briefs: create, edit (refusing stale edits), status, success metrics, channels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, diff, event_record, snapshot
from headway.core.bounds import check_date, check_text, schedulable, within
from headway.core.errors import DomainError
from headway.core.versioning import guarded_update
from headway.planning.launches import LAUNCH_FIELDS, launch_follow_status
from headway.planning.models import (
    STANDARD_CHANNELS,
    Campaign,
    CampaignStatus,
    Channel,
    Comparison,
    FunnelStage,
    SuccessMetric,
    Task,
    TaskKind,
    TaskStatus,
)
from headway.planning.scheduling import calendar_for
from headway.planning.services.access import member_user, require_planner
from headway.planning.services.links import unmet_conditions
from headway.planning.services.schedule import campaign_reschedule
from headway.planning.services.tasks import task_status_apply
from headway.workspaces.models import Workspace

BRIEF_FIELDS = [
    "name",
    "objective",
    "audience",
    "funnel_stage",
    "budget",
    "currency",
    "constraints",
    "launch_date",
    "owner",
    "utm_campaign",
    "platform_names",
]


def channels_ensure(workspace: Workspace) -> list[Channel]:
    """The workspace's channels, creating the standard ones that are missing. Runs when a
    workspace is created; pages and the API read channels with selectors.workspace_channels."""
    existing = {c.key for c in Channel.objects.filter(workspace=workspace)}
    missing = [
        Channel(workspace=workspace, key=k, name=n)
        for k, n in STANDARD_CHANNELS
        if k not in existing
    ]
    if missing:
        Channel.objects.bulk_create(missing, ignore_conflicts=True)
    return list(Channel.objects.filter(workspace=workspace))


@transaction.atomic
def channel_create(*, actor: User, workspace: Workspace, name: str) -> Channel:
    require_planner(actor, workspace)
    name = name.strip()
    key = slugify(name).replace("-", "_")[:40]
    if not key:
        raise DomainError("Give the channel a name.", field="name")
    if Channel.objects.filter(workspace=workspace, key=key).exists():
        raise DomainError(f"There is already a channel called {name}.", field="name")
    name = within("name", check_text, name, max_length=60)
    channel = Channel.objects.create(workspace=workspace, key=key, name=name)
    event_record(actor=actor, verb=Verb.CREATED, obj=channel, workspace=workspace)
    return channel


def _clean_brief(workspace: Workspace, data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in data or creating:
        name = str(data.get("name") or "").strip()
        if not name:
            raise DomainError("Give the campaign a name.", field="name")
        if len(name) > 140:
            raise DomainError("The name is longer than 140 characters.", field="name")
        out["name"] = name
    for text in ("objective", "audience", "constraints", "utm_campaign"):
        if text in data:
            out[text] = str(data[text] or "").strip()
    if "funnel_stage" in data:
        stage = data["funnel_stage"] or ""
        if stage and stage not in FunnelStage.values:
            raise DomainError(f"{stage!r} is not a funnel stage.", field="funnel_stage")
        out["funnel_stage"] = stage
    if "budget" in data:
        out["budget"] = _money(data["budget"], "budget")
    if "currency" in data:
        currency = str(data["currency"] or "USD").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise DomainError("Use a three-letter currency code such as USD.", field="currency")
        out["currency"] = currency
    if "launch_date" in data:
        out["launch_date"] = data["launch_date"] or None
    if "owner" in data:
        out["owner"] = member_user(workspace, data["owner"], "owner")
    if "platform_names" in data:
        names = data["platform_names"] or []
        if isinstance(names, str):
            names = [n for n in (p.strip() for p in names.split(",")) if n]
        out["platform_names"] = [
            within("platform_names", check_text, str(n), max_length=100) for n in names
        ]
    return out


def _money(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(f"{value!r} is not an amount.", field=field) from None
    if amount < 0:
        raise DomainError("The amount cannot be negative.", field=field)
    return amount


def _check_launch(launch: dt.date | None, today: dt.date) -> None:
    if launch is not None:
        within("launch_date", check_date, launch)
    if launch is not None and launch < today:
        raise DomainError(
            f"The launch date {launch:%-d %B %Y} is in the past; choose today or later.",
            field="launch_date",
        )


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    workspace: Workspace,
    channels: list[Channel] | None = None,
    metrics: list[dict[str, Any]] | None = None,
    status: str = CampaignStatus.DRAFT,
    **brief: Any,
) -> Campaign:
    """A new campaign brief; with a launch date its plan is dated backward from it."""
    require_planner(actor, workspace)
    brief.setdefault("owner", actor.pk)  # whoever creates a campaign owns it until told
    fields = _clean_brief(workspace, brief, creating=True)
    campaign = Campaign(workspace=workspace, status=status, **fields)
    _check_launch(campaign.launch_date, campaign.workspace.today())
    if not campaign.utm_campaign:
        campaign.utm_campaign = slugify(campaign.name)[:100]
    launch_follow_status(campaign, status, timezone.now(), calendar_for(workspace.pk))
    campaign.save()
    if channels:
        campaign.channels.set(_own_channels(workspace, channels))
    for m in metrics or []:
        metric_add(actor=actor, campaign=campaign, **m)
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=campaign,
        workspace=workspace,
        changes=created_changes(campaign, ["name", "launch_date", "owner", "status"]),
    )
    return campaign


def _own_channels(workspace: Workspace, channels: list[Channel]) -> list[Channel]:
    for c in channels:
        if c.workspace_id != workspace.pk:
            raise DomainError("That channel belongs to another workspace.", field="channels")
    return channels


@transaction.atomic
def campaign_update(
    *,
    actor: User,
    campaign: Campaign,
    version: int,
    channels: list[Channel] | None = None,
    **brief: Any,
) -> Campaign:
    """Edits the brief. `version` is the one the editor started from: a campaign changed
    since then is not overwritten. A new launch date reschedules the plan backward."""
    require_planner(actor, campaign.workspace)
    fields = _clean_brief(campaign.workspace, brief, creating=False)
    before = snapshot(campaign, BRIEF_FIELDS)
    new_launch = fields.get("launch_date", campaign.launch_date)
    if new_launch != campaign.launch_date:
        _check_launch(new_launch, campaign.workspace.today())
    guarded_update(campaign, fields, expected=version)
    if channels is not None:
        campaign.channels.set(_own_channels(campaign.workspace, channels))
    changes = diff(before, snapshot(campaign, BRIEF_FIELDS))
    if changes:
        event_record(
            actor=actor,
            verb=Verb.UPDATED,
            obj=campaign,
            workspace=campaign.workspace,
            changes=changes,
        )
    if "launch_date" in changes and campaign.status_enum.is_open:
        # Back from the new date while the plan is being made; once under way its dates
        # stay and the launch is only compared with them (as the launch preview says).
        with schedulable("launch_date"):
            campaign_reschedule(campaign)
    return campaign


@transaction.atomic
def campaign_set_status(
    *, actor: User, campaign: Campaign, status: str, version: int | None = None
) -> Campaign:
    """Moves the campaign through its life. Launching marks its launch tasks done, each as
    the task service records a done task (its own event, a new version, the go-live
    conditions that follow it met); it is refused while any other go-live condition is
    unmet. With `version`, a change made from a stale copy is refused (StaleEdit)."""
    require_planner(actor, campaign.workspace)
    if status not in CampaignStatus.values:
        raise DomainError(f"{status!r} is not a campaign status.", field="status")
    launching: list[Task] = []
    if status == CampaignStatus.LAUNCHED:
        launching = list(
            Task.objects.filter(campaign=campaign, kind=TaskKind.LAUNCH)
            .exclude(status=TaskStatus.DONE)
            .select_related("workspace", "campaign")
        )
        _refuse_unmet(campaign, launching)
    before = campaign.status
    # the launch record as this move fixes it (planning/launches.py), in the same update
    moved = Campaign(
        workspace=campaign.workspace,
        launch_date=campaign.launch_date,
        **{f: getattr(campaign, f) for f in LAUNCH_FIELDS},
    )
    fixed = launch_follow_status(moved, status, timezone.now(), calendar_for(campaign.workspace_id))
    guarded_update(
        campaign, {"status": status, **{f: getattr(moved, f) for f in fixed}}, expected=version
    )
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=campaign,
        workspace=campaign.workspace,
        changes={"status": [before, status]},
    )
    for task in launching:
        task_status_apply(actor=actor, task=task, status=TaskStatus.DONE)
    return campaign


def _refuse_unmet(campaign: Campaign, launching: list[Task]) -> None:
    """A condition that follows one of the launch tasks is met by launching itself, so
    only the others hold the launch back."""
    unmet = unmet_conditions(campaign, launching)
    if unmet:
        names = ", ".join(c.title for c in unmet)
        raise DomainError(
            f"The campaign cannot launch while go-live conditions are unmet: {names}.",
            field="status",
            code="conditions_unmet",
        )


@transaction.atomic
def metric_add(
    *,
    actor: User,
    campaign: Campaign,
    name: str,
    target: Any,
    unit: str = "",
    comparison: str = Comparison.AT_LEAST,
) -> SuccessMetric:
    require_planner(actor, campaign.workspace)
    name = (name or "").strip()
    if not name:
        raise DomainError("Name the metric, e.g. qualified leads.", field="metric_name")
    amount = _money(target, "target")
    if amount is None:
        raise DomainError("Give the metric a target.", field="target")
    if comparison not in Comparison.values:
        raise DomainError(f"{comparison!r} is not at_least or at_most.", field="comparison")
    metric = SuccessMetric.objects.create(
        campaign=campaign,
        name=within("metric_name", check_text, name, max_length=100),
        target=amount,
        unit=within("unit", check_text, unit or "", max_length=30),
        comparison=comparison,
    )
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=metric,
        workspace=campaign.workspace,
        changes=created_changes(metric, ["name", "target", "unit", "comparison"]),
    )
    return metric


@transaction.atomic
def metric_remove(*, actor: User, metric: SuccessMetric) -> None:
    campaign = metric.campaign
    require_planner(actor, campaign.workspace)
    event_record(actor=actor, verb=Verb.DELETED, obj=metric, workspace=campaign.workspace)
    metric.delete()


@transaction.atomic
def campaign_set_start(
    *, actor: User, campaign: Campaign, start: dt.date, version: int | None = None
) -> Campaign:
    """Pins the plan's first day (when work really began) and dates the plan forward from it.
    Sent with the version it was read at, a pin on a brief someone changed since is refused."""
    require_planner(actor, campaign.workspace)
    within("plan_start", check_date, start)
    from headway.planning.services.schedule import campaign_reschedule

    before = campaign.plan_start
    guarded_update(campaign, {"plan_start": start}, expected=version)
    with schedulable("plan_start"):
        campaign_reschedule(campaign)
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=campaign,
        workspace=campaign.workspace,
        changes={"plan_start": [before, start]},
    )
    campaign.refresh_from_db()
    return campaign
