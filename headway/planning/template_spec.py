"""The template format: the engine's task network (engine/network_spec.py) extended with
titles, roles, channels, milestones and approvals, and go-live conditions due a number of
working days before the launch.

{"tasks": [{"key": "brief", "title": "Write the brief", "role": "strategist",
            "duration": 3, "kind": "task", "channel": "email", "effort": 6,
            "group": "key of a milestone", "approval": "design_asset",
            "after": ["key", {"task": "key", "type": "SS", "lag": 2}]}],
 "conditions": [{"title": "Music licence cleared", "kind": "rights",
                 "party": "third_party", "lead_time": 15, "before_launch": 5}]}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from headway.approvals.models import WorkKind
from headway.core.errors import DomainError
from headway.engine.cpm import Schedule, schedule
from headway.engine.network import NetworkError
from headway.engine.network_spec import Name, NetworkTask, Number, network_of, plan_error, refuse
from headway.planning.models import ConditionKind, Party, RoleNeeded, TaskKind

# Task and condition titles share the column length of Task.title.
TITLE_MAX = 200


def _title(value: Any) -> str:
    title = str(value if value is not None else "").strip()
    if not title:
        raise refuse("needs a title")
    if len(title) > TITLE_MAX:
        raise refuse(f"title has {len(title):,} characters; at most {TITLE_MAX} are allowed")
    return title


def _choice(name: str, values: list[str], says: str) -> BeforeValidator:
    def check(value: Any) -> str:
        if str(value) not in values:
            raise refuse(f"{name} {value!r} {says}")
        return str(value)

    return BeforeValidator(check)


def _whole_days(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise refuse("lead_time and before_launch are whole working days")
    try:
        days = int(value)
    except ValueError:
        raise refuse("lead_time and before_launch are whole working days") from None
    if days < 0:
        raise refuse("lead_time and before_launch cannot be negative")
    return days


Title = Annotated[str, BeforeValidator(_title)]
WholeDays = Annotated[int, BeforeValidator(_whole_days)]


class TemplateTask(NetworkTask):
    """A template task: a network task with a key, a title and what it needs. Milestones take
    no time; a task without a duration or an estimate takes one working day."""

    key: Name
    title: Title = Field("", validate_default=True)
    kind: Annotated[
        TaskKind,
        _choice("kind", TaskKind.values, f"is not one of {', '.join(TaskKind.values)}"),
    ] = TaskKind.TASK
    role: Annotated[str, _choice("role", RoleNeeded.values, "is not a known role")] = ""
    duration: Number = 1.0
    channel: Name = ""
    effort: Number | None = None
    group: Name = ""
    approval: Annotated[
        str, _choice("approval", ["", *WorkKind.values], "is not a kind of approval chain")
    ] = ""

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not value.strip():
            raise refuse("each task needs a 'key'")
        return value.strip()

    @model_validator(mode="after")
    def _milestones_take_no_time(self) -> TemplateTask:
        if self.kind != TaskKind.TASK:
            object.__setattr__(self, "duration", 0.0)
            object.__setattr__(self, "estimate", None)
        return self


class TemplateCondition(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    title: Title = Field("", validate_default=True)
    kind: Annotated[str, _choice("kind", ConditionKind.values, "is not a kind of condition")] = (
        ConditionKind.READINESS
    )
    party: Annotated[str, _choice("party", Party.values, "is not internal or third_party")] = (
        Party.INTERNAL
    )
    lead_time: WholeDays = 0
    before_launch: WholeDays = 0


def _no_conditions(value: Any) -> Any:
    return [] if value is None else value


class TemplateSpec(BaseModel):
    """A template: at least one task, milestones that group tasks, at most one launch."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    tasks: Annotated[list[TemplateTask], Field(min_length=1)]
    conditions: Annotated[list[TemplateCondition], BeforeValidator(_no_conditions)] = []

    @model_validator(mode="after")
    def _groups_and_launch(self) -> TemplateSpec:
        milestones = {t.key for t in self.tasks if t.kind != TaskKind.TASK}
        for t in self.tasks:
            if t.group and t.group not in milestones:
                raise _fail(
                    f"{t.group!r} is not a milestone of the template", f"task {t.key}.group"
                )
        if sum(1 for t in self.tasks if t.kind == TaskKind.LAUNCH) > 1:
            raise _fail("has more than one launch milestone", "spec")
        return self


@dataclass(frozen=True)
class TemplatePlan:
    tasks: list[TemplateTask]
    conditions: list[TemplateCondition]
    schedule: Schedule

    def launch_key(self) -> str | None:
        return next((t.key for t in self.tasks if t.kind == TaskKind.LAUNCH), None)

    def offset_from_launch(self, key: str) -> float:
        """Working days from the launch to the task's early start (negative before it)."""
        launch = self.launch_key()
        anchor = self.schedule.tasks[launch].early_start if launch else self.schedule.duration
        return self.schedule.tasks[key].early_start - anchor


def _fail(message: str, where: str) -> DomainError:
    return DomainError(f"Template {where}: {message}", field="spec", code="template_invalid")


def template_plan(spec: Any) -> TemplatePlan:
    """Reads and checks a template against `TemplateSpec`: every field, every link and the
    network as a whole (an unknown task, a cycle or a negative duration is named). Raises
    DomainError."""
    if not isinstance(spec, dict) or not isinstance(spec.get("tasks"), list):
        raise _fail("a template is an object with a 'tasks' list", "spec")
    if not spec["tasks"]:
        raise _fail("has no tasks", "spec")
    try:
        model = TemplateSpec.model_validate(spec)
    except ValidationError as exc:
        error = plan_error(exc, spec, key="key")
        raise _fail(error.message, error.where or "spec") from None
    try:
        sched = schedule(network_of((t.key, t, "") for t in model.tasks))
    except NetworkError as exc:
        raise _fail(str(exc), "network") from None
    return TemplatePlan(tasks=model.tasks, conditions=model.conditions, schedule=sched)
