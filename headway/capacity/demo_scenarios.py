"""Harbor & Pine's saved what-if: the holiday gift guide added on 1 December (or, when the
demo is built too late in the year for that, about two weeks out), from a "Holiday gift
guide" template made through the template service. Its copy, pictures and page land on the
people the newsletter waits for, so the newsletter's work ends later."""

from __future__ import annotations

import datetime as dt

from headway.accounts.models import User
from headway.capacity.models import Scenario
from headway.capacity.scenarios import scenario_create
from headway.planning.models import CampaignTemplate
from headway.planning.services.templates import template_create
from headway.workspaces.models import Workspace

GIFT_GUIDE = "Holiday gift guide"
GIFT_GUIDE_SPEC = {
    "tasks": [
        {"key": "picks", "title": "Choose the gifts", "role": "strategist", "duration": 2,
         "effort": 2},
        {"key": "copy", "title": "Write the gift guide", "role": "copywriter", "duration": 3,
         "effort": 18, "after": ["picks"]},
        {"key": "shoot", "title": "Photograph the gifts", "role": "designer", "duration": 3,
         "effort": 18, "after": ["picks"]},
        {"key": "page", "title": "Build the gift guide page", "role": "web", "duration": 2,
         "effort": 12, "after": ["copy", "shoot"]},
        {"key": "social", "title": "Gift guide social posts", "role": "social", "duration": 2,
         "after": ["copy", "shoot"]},
        {"key": "launch", "title": "Gift guide live", "kind": "launch",
         "after": ["page", "social"]},
    ],
    "conditions": [],
}  # fmt: skip


def gift_guide_launch(today: dt.date) -> dt.date:
    """1 December when it is still ahead (and not tomorrow), else about two weeks out; a
    weekday either way."""
    day = dt.date(today.year, 12, 1)
    if not today + dt.timedelta(days=2) <= day <= today + dt.timedelta(days=60):
        day = today + dt.timedelta(days=14)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def demo_scenarios(workspace: Workspace) -> Scenario | None:
    """Adds the saved scenario once, worked out; running it again changes nothing."""
    if Scenario.objects.filter(workspace=workspace).exists():
        return None
    jordan = User.objects.filter(
        memberships__workspace=workspace, email__startswith="jordan@"
    ).first()
    if jordan is None:
        return None
    template = CampaignTemplate.objects.filter(workspace=workspace, name=GIFT_GUIDE).first()
    if template is None:
        template = template_create(
            actor=jordan,
            workspace=workspace,
            name=GIFT_GUIDE,
            spec=GIFT_GUIDE_SPEC,
            description="Pick the gifts, write and photograph them, build the page, post.",
        )
    launch = gift_guide_launch(workspace.today())
    return scenario_create(
        actor=jordan,
        workspace=workspace,
        template_id=template.pk,
        launch_date=launch,
        name=f"Add the holiday gift guide on {launch:%-d %b}",
        compute=True,
    )


def demo_scenarios_refresh(workspace: Workspace) -> None:
    """Works the saved scenario out again when the demo's later steps changed the plans it
    read (so a fresh demo's answer is current); an unchanged demo is left alone."""
    from headway.capacity.scenarios import scenario_compute
    from headway.capacity.scenarios_selectors import scenario_outdated

    for scenario in Scenario.objects.filter(workspace=workspace, status="done"):
        if scenario_outdated(scenario):
            scenario_compute(scenario=scenario)
