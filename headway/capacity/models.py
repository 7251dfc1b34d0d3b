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
