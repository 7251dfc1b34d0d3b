"""The template format: a task network with roles, durations, links and milestones, and
go-live conditions due a number of working days before the launch.

{"tasks": [{"key": "brief", "title": "Write the brief", "role": "strategist",
            "duration": 3, "kind": "task", "channel": "email", "effort": 6,
            "group": "key of a milestone", "approval": "design_asset",
            "after": ["key", {"task": "key", "type": "SS", "lag": 2}]}],
 "conditions": [{"title": "Music licence cleared", "kind": "rights",
                 "party": "third_party", "lead_time": 15, "before_launch": 5}]}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from headway.approvals.models import WorkKind
from headway.core.errors import DomainError
from headway.engine.cpm import Schedule, schedule
from headway.engine.network import NetworkError
from headway.engine.planfile import PlanError, parse_plan
from headway.planning.models import ConditionKind, Party, RoleNeeded, TaskKind

# Task and condition titles share the column length of Task.title.
TITLE_MAX = 200


@dataclass(frozen=True)
class TemplateTask:
    key: str
    title: str
    kind: TaskKind
    role: str
    duration: float
    estimate: tuple[float, float, float] | None
    channel: str
    effort: float | None
    group: str
    after: list[dict[str, Any]]
    approval: str = ""  # the kind of approval chain the task goes through


@dataclass(frozen=True)
class TemplateCondition:
    title: str
    kind: str
    party: str
    lead_time: int
    before_launch: int


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


def _links(raw: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise _fail("'after' must be a list", where)
    out = []
    for item in raw:
        if isinstance(item, str):
            out.append({"task": item, "type": "FS", "lag": 0})
        elif isinstance(item, dict) and "task" in item:
            out.append(
                {
                    "task": str(item["task"]),
                    "type": str(item.get("type", "FS")).upper(),
                    "lag": item.get("lag", 0),
                }
            )
        else:
            raise _fail("each link is a task key or {'task', 'type', 'lag'}", where)
    return out


def _task(raw: Any, k: int) -> TemplateTask:
    if not isinstance(raw, dict) or not str(raw.get("key", "")).strip():
        raise _fail("each task needs a 'key'", f"tasks[{k}]")
    key = str(raw["key"]).strip()
    where = f"task {key}"
    title = str(raw.get("title", "")).strip()
    if not title:
        raise _fail("needs a title", where)
    if len(title) > TITLE_MAX:
        raise _fail(f"title has {len(title):,} characters; at most {TITLE_MAX} are allowed", where)
    kind = str(raw.get("kind", TaskKind.TASK))
    if kind not in TaskKind.values:
        raise _fail(f"kind {kind!r} is not one of {', '.join(TaskKind.values)}", where)
    role = str(raw.get("role", ""))
    if role not in RoleNeeded.values:
        raise _fail(f"role {role!r} is not a known role", where)
    est = raw.get("estimate")
    estimate = tuple(float(v) for v in est) if isinstance(est, list) and len(est) == 3 else None
    effort = raw.get("effort")
    approval = str(raw.get("approval", ""))
    if approval and approval not in WorkKind.values:
        raise _fail(f"approval {approval!r} is not a kind of approval chain", where)
    return TemplateTask(
        approval=approval,
        key=key,
        title=title,
        kind=TaskKind(kind),
        role=role,
        duration=0.0 if kind != TaskKind.TASK else float(raw.get("duration", 1)),
        estimate=estimate,  # type: ignore[arg-type]
        channel=str(raw.get("channel", "")),
        effort=float(effort) if isinstance(effort, int | float) else None,
        group=str(raw.get("group", "")),
        after=_links(raw.get("after", []), where),
    )


def _condition(raw: Any, k: int) -> TemplateCondition:
    where = f"conditions[{k}]"
    if not isinstance(raw, dict) or not str(raw.get("title", "")).strip():
        raise _fail("each condition needs a title", where)
    kind = str(raw.get("kind", ConditionKind.READINESS))
    party = str(raw.get("party", Party.INTERNAL))
    if kind not in ConditionKind.values:
        raise _fail(f"kind {kind!r} is not a kind of condition", where)
    if party not in Party.values:
        raise _fail(f"party {party!r} is not internal or third_party", where)
    try:
        lead, before = int(raw.get("lead_time", 0)), int(raw.get("before_launch", 0))
    except (TypeError, ValueError):
        raise _fail("lead_time and before_launch are whole working days", where) from None
    if lead < 0 or before < 0:
        raise _fail("lead_time and before_launch cannot be negative", where)
    title = str(raw["title"]).strip()
    if len(title) > TITLE_MAX:
        raise _fail(f"title has {len(title):,} characters; at most {TITLE_MAX} are allowed", where)
    return TemplateCondition(title, kind, party, lead, before)


def template_plan(spec: Any) -> TemplatePlan:
    """Reads and checks a template: every field, every link and the network as a whole (an
    unknown task, a cycle or a negative duration is named). Raises DomainError."""
    if not isinstance(spec, dict) or not isinstance(spec.get("tasks"), list):
        raise _fail("a template is an object with a 'tasks' list", "spec")
    if not spec["tasks"]:
        raise _fail("has no tasks", "spec")
    tasks = [_task(raw, k) for k, raw in enumerate(spec["tasks"])]
    milestones = {t.key for t in tasks if t.kind != TaskKind.TASK}
    for t in tasks:
        if t.group and t.group not in milestones:
            raise _fail(f"group {t.group!r} is not a milestone of the template", f"task {t.key}")
    if sum(1 for t in tasks if t.kind == TaskKind.LAUNCH) > 1:
        raise _fail("has more than one launch milestone", "spec")
    conditions = [_condition(raw, k) for k, raw in enumerate(spec.get("conditions", []) or [])]
    plan_json = {
        "tasks": [
            {"id": t.key, "after": t.after}
            | ({"estimate": list(t.estimate)} if t.estimate else {"duration": t.duration})
            for t in tasks
        ]
    }
    try:
        plan = parse_plan(plan_json)
        sched = schedule(plan.network)
    except (PlanError, NetworkError) as exc:
        raise _fail(str(exc), "network") from None
    return TemplatePlan(tasks=tasks, conditions=conditions, schedule=sched)
