"""Capacity: the hours each person can give a week, on which days, and (for freelancers)
between which dates and at what day rate; and the workspace's default effort per day."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from headway.core.models import TimestampedModel
from headway.planning.models import RoleNeeded
from headway.workspaces.models import Role

WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONDAY_TO_FRIDAY = "01234"

# Weekly hours a person gives to planned work when nobody has said otherwise: members make
# the work; managers and owners also run the team, so less of their week is bookable.
DEFAULT_WEEKLY_HOURS = {
    Role.OWNER: Decimal(16),
    Role.ADMIN: Decimal(24),
    Role.MANAGER: Decimal(24),
    Role.MEMBER: Decimal(32),
    Role.FREELANCER: Decimal(16),
    Role.CLIENT: Decimal(0),
}
DEFAULT_HOURS_PER_DAY = Decimal(6)


class Capacity(TimestampedModel):
    """One member's capacity in one workspace; a member without one gets the defaults of
    their role, Monday to Friday."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="capacities"
    )
    membership = models.OneToOneField(
        "workspaces.Membership", on_delete=models.CASCADE, related_name="capacity"
    )
    weekly_hours = models.DecimalField(max_digits=4, decimal_places=1)
    # The weekdays worked, as digits Monday 0 .. Sunday 6: "01234" is Monday to Friday.
    weekdays = models.CharField(max_length=7, default=MONDAY_TO_FRIDAY)
    # The kind of work the person does, matched against a task's role needed for cover.
    skill = models.CharField(max_length=20, choices=RoleNeeded.choices, blank=True)
    first_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)
    day_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["membership__user__name"]

    def __str__(self) -> str:
        return f"{self.membership.user} {self.weekly_hours} h/week"

    @property
    def weekday_set(self) -> frozenset[int]:
        return frozenset(int(c) for c in self.weekdays)


class CapacitySettings(TimestampedModel):
    """The workspace's load settings: the hours a task without effort takes per day."""

    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="capacity_settings"
    )
    hours_per_day = models.DecimalField(
        max_digits=3, decimal_places=1, default=DEFAULT_HOURS_PER_DAY
    )

    class Meta:
        ordering = ["workspace"]

    def __str__(self) -> str:
        return f"{self.workspace}: {self.hours_per_day} h per day of duration"


class ScenarioStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be worked out"
    RUNNING = "running", "Being worked out"
    DONE = "done", "Worked out"
    FAILED = "failed", "Could not be worked out"
    APPLIED = "applied", "Made a campaign"


class Scenario(TimestampedModel):
    """A what-if: one more campaign (from a template, or a draft campaign) launching on a date,
    with people removed or freelancers added, compared with the plan as it stands. The answer
    is computed in the background and kept with the time it was computed."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="scenarios"
    )
    name = models.CharField(max_length=120)
    template = models.ForeignKey(
        "planning.CampaignTemplate", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    draft = models.ForeignKey(
        "planning.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    launch_date = models.DateField()
    # User ids of the members taken out of the team for this scenario.
    remove_people = models.JSONField(default=list, blank=True)
    # Freelancers added: [{"name", "weekly_hours", "weekdays": [0..6], "role"}].
    add_people = models.JSONField(default=list, blank=True)
    trials = models.PositiveIntegerField(default=2000)
    status = models.CharField(
        max_length=10, choices=ScenarioStatus.choices, default=ScenarioStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent, while running
    result = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    campaign = models.ForeignKey(
        "planning.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # the campaign it was made into
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pending(self) -> bool:
        return self.status in (ScenarioStatus.QUEUED, ScenarioStatus.RUNNING)

    @property
    def new_on_time_percent(self) -> int | None:
        """The new campaign's chance of launching on time, in percent, once worked out."""
        campaign = (self.result or {}).get("campaign") or {}
        p = campaign.get("p_on_time")
        return None if p is None else round(100 * p)

    @property
    def launches_hit(self) -> int | None:
        """How many running campaigns' chances drop notably, once worked out."""
        if not self.result:
            return None
        return sum(1 for r in self.result.get("running", []) if r.get("notable"))
