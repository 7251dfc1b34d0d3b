"""Harbor & Pine's capacity: everyone's hours and kind of work, Alex the freelancer on
Tuesday to Thursday, Priya the designer booked over her hours in two weeks' time. Sam's time
off is left for the visitor to enter, so the cover preview (J3) can be tried."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from headway.accounts.models import User
from headway.capacity.demo_scenarios import demo_scenarios
from headway.capacity.models import Capacity
from headway.capacity.services import capacity_set
from headway.planning.models import Campaign, Task
from headway.planning.services.tasks import task_create, task_update
from headway.workspaces.models import Workspace

# email name: (weekly hours, weekdays, kind of work, day rate)
HARBOR_CAPACITY: dict[str, tuple[int, list[int], str, Decimal | None]] = {
    # Maya ran the social accounts before Sam joined, and still covers them.
    "maya": (16, [0, 1, 2, 3, 4], "social", None),
    "jordan": (24, [0, 1, 2, 3, 4], "strategist", None),
    "priya": (32, [0, 1, 2, 3, 4], "designer", None),
    "tom": (32, [0, 1, 2, 3, 4], "copywriter", None),
    "lena": (32, [0, 1, 2, 3, 4], "web", None),
    "sam": (32, [0, 1, 2, 3, 4], "social", None),
    "alex": (18, [1, 2, 3], "designer", Decimal("480.00")),
    "chris": (16, [0, 1, 2, 3, 4], "paid_ads", Decimal("520.00")),
}


def demo_capacity(workspace: Workspace) -> None:
    """Adds the capacity once; running it again changes nothing."""
    if Capacity.objects.filter(workspace=workspace).exists():
        return
    people = {
        u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)
    }
    jordan = people["jordan"]
    today = workspace.today()
    for key, (hours, days, skill, rate) in HARBOR_CAPACITY.items():
        freelance = rate is not None
        capacity_set(
            actor=jordan,
            workspace=workspace,
            user_id=people[key].pk,
            weekly_hours=hours,
            weekdays=days,
            skill=skill,
            first_day=today - dt.timedelta(days=60) if freelance else None,
            last_day=today + dt.timedelta(days=180) if freelance else None,
            day_rate=rate,
        )
    _priya_overbooked(workspace, jordan, people["priya"], today)
    demo_scenarios(workspace)


def _priya_overbooked(workspace: Workspace, jordan: User, priya: User, today: dt.date) -> None:
    """Two design jobs land on Priya in the week two weeks from now: 56 h of her 32."""
    shoe = Campaign.objects.filter(workspace=workspace, name="Trail shoe launch").first()
    if shoe is None:
        return
    week = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=2)
    task_create(
        actor=jordan,
        campaign=shoe,
        title="Retouch the product photography",
        duration_days=4,
        effort_hours=32,
        owner=priya.pk,
        role_needed="designer",
        not_before=week,
    )
    concepts = Task.objects.filter(campaign=shoe, title="Creative concepts").first()
    if concepts is not None:
        task_update(
            actor=jordan,
            task=concepts,
            version=concepts.version,
            owner=priya.pk,
            effort_hours=40,
            not_before=week,
        )
