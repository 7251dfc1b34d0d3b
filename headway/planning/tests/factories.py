"""Small builders for plans in tests."""

from __future__ import annotations

import datetime as dt
import itertools

from headway.conftest import Team
from headway.planning.models import Campaign, Task
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_create


def chain(
    team: Team, name: str = "Spring launch", *durations: float, launch: dt.date | None = None
) -> tuple[Campaign, list[Task]]:
    """A campaign whose tasks run one after another, ending in a launch milestone."""
    campaign = campaign_create(
        actor=team.manager, workspace=team.workspace, name=name, launch_date=launch
    )
    tasks = []
    for n, days in enumerate(durations or (2, 3, 1), start=1):
        tasks.append(
            task_create(
                actor=team.manager, campaign=campaign, title=f"Step {n}", duration_days=days
            )
        )
    tasks.append(task_create(actor=team.manager, campaign=campaign, title="Launch", kind="launch"))
    for a, b in itertools.pairwise(tasks):
        dependency_add(actor=team.manager, predecessor=a, successor=b)
    campaign.refresh_from_db()
    return campaign, [Task.objects.get(pk=t.pk) for t in tasks]
