"""Campaigns and their plans: briefs, tasks with one owner, dependencies, go-live conditions,
templates, and the calendar facts (holidays, time off) the schedule is computed on."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.core.models import TimestampedModel
from headway.core.versioning import VersionedModel
from headway.engine.network import LinkType
from headway.engine.three_point import pert_mean


class FunnelStage(models.TextChoices):
    BRAND = "brand", "Brand"
    DEMAND = "demand", "Demand"
    CONVERSION = "conversion", "Conversion"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    LAUNCHED = "launched", "Launched"
    IN_REVIEW = "in_review", "In review"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"

    @property
    def is_open(self) -> bool:
        """Whether the campaign's plan is still being worked."""
        return self in (CampaignStatus.DRAFT, CampaignStatus.PLANNED, CampaignStatus.IN_PROGRESS)


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    IN_REVIEW = "in_review", "In review"
    DONE = "done", "Done"


class TaskKind(models.TextChoices):
    TASK = "task", "Task"
    MILESTONE = "milestone", "Milestone"
    LAUNCH = "launch", "Launch"

    @property
    def is_milestone(self) -> bool:
        return self != TaskKind.TASK


class RoleNeeded(models.TextChoices):
    NONE = "", "Any role"
    STRATEGIST = "strategist", "Strategist"
    COPYWRITER = "copywriter", "Copywriter"
    DESIGNER = "designer", "Designer"
    WEB = "web", "Web"
    EMAIL = "email", "Email"
    SOCIAL = "social", "Social"
    PAID_ADS = "paid_ads", "Paid ads"
    VIDEO = "video", "Video"
    PR = "pr", "PR"
    EVENTS = "events", "Events"
    APPROVER = "approver", "Approver"


class ConditionKind(models.TextChoices):
    RIGHTS = "rights", "Rights or licences cleared"
    LEGAL = "legal", "Legal or regulatory approval"
    PARTNER = "partner", "Partner sign-off or co-funding"
    BUDGET = "budget", "Budget released"
    READINESS = "readiness", "Internal readiness"


class Party(models.TextChoices):
    INTERNAL = "internal", "Internal"
    THIRD_PARTY = "third_party", "Third party"


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", "at least"
    AT_MOST = "at_most", "at most"


LINK_TYPE_CHOICES = [(t.value, t.value) for t in LinkType]

STANDARD_CHANNELS = [
    ("email", "Email"),
    ("paid_search", "Paid search"),
    ("paid_social", "Paid social"),
    ("organic_social", "Organic social"),
    ("blog", "Blog"),
    ("website", "Website or landing page"),
    ("events", "Events"),
    ("pr", "PR"),
    ("partners", "Partners"),
]


class Channel(TimestampedModel):
    """A marketing channel; every workspace has the standard ones and may add its own."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="channels"
    )
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="channel_unique_key")
        ]

    def __str__(self) -> str:
        return self.name


class Holiday(TimestampedModel):
    """A day nobody in the workspace works."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField()
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "date"], name="holiday_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"


class TimeOff(TimestampedModel):
    """Days one person is away, first to last inclusive; the schedule works around them."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="time_off"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off"
    )
    first_day = models.DateField()
    last_day = models.DateField()
    note = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["first_day"]

    def __str__(self) -> str:
        return f"{self.user} off {self.first_day}..{self.last_day}"


class Campaign(VersionedModel):
    """A brief (why it matters, what success looks like) and the plan that delivers it."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="campaigns"
    )
    name = models.CharField(max_length=140)
    objective = models.TextField(blank=True)
    audience = models.TextField(blank=True)
    funnel_stage = models.CharField(max_length=20, choices=FunnelStage.choices, blank=True)
    budget = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    channels = models.ManyToManyField(Channel, blank=True, related_name="campaigns")
    constraints = models.TextField(blank=True)
    launch_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_campaigns",
    )
    utm_campaign = models.CharField(max_length=100, blank=True)
    platform_names = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    template_name = models.CharField(max_length=120, blank=True)
    # The schedule: the first working day of the plan, where the plan's last work ends, and
    # how the launch date compares (working days short when it is too early).
    plan_start = models.DateField(null=True, blank=True)
    projected_launch = models.DateField(null=True, blank=True)
    short_by = models.IntegerField(default=0)
    late_by = models.IntegerField(default=0)
    # What the last reschedule left, so that a write which moves no dates can skip the next
    # one: the plan's finish in working days, the smallest finish of the passes it was
    # settled from, and the day it was scheduled on (see planning/services/schedule.py).
    plan_finish = models.FloatField(null=True, blank=True)
    plan_finish_floor = models.FloatField(null=True, blank=True)
    scheduled_on = models.DateField(null=True, blank=True)
    # The launch as it happened (planning/launches.py): the brief's launch date when work
    # began, the moment and local day the campaign went out, and the working days between.
    planned_launch = models.DateField(null=True, blank=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    launched_on = models.DateField(null=True, blank=True)
    launch_late_days = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["launch_date", "name"]
        indexes = [models.Index(fields=["workspace", "status"], name="campaign_ws_status")]

    def __str__(self) -> str:
        return self.name

    @property
    def status_enum(self) -> CampaignStatus:
        return CampaignStatus(self.status)


class SuccessMetric(TimestampedModel):
    """One measure of success with its target, e.g. at least 120 qualified leads."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=100)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=30, blank=True)
    comparison = models.CharField(
        max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        target = f"{self.target.normalize():,f}" if self.target is not None else ""
        return f"{self.name} {self.get_comparison_display()} {target} {self.unit}".strip()


class Task(VersionedModel):
    """One piece of work (or a milestone) with at most one owner; it may not start unowned."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="tasks"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=TaskKind.choices, default=TaskKind.TASK)
    milestone = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="grouped"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tasks",
    )
    role_needed = models.CharField(max_length=20, choices=RoleNeeded.choices, blank=True)
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    effort_hours = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    duration_days = models.DecimalField(max_digits=6, decimal_places=1, default=1)
    optimistic_days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    likely_days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    pessimistic_days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    blocked_reason = models.CharField(max_length=240, blank=True)
    blocked_on = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="blocking_tasks",
    )
    position = models.PositiveIntegerField(default=0)
    # The kind of approval the work needs (a WorkKind of headway.approvals), from templates.
    approval_kind = models.CharField(max_length=20, blank=True)
    # A start-no-earlier-than date the planner sets (a slip, or a partner's date).
    not_before = models.DateField(null=True, blank=True)
    # Computed by the scheduler from the network, the launch date and the calendars.
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    total_float = models.FloatField(default=0)
    critical = models.BooleanField(default=False)
    explanation = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "position", "id"]
        indexes = [
            models.Index(fields=["workspace", "status"], name="task_ws_status"),
            models.Index(fields=["workspace", "owner"], name="task_ws_owner"),
            # A new task goes last: its position is read from this index alone, however long
            # the plan (without it, the read scanned every task of the campaign).
            models.Index(fields=["campaign", "position"], name="task_campaign_position"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_enum(self) -> TaskKind:
        return TaskKind(self.kind)

    @property
    def status_enum(self) -> TaskStatus:
        return TaskStatus(self.status)

    @property
    def is_milestone(self) -> bool:
        # Compared as text: a big plan's page asks this thousands of times per view.
        return self.kind != TaskKind.TASK

    @property
    def estimate(self) -> tuple[float, float, float] | None:
        if self.optimistic_days is None or self.likely_days is None:
            return None
        if self.pessimistic_days is None:
            return None
        return (
            float(self.optimistic_days),
            float(self.likely_days),
            float(self.pessimistic_days),
        )

    @property
    def expected_days(self) -> float:
        """The duration the schedule uses: the PERT mean when there is a three-point estimate."""
        if self.is_milestone:
            return 0.0
        est = self.estimate
        if est is not None:
            return pert_mean(*est)
        return float(self.duration_days)


class ChecklistItem(TimestampedModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(max_length=200)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Comment(TimestampedModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField()
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Attachment(TimestampedModel):
    """A file uploaded to a task, or a link to one kept elsewhere. Files live outside the
    static files and are served only to people who may see the task."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="attachments"
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="attachments/%Y/%m/", blank=True)
    url = models.URLField(max_length=500, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)  # files of a task are numbered 1, 2, ...
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_link(self) -> bool:
        return bool(self.url)


class Dependency(TimestampedModel):
    """The successor waits on the predecessor: FS, SS, FF or SF with a lag in working days
    (negative for a lead). Both tasks belong to one workspace; campaigns may differ."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="dependencies"
    )
    predecessor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links")
    type = models.CharField(max_length=2, choices=LINK_TYPE_CHOICES, default=LinkType.FS.value)
    lag = models.IntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="dependency_unique_pair"
            )
        ]

    def __str__(self) -> str:
        lag = f" {self.lag:+d}d" if self.lag else ""
        return f"{self.predecessor} -> {self.successor} ({self.type}{lag})"


class GoLiveCondition(TimestampedModel):
    """What must be true before launch; the launch cannot be done while one is unmet."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="golive_conditions"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="conditions")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ConditionKind.choices)
    party = models.CharField(max_length=20, choices=Party.choices, default=Party.INTERNAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_conditions",
    )
    due_date = models.DateField(null=True, blank=True)
    lead_time_days = models.PositiveIntegerField(default=0)
    # Internal readiness can follow a task: the condition is met when the task is done.
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="conditions"
    )
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_met(self) -> bool:
        return self.met_at is not None


class CampaignTemplate(TimestampedModel):
    """A reusable plan: tasks with roles, durations, links and milestones, and go-live
    conditions with due dates relative to the launch. `spec` has the shape of
    `headway.planning.template_spec`."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="campaign_templates"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    spec = models.JSONField(default=dict)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
