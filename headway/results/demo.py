"""Demo results: Harbor & Pine's March exports, imported through the importer and matched,
and the Mother's Day promo run through the services with the clock moved back to February
2026 so its results can be explained by its execution: planned for Monday 16 February, it
launched on Friday 27 February (9 working days late); its copy waited 6 working days for
Maya's approval over two rounds; its landing page was blocked 2 working days on her budget
sign-off; 2 of its 3 tasks were finished in the final two working days. Its brief asked for
2,700 ad clicks; Google Ads counted 1,674 in March (38% short).

The exports are March 2026's. The spring collection they credit ran then: it is made here from
the Seasonal promotion template with the clock in January and replayed through February (its
ads went live on Friday 27 February). A planning campaign that runs around today (the winter
webinar, this month's newsletter) does not take March's results: the results demo adds the
campaign that ran then (launched in March with the clock moved back) and gives it the exports'
keys, so the results, the reviews and the crunch page agree on when each campaign launched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import time_machine

from headway.accounts.models import User
from headway.approvals.models import ApprovalChain, ApprovalRequest
from headway.approvals.services import StepSpec, approval_decide, approval_resubmit, approval_start
from headway.approvals.services import chain_create as approval_chain_create
from headway.planning.demo_past import replay_campaign
from headway.planning.models import Campaign, CampaignTemplate, Channel, Task, TaskStatus
from headway.planning.services.campaigns import (
    campaign_create,
    campaign_set_start,
    campaign_set_status,
    campaign_update,
)
from headway.planning.services.tasks import task_create, task_set_status
from headway.planning.services.templates import campaign_from_template
from headway.results.mapping_demo import demo_mappings
from headway.results.models import Import, MatchKind
from headway.results.services import import_store, match_rule_create
from headway.workspaces.models import Membership, Role, Workspace

FILES = Path(__file__).resolve().parent / "demo_files"

#: The last day the sample exports cover
EXPORTS_END = dt.date(2026, 3, 31)

#: Demo campaign -> (UTM value, names on the ad platforms, rule prefix, the campaign that
#: ran in March when the demo campaign launches later: name, launch day, channels, objective)
_KEYS: dict[str, tuple[str, list[str], str, tuple[str, dt.date, list[str], str] | None]] = {
    "Spring collection launch": (
        "spring-launch-2026",
        ["Spring Launch 2026"],
        "Spring Launch 2026",
        None,
    ),
    "Layering for winter hikes webinar": (
        "small-space-webinar",
        ["Small Space Webinar"],
        "Small Space Webinar",
        (
            "Packing light webinar",
            dt.date(2026, 3, 12),
            ["email"],
            "Packing for a week on the trail in one small bag, live with the gear team.",
        ),
    ),
    "Monthly newsletter": (
        "march-newsletter",
        ["March Newsletter"],
        "",
        (
            "March newsletter",
            dt.date(2026, 3, 5),
            ["email"],
            "Spring ideas for small spaces, to the whole customer list.",
        ),
    ),
}


UNDERPERFORMER = "Mother's Day promo"


def demo_results(workspace: Workspace) -> None:
    """The Mother's Day promo's history, campaign keys, two rules, then every sample export
    imported (Brand is left unmatched, to be assigned on the import page)."""
    if Import.objects.filter(workspace=workspace).exists():
        return
    owner = Membership.objects.select_related("user").get(workspace=workspace, role=Role.OWNER).user
    _late_promo(workspace)
    _spring_collection(workspace)
    for name, (utm, platform_names, prefix, earlier) in _KEYS.items():
        campaign = Campaign.objects.filter(workspace=workspace, name=name).first()
        if campaign is None:
            continue
        if earlier and (campaign.launch_date is None or campaign.launch_date > EXPORTS_END):
            campaign = _ran_in_march(workspace, owner, *earlier)
        campaign_update(
            actor=owner,
            campaign=campaign,
            version=campaign.version,
            utm_campaign=utm,
            platform_names=platform_names,
        )
        if prefix:
            match_rule_create(
                actor=owner,
                workspace=workspace,
                campaign_id=campaign.pk,
                kind=MatchKind.STARTS_WITH,
                pattern=prefix,
            )
    for path in sorted(FILES.glob("*.csv")):
        import_store(actor=owner, workspace=workspace, data=path.read_bytes(), file_name=path.name)
    demo_mappings(workspace, owner)


def _at(workspace: Workspace, day: str, hour: float) -> time_machine.travel:
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), workspace.tzinfo)
    return time_machine.travel(moment + dt.timedelta(hours=hour), tick=False)


def _ran_in_march(
    workspace: Workspace, actor: User, name: str, launch: dt.date, channels: list[str], why: str
) -> Campaign:
    """A campaign planned two weeks ahead and launched on its day in March."""
    found = Channel.objects.filter(workspace=workspace, key__in=channels)
    with _at(workspace, str(launch - dt.timedelta(days=14)), 10):
        campaign = campaign_create(
            actor=actor,
            workspace=workspace,
            name=name,
            objective=why,
            launch_date=launch,
            channels=list(found),
            status="planned",
        )
        campaign = campaign_set_status(actor=actor, campaign=campaign, status="in_progress")
    with _at(workspace, str(launch), 11):
        return campaign_set_status(actor=actor, campaign=campaign, status="launched")


def _late_promo(workspace: Workspace) -> Campaign | None:
    """The Mother's Day promo from brief to a late launch (see the module docstring)."""
    people = {
        u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)
    }
    if not {"maya", "jordan", "tom", "lena", "chris"} <= people.keys():
        return None
    maya, jordan = people["maya"], people["jordan"]
    search = Channel.objects.filter(workspace=workspace, key="paid_search").first()
    with _at(workspace, "2026-02-02", 10):
        campaign = campaign_create(
            actor=jordan,
            workspace=workspace,
            name=UNDERPERFORMER,
            objective="Gift sales for Mothering Sunday (15 March) from search.",
            launch_date=dt.date(2026, 2, 16),
            budget=900,
            utm_campaign="mothers-day-promo",
            platform_names=["Mothers Day Promo - Search"],
            channels=[search] if search else [],
            metrics=[{"name": "Ad clicks", "target": 2700, "comparison": "at_least"}],
            status="planned",
        )
        chain = ApprovalChain.objects.filter(workspace=workspace, kind="content_draft").first()
        if chain is None:
            chain = approval_chain_create(
                actor=jordan,
                workspace=workspace,
                name="Content approval",
                kind="content_draft",
                steps=[StepSpec("Founder", approvers=[maya.pk], backup=jordan.pk, limit=2)],
            )
        copy, page, ads = (
            task_create(
                actor=jordan,
                campaign=campaign,
                title=title,
                owner=people[who].pk,
                duration_days=days,
                reschedule=False,
            )
            for title, who, days in (
                ("Write the promo copy", "tom", 2),
                ("Build the gift landing page", "lena", 2),
                ("Build the search ads", "chris", 1),
            )
        )
        task_create(actor=jordan, campaign=campaign, title="Launch", kind="launch")
        campaign = campaign_set_start(actor=jordan, campaign=campaign, start=dt.date(2026, 2, 3))
        campaign = campaign_set_status(actor=jordan, campaign=campaign, status="in_progress")

    def move(task: Task, status: str, day: str, hour: float, **extra: Any) -> None:
        with _at(workspace, day, hour):
            fresh = Task.objects.get(pk=task.pk)
            assert fresh.owner is not None
            task_set_status(actor=fresh.owner, task=fresh, status=status, force=True, **extra)

    def request() -> ApprovalRequest:
        return ApprovalRequest.objects.get(task=copy)

    move(copy, TaskStatus.IN_PROGRESS, "2026-02-03", 1.5)
    move(page, TaskStatus.IN_PROGRESS, "2026-02-05", 1.5)
    with _at(workspace, "2026-02-09", 10):
        approval_start(actor=jordan, task=Task.objects.get(pk=copy.pk), chain=chain, force=True)
    with _at(workspace, "2026-02-11", 10):
        approval_decide(actor=maya, request=request(), verdict="changes", comment="Warmer, please.")
    with _at(workspace, "2026-02-11", 16):
        approval_resubmit(actor=jordan, request=request())
    move(
        page,
        TaskStatus.BLOCKED,
        "2026-02-12",
        9,
        blocked_reason="Waiting for the budget sign-off",
        blocked_on=maya.pk,
    )
    move(page, TaskStatus.IN_PROGRESS, "2026-02-16", 9)
    with _at(workspace, "2026-02-17", 16):
        approval_decide(actor=maya, request=request(), verdict="approve", force=True)
    move(copy, TaskStatus.DONE, "2026-02-18", 11)
    with _at(workspace, "2026-02-18", 12):
        campaign.refresh_from_db()
        campaign = campaign_update(
            actor=jordan,
            campaign=campaign,
            version=campaign.version,
            launch_date=dt.date(2026, 2, 27),
        )
    move(ads, TaskStatus.IN_PROGRESS, "2026-02-24", 10)
    move(page, TaskStatus.DONE, "2026-02-25", 16)
    move(ads, TaskStatus.DONE, "2026-02-26", 15)
    with _at(workspace, "2026-02-27", 11):
        campaign.refresh_from_db()
        return campaign_set_status(actor=jordan, campaign=campaign, status="launched")


#: The spring collection's days: briefed in January, work from 2 February, the ads live on
#: Friday 27 February (the March exports count their spend from 1 March)
SPRING_CREATED = dt.date(2026, 1, 19)
SPRING_START = dt.date(2026, 2, 2)
SPRING_LAUNCH = dt.date(2026, 2, 27)


def _spring_collection(workspace: Workspace) -> Campaign | None:
    """The spring collection from the Seasonal promotion template, planned in January and run
    in February through the services with the clock moved (see planning.demo_past), so March's
    results, its review and the crunch and flow pages tell one story about it."""
    if Campaign.objects.filter(workspace=workspace, name="Spring collection launch").exists():
        return None
    people = {
        u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)
    }
    template = CampaignTemplate.objects.filter(
        workspace=workspace, name="Seasonal promotion"
    ).first()
    if template is None or not {"maya", "jordan"} <= people.keys():
        return None
    jordan = people["jordan"]
    channels = Channel.objects.filter(
        workspace=workspace, key__in=["paid_search", "paid_social", "email"]
    )
    with _at(workspace, str(SPRING_CREATED), 10):
        spring = campaign_from_template(
            actor=jordan,
            workspace=workspace,
            template=template,
            name="Spring collection launch",
            launch_date=SPRING_LAUNCH,
            assign_suggested=True,
            channels=list(channels),
            objective="Sell through the spring line before the summer stock lands.",
            metrics=[{"name": "Revenue", "target": 2500, "unit": "USD"}],
        )
    with _at(workspace, str(SPRING_START), 9):  # the day work began, pinned
        # under way from its first day, so the plan is dated forward from it
        spring = campaign_set_status(actor=jordan, campaign=spring, status="in_progress")
        spring = campaign_set_start(actor=jordan, campaign=spring, start=SPRING_START)
    return replay_campaign(
        workspace,
        spring,
        manager=jordan,
        approver=people["maya"],
        launched=SPRING_LAUNCH,
        until=workspace.today(),
    )
