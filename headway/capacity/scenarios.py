"""Writes to what-if scenarios: create (checked, then worked out in the background), compute
(the engine's answer stored with the time it was computed), apply (made a real campaign
through planning's template service) and delete. Each records an activity event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import event_record
from headway.capacity.models import Scenario, ScenarioStatus
from headway.capacity.scenarios_fetch import result_json, scenario_input
from headway.capacity.scenarios_selectors import plan_mark
from headway.capacity.selectors import OPEN_CAMPAIGNS, PersonCapacity, capacity_people
from headway.core.bounds import check_date, check_text, within
from headway.core.errors import DomainError
from headway.engine.leveling import LevelError
from headway.engine.network import NetworkError
from headway.engine.whatif import scenario_run
from headway.planning.models import (
    Campaign,
    CampaignStatus,
    CampaignTemplate,
    RoleNeeded,
    Task,
    TaskKind,
    TaskStatus,
)
from headway.planning.services.access import require_planner
from headway.planning.services.campaigns import campaign_set_status, campaign_update
from headway.planning.services.tasks import task_update
from headway.planning.services.templates import campaign_from_template
from headway.workspaces.models import Membership, Role, Workspace

TRIALS_MIN = 100
TRIALS_MAX = 10_000
TRIALS_DEFAULT = 2000
ADD_PEOPLE_MAX = 10
REMOVE_PEOPLE_MAX = 50
NAME_MAX = 120
SCENARIO_FIELDS = ["name", "template", "draft", "launch_date", "remove_people", "add_people"]


# -- checks ----------------------------------------------------------------------------------


def _trials(trials: Any) -> int:
    if isinstance(trials, bool) or not isinstance(trials, int):
        raise DomainError("Trials is a whole number.", field="trials")
    if not TRIALS_MIN <= trials <= TRIALS_MAX:
        raise DomainError(
            f"Trials run from {TRIALS_MIN:,} to {TRIALS_MAX:,}; {trials:,} is too "
            f"{'many' if trials > TRIALS_MAX else 'few'}.",
            field="trials",
        )
    return trials


def _launch(workspace: Workspace, launch_date: Any) -> dt.date:
    if not isinstance(launch_date, dt.date):
        raise DomainError("Give a launch date (YYYY-MM-DD).", field="launch_date")
    within("launch_date", check_date, launch_date)
    today = workspace.today()
    if launch_date < today:
        raise DomainError(
            f"The launch date {launch_date:%-d %b %Y} has passed (today is {today:%-d %b %Y}): "
            "a scenario asks about a launch still ahead. Choose today or later.",
            field="launch_date",
        )
    return launch_date


def _source(
    workspace: Workspace, template_id: int | None, draft_id: int | None
) -> tuple[CampaignTemplate | None, Campaign | None]:
    if (template_id is None) == (draft_id is None):
        raise DomainError("Choose a template or a draft campaign (one of them).", field="template")
    if template_id is not None:
        template = CampaignTemplate.objects.filter(workspace=workspace, pk=template_id).first()
        if template is None:
            raise DomainError(
                f"No template {template_id} in this workspace; choose one of its templates.",
                field="template",
            )
        return template, None
    draft = Campaign.objects.filter(
        workspace=workspace, pk=draft_id or 0, status=CampaignStatus.DRAFT
    ).first()
    if draft is None:
        raise DomainError(
            f"No draft campaign {draft_id} in this workspace; a scenario takes on a draft.",
            field="draft",
        )
    return None, draft


def _hours(value: Any, where: str) -> float:
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(f"“{value}” is not a number of hours.", field=where) from None
    if not hours.is_finite() or not 1 <= hours <= 80:
        raise DomainError("Weekly hours of a freelancer run from 1 to 80.", field=where)
    return float(hours)


def _added(add_people: Any) -> list[dict[str, Any]]:
    if not isinstance(add_people, list) or len(add_people) > ADD_PEOPLE_MAX:
        raise DomainError(
            f"Add at most {ADD_PEOPLE_MAX} freelancers to a scenario.", field="add_people"
        )
    out = []
    for n, p in enumerate(add_people):
        where = f"add_people[{n}]"
        if not isinstance(p, dict):
            raise DomainError("Each freelancer is an object.", field=where)
        name = within(f"{where}.name", check_text, str(p.get("name") or "").strip(), max_length=80)
        role = str(p.get("role") or "")
        if role not in RoleNeeded.values or not role:
            raise DomainError(
                f"Say what kind of work the freelancer does: one of "
                f"{', '.join(v for v in RoleNeeded.values if v)}.",
                field=f"{where}.role",
            )
        days = p.get("weekdays", [0, 1, 2, 3, 4])
        if (
            not isinstance(days, list)
            or not days
            or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days)
        ):
            raise DomainError(
                "Working days are weekday numbers, Monday 0 to Sunday 6 (at least one).",
                field=f"{where}.weekdays",
            )
        label = str(RoleNeeded(role).label)
        out.append(
            {
                "name": name or f"Freelance {label.lower()}",
                "role": role,
                "weekly_hours": _hours(p.get("weekly_hours", 16), f"{where}.weekly_hours"),
                "weekdays": sorted(set(days)),
            }
        )
    return out


def _removed(people: list[PersonCapacity], remove_people: Any) -> list[int]:
    if not isinstance(remove_people, list) or len(remove_people) > REMOVE_PEOPLE_MAX:
        raise DomainError("Remove people as a list of their ids.", field="remove_people")
    ids = []
    for value in remove_people:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError("Remove people as a list of their ids.", field="remove_people")
        ids.append(value)
    known = {p.user_id for p in people}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise DomainError(
            f"Nobody with id {unknown[0]} carries work in this workspace.", field="remove_people"
        )
    return sorted(set(ids))


def _check_staffed(
    workspace: Workspace,
    people: list[PersonCapacity],
    removed: list[int],
    added: list[dict[str, Any]],
) -> None:
    """Refuses a scenario that removes the only people doing some of the open work, naming
    whose work and which kind, and what would make it possible."""
    if not removed:
        return
    skill = {p.user_id: p.skill for p in people}
    names = {p.user_id: p.name for p in people}
    left = {p.skill for p in people if p.user_id not in removed} | {a["role"] for a in added}
    if not (set(skill) - set(removed)) and not added:
        raise DomainError(
            "Nobody would be left to do the work: keep someone, or add a freelancer.",
            field="remove_people",
            code="scenario_impossible",
        )
    open_tasks = (
        Task.objects.filter(
            workspace=workspace,
            owner_id__in=removed,
            kind=TaskKind.TASK,
            campaign__status__in=OPEN_CAMPAIGNS,
        )
        .exclude(status=TaskStatus.DONE)
        .values_list("owner_id", "role_needed")
    )
    missing: dict[tuple[int, str], int] = {}
    for owner, role in open_tasks:
        kind = role or skill.get(owner, "")
        if kind not in left:
            missing[(owner, kind)] = missing.get((owner, kind), 0) + 1
    if missing:
        parts = []
        for (owner, kind), count in sorted(missing.items(), key=lambda x: -x[1]):
            label = str(RoleNeeded(kind).label).lower() if kind else "their"
            parts.append(
                f"{names[owner]}'s {count} open task{'s' if count != 1 else ''} "
                f"need{'s' if count == 1 else ''} {label} work and nobody left does it"
            )
        raise DomainError(
            "This scenario cannot be worked out: "
            + "; ".join(parts)
            + ". Keep them, or add a freelancer who does that work.",
            field="remove_people",
            code="scenario_impossible",
        )


# -- writes ----------------------------------------------------------------------------------


def _enqueue(scenario: Scenario) -> None:
    from headway.capacity.scenarios_jobs import scenario_compute_job

    scenario_id, workspace_id = scenario.pk, scenario.workspace_id
    transaction.on_commit(
        lambda: scenario_compute_job.enqueue(scenario_id=scenario_id, workspace_id=workspace_id)
    )


@transaction.atomic
def scenario_create(
    *,
    actor: User,
    workspace: Workspace,
    launch_date: Any,
    template_id: int | None = None,
    draft_id: int | None = None,
    remove_people: Any = (),
    add_people: Any = (),
    trials: Any = TRIALS_DEFAULT,
    name: str = "",
    compute: bool = False,
) -> Scenario:
    """A scenario, checked (a passed launch date, an unknown template, people removed whose
    work nobody else does are refused, saying why) and queued to be worked out in the
    background; with `compute`, worked out now."""
    require_planner(actor, workspace)
    template, draft = _source(workspace, template_id, draft_id)
    launch = _launch(workspace, launch_date)
    trials = _trials(trials)
    people = capacity_people(workspace)
    removed = _removed(people, list(remove_people))
    added = _added(list(add_people))
    _check_staffed(workspace, people, removed, added)
    source = template.name if template else draft.name if draft else ""
    name = (name or "").strip() or f"Add {source} on {launch:%-d %b}"[:NAME_MAX]
    scenario = Scenario.objects.create(
        workspace=workspace,
        name=within("name", check_text, name, max_length=NAME_MAX),
        template=template,
        draft=draft,
        launch_date=launch,
        remove_people=removed,
        add_people=added,
        trials=trials,
        created_by=actor,
    )
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=scenario,
        workspace=workspace,
        changes={"name": [None, scenario.name], "launch_date": [None, launch.isoformat()]},
    )
    if compute:
        return scenario_compute(scenario=scenario)
    _enqueue(scenario)
    return scenario


def _progress(scenario_id: int) -> Callable[[float], None]:
    last = [-1]

    def report(share: float) -> None:
        percent = min(max(int(share * 100), 0), 99)
        if percent >= last[0] + 5:
            last[0] = percent
            Scenario.objects.filter(pk=scenario_id).update(progress=percent)

    return report


def scenario_compute(*, scenario: Scenario) -> Scenario:
    """Works the scenario out (fetch, engine, store) and keeps the answer with the time it was
    computed; a scenario whose inputs went away is marked failed with the reason."""
    Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.RUNNING, progress=0)
    try:
        mark = plan_mark(scenario.workspace)  # read first: a change during the run shows
        inp, names = scenario_input(scenario)
        result = scenario_run(inp, _progress(scenario.pk))
        answer = result_json(result, inp, names) | {"plan_mark": mark}
    except (DomainError, NetworkError, LevelError) as exc:
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        return _store(scenario, ScenarioStatus.FAILED, None, message)
    except Exception:
        # A bug: the page stops waiting, and the job's failure is logged (and retried).
        _store(scenario, ScenarioStatus.FAILED, None, "Something went wrong on our side.")
        raise
    return _store(scenario, ScenarioStatus.DONE, answer, "")


@transaction.atomic
def _store(scenario: Scenario, status: str, answer: dict[str, Any] | None, error: str) -> Scenario:
    scenario.status = status
    scenario.result = answer
    scenario.error = error
    scenario.progress = 100
    scenario.computed_at = timezone.now()
    scenario.save(
        update_fields=["status", "result", "error", "progress", "computed_at", "updated_at"]
    )
    event_record(
        actor=None,
        verb=Verb.UPDATED,
        obj=scenario,
        workspace=scenario.workspace,
        changes={"status": [ScenarioStatus.RUNNING.value, status]},
    )
    return scenario


@transaction.atomic
def scenario_recompute(*, actor: User, scenario: Scenario) -> Scenario:
    """Queues the scenario to be worked out again (the plan has moved since)."""
    require_planner(actor, scenario.workspace)
    if scenario.status == ScenarioStatus.APPLIED:
        raise DomainError("This scenario is a campaign now; nothing to work out.", field="status")
    Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.QUEUED, progress=0)
    scenario.status, scenario.progress = ScenarioStatus.QUEUED, 0
    event_record(
        actor=actor, verb=Verb.UPDATED, obj=scenario, workspace=scenario.workspace,
        changes={"status": [None, ScenarioStatus.QUEUED.value]},
    )  # fmt: skip
    _enqueue(scenario)
    return scenario


@transaction.atomic
def scenario_apply(*, actor: User, scenario: Scenario, name: str = "") -> Campaign:
    """Makes the scenario's campaign real: from its template through planning's template
    service (dated backward from the launch date, owners suggested by role), or its draft
    planned for the launch date. People removed or added stay a what-if."""
    workspace = scenario.workspace
    require_planner(actor, workspace)
    if scenario.status == ScenarioStatus.APPLIED:
        raise DomainError("This scenario is already a campaign.", field="status")
    if scenario.status != ScenarioStatus.DONE or not scenario.result:
        raise DomainError("Wait until the scenario is worked out.", field="status")
    if scenario.result.get("impossible"):
        raise DomainError("This scenario cannot be done as it stands.", field="status")
    _launch(workspace, scenario.launch_date)
    if scenario.draft is not None:
        campaign = scenario.draft
        if campaign.launch_date != scenario.launch_date:
            campaign = campaign_update(
                actor=actor,
                campaign=campaign,
                version=campaign.version,
                launch_date=scenario.launch_date,
            )
        campaign = campaign_set_status(
            actor=actor, campaign=campaign, status=CampaignStatus.PLANNED
        )
    elif scenario.template is not None:
        title = (name or "").strip() or scenario.template.name
        campaign = campaign_from_template(
            actor=actor,
            workspace=workspace,
            template=scenario.template,
            name=title,
            launch_date=scenario.launch_date,
            assign_suggested=True,
        )
    else:
        raise DomainError("The scenario's template was deleted.", field="template")
    _owners_as_tried(actor, scenario, campaign)
    scenario.status = ScenarioStatus.APPLIED
    scenario.campaign = campaign
    scenario.save(update_fields=["status", "campaign", "updated_at"])
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=scenario,
        workspace=workspace,
        changes={"status": [ScenarioStatus.DONE.value, ScenarioStatus.APPLIED.value],
                 "campaign": [None, campaign.pk]},
    )  # fmt: skip
    return campaign


def _owners_as_tried(actor: User, scenario: Scenario, campaign: Campaign) -> None:
    """Gives each new task the member the scenario gave it (freelancers it added are not
    members: their tasks keep the owner suggested for the role). A template's task -n is the
    template's n-th task, which the template service places at position n."""
    tried = {
        t["id"]: t["owner_id"]
        for t in (scenario.result or {}).get("campaign", {}).get("tasks", [])
        if "id" in t and t.get("owner_id") and t["owner_id"] > 0  # older answers lack ids
    }
    members = set(
        Membership.objects.filter(workspace=scenario.workspace, user_id__in=set(tried.values()))
        .exclude(role=Role.CLIENT)
        .values_list("user_id", flat=True)
    )
    for task in Task.objects.filter(campaign=campaign).select_related("campaign", "workspace"):
        key = task.pk if scenario.draft_id else -task.position
        owner = tried.get(key)
        if owner in members and task.owner_id != owner and (task.owner_id is None or key < 0):
            task_update(actor=actor, task=task, version=task.version, owner=owner)


@transaction.atomic
def scenario_delete(*, actor: User, scenario: Scenario) -> None:
    """Deletes a scenario (a campaign made from it stays)."""
    require_planner(actor, scenario.workspace)
    event_record(
        actor=actor,
        verb=Verb.DELETED,
        obj=scenario,
        workspace=scenario.workspace,
        changes={"name": [scenario.name, None]},
    )
    scenario.delete()
