"""The newcomer page: what is in flight and why, who owns what, how the team works, and the
decisions taken lately, readable in two minutes. A fixed number of queries however many
campaigns, tasks and people the workspace has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch

from headway.accounts.models import User
from headway.approvals.models import ApprovalChain, ApprovalStep
from headway.insights.models import CheckInDecision
from headway.insights.selectors import findings
from headway.insights.selectors.checkins import recent_decisions
from headway.insights.selectors.health import HealthView
from headway.planning.models import (
    Campaign,
    CampaignTemplate,
    GoLiveCondition,
    Task,
    TaskKind,
)
from headway.publishing.models import Cadence
from headway.workspaces.models import Membership, Role, Workspace

TASKS_PER_PERSON = 3


@dataclass
class InFlight:
    campaign: Campaign
    health: HealthView | None
    next_milestone: Task | None


@dataclass(frozen=True)
class TaskLine:
    pk: int
    title: str
    campaign_name: str


@dataclass
class Owner:
    user: User
    role: str
    task_count: int = 0
    tasks: list[TaskLine] = field(default_factory=list)
    approves: list[str] = field(default_factory=list)
    conditions: list[GoLiveCondition] = field(default_factory=list)


@dataclass
class Newcomer:
    in_flight: list[InFlight]
    owners: list[Owner]
    templates: list[CampaignTemplate]
    chains: list[ApprovalChain]
    cadences: list[Cadence]
    decisions: list[CheckInDecision]


def _in_flight(workspace: Workspace) -> list[InFlight]:
    campaigns = list(
        findings.open_campaigns(workspace).select_related("owner").order_by("launch_date", "id")
    )
    health = findings.health_of(workspace, campaigns)
    milestones: dict[int, Task] = {}
    for m in (
        findings.open_tasks(workspace)
        .filter(kind__in=[TaskKind.MILESTONE, TaskKind.LAUNCH])
        .order_by("due_date", "position", "id")
    ):
        milestones.setdefault(m.campaign_id, m)
    return [InFlight(c, health.get(c.pk), milestones.get(c.pk)) for c in campaigns]


def _owners(workspace: Workspace) -> list[Owner]:
    members = (
        Membership.objects.filter(workspace=workspace)
        .exclude(role=Role.CLIENT)
        .select_related("user")
        .order_by("user__name")
    )
    people = {m.user_id: Owner(m.user, m.get_role_display()) for m in members}
    for tid, title, owner_id, campaign_name in (
        findings.open_tasks(workspace)
        .filter(owner_id__in=people, kind=TaskKind.TASK)
        .order_by("due_date", "id")
        .values_list("id", "title", "owner_id", "campaign__name")
    ):
        p = people[owner_id]
        p.task_count += 1
        if len(p.tasks) < TASKS_PER_PERSON:
            p.tasks.append(TaskLine(tid, title, campaign_name))
    for step in (
        ApprovalStep.objects.filter(chain__workspace=workspace)
        .select_related("chain")
        .prefetch_related("approvers")
    ):
        for u in step.approvers.all():
            if u.pk in people and step.chain.name not in people[u.pk].approves:
                people[u.pk].approves.append(step.chain.name)
    for g in (
        GoLiveCondition.objects.filter(
            workspace=workspace,
            met_at__isnull=True,
            owner_id__in=people,
            campaign__status__in=findings.OPEN_STATUSES,
        )
        .select_related("campaign")
        .order_by("due_date", "id")
    ):
        people[g.owner_id].conditions.append(g)  # type: ignore[index]
    return list(people.values())


def newcomer_page(workspace: Workspace, today: dt.date) -> Newcomer:
    return Newcomer(
        in_flight=_in_flight(workspace),
        owners=_owners(workspace),
        templates=list(CampaignTemplate.objects.filter(workspace=workspace).order_by("name")),
        chains=list(
            ApprovalChain.objects.filter(workspace=workspace)
            .prefetch_related(
                Prefetch(
                    "steps",
                    queryset=ApprovalStep.objects.select_related("backup")
                    .prefetch_related("approvers")
                    .order_by("position"),
                )
            )
            .order_by("name")
        ),
        cadences=list(
            Cadence.objects.filter(workspace=workspace)
            .select_related("channel")
            .order_by("channel__name")
        ),
        decisions=recent_decisions(workspace),
    )
