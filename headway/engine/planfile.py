"""The PLAN JSON format shared by the command line and the API.

{"tasks": [{"id": "C", "duration": 2, "after": ["A", {"task": "B", "type": "SS", "lag": 1}]},
           {"id": "E", "estimate": [1, 4, 7]}],
 "finish_by": 16, "start": "2026-03-02", "launch": "2026-04-15",
 "calendar": {"weekend": ["sat", "sun"], "holidays": ["2026-04-03"],
              "days_off": {"dana": ["2026-03-03", "2026-03-04"]}}}

A task may name its "owner"; with a start date, the owner's days off push and stretch the
task, and its explanation says so ("dana off 3-4 March").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from headway.engine.calendar import WorkCalendar, away_offsets, parse_calendar, plan_backward
from headway.engine.cpm import Schedule, Unavailable, schedule
from headway.engine.network import Link, LinkType, Network, NetworkError, Task
from headway.engine.pert import pert


class PlanError(ValueError):
    """A plan that cannot be read; the message names the task, link or field at fault."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where


@dataclass(frozen=True)
class Plan:
    network: Network
    finish_by: float | None
    start: dt.date | None
    launch: dt.date | None
    calendar: WorkCalendar
    owners: dict[str, str] = field(default_factory=dict)  # task id -> owner
    days_off: dict[str, frozenset[dt.date]] = field(default_factory=dict)  # owner -> days

    def unavailable(self) -> dict[str, Unavailable]:
        """Per task, the working days its owner is away (needs a start date)."""
        if self.start is None:
            return {}
        away: dict[str, Unavailable] = {}
        for tid, owner in self.owners.items():
            found = away_offsets(self.calendar, self.start, self.days_off.get(owner, ()), owner)
            if found is not None:
                away[tid] = found
        return away


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlanError(f"expected a number, got {value!r}", where)
    return float(value)


def _task(raw: Any, k: int) -> tuple[Task, list[Link]]:
    where = f"tasks[{k}]"
    if not isinstance(raw, dict) or "id" not in raw:
        raise PlanError("each task is an object with an 'id'", where)
    tid = str(raw["id"])
    where = f"task {tid}"
    estimate = None
    if "estimate" in raw:
        est = raw["estimate"]
        if not isinstance(est, list) or len(est) != 3:
            raise PlanError("'estimate' is [optimistic, most likely, pessimistic]", where)
        a, m, b = (_number(v, where + ".estimate") for v in est)
        if not 0 <= a <= m <= b:
            raise PlanError(f"'estimate' must satisfy 0 <= {a:g} <= {m:g} <= {b:g}", where)
        estimate = (a, m, b)
        duration = (a + 4 * m + b) / 6
    else:
        duration = _number(raw.get("duration", 0), where + ".duration")
        if duration < 0:
            raise PlanError(f"the duration {duration:g} is negative", where)
    links = []
    after = raw.get("after", [])
    if not isinstance(after, list):
        raise PlanError("'after' is a list of task ids or link objects", where)
    for j, item in enumerate(after):
        lw = f"{where}.after[{j}]"
        if isinstance(item, str | int):
            links.append(Link(str(item), tid))
            continue
        if not isinstance(item, dict) or "task" not in item:
            raise PlanError("a link is a task id or {'task': ..., 'type': 'FS', 'lag': 0}", lw)
        kind = str(item.get("type", "FS")).upper()
        if kind not in LinkType.__members__:
            raise PlanError(f"link type {kind!r} is not one of FS, SS, FF, SF", lw)
        links.append(
            Link(str(item["task"]), tid, LinkType(kind), _number(item.get("lag", 0), lw + ".lag"))
        )
    return Task(id=tid, duration=duration, estimate=estimate, kind=str(raw.get("kind", ""))), links


def _date(raw: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise PlanError(f"{raw!r} is not a date like 2026-03-02", where) from None


def parse_plan(data: Any) -> Plan:
    if not isinstance(data, dict) or not isinstance(data.get("tasks"), list):
        raise PlanError("a plan is an object with a 'tasks' list")
    tasks, links = [], []
    owners: dict[str, str] = {}
    for k, raw in enumerate(data["tasks"]):
        task, task_links = _task(raw, k)
        tasks.append(task)
        links.extend(task_links)
        if raw.get("owner"):
            owners[task.id] = str(raw["owner"])
    finish_by = (
        _number(data["finish_by"], "finish_by") if data.get("finish_by") is not None else None
    )
    spec = data.get("calendar") or {}
    try:
        calendar = parse_calendar(spec)
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    days_off = _days_off(spec.get("days_off") if isinstance(spec, dict) else None)
    network = Network(tasks=tuple(tasks), links=tuple(links))
    return Plan(
        network=network,
        finish_by=finish_by,
        start=_date(data["start"], "start") if data.get("start") else None,
        launch=_date(data["launch"], "launch") if data.get("launch") else None,
        calendar=calendar,
        owners=owners,
        days_off=days_off,
    )


def _days_off(raw: Any) -> dict[str, frozenset[dt.date]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PlanError("a map of person to a list of dates", "calendar.days_off")
    out = {}
    for person, days in raw.items():
        where = f"calendar.days_off.{person}"
        if not isinstance(days, list):
            raise PlanError("a list of dates like 2026-03-03", where)
        out[str(person)] = frozenset(_date(d, where) for d in days)
    return out


def analyze(plan: Plan) -> dict[str, Any]:
    """The JSON answer of `headway plan analyze` and POST /plans/analyze."""
    try:
        sched: Schedule = schedule(
            plan.network, required_finish=plan.finish_by, unavailable=plan.unavailable()
        )
    except NetworkError as exc:
        raise PlanError(str(exc)) from None
    tasks: dict[str, dict[str, Any]] = {}
    for tid, t in sched.tasks.items():
        row: dict[str, Any] = {
            "early_start": t.early_start,
            "early_finish": t.early_finish,
            "late_start": t.late_start,
            "late_finish": t.late_finish,
            "total_float": t.total_float,
            "free_float": t.free_float,
            "critical": t.critical,
            "explanation": t.explanation,
        }
        if plan.start:
            cal = plan.calendar
            row["start_date"] = cal.start_date(plan.start, t.early_start).isoformat()
            row["finish_date"] = cal.finish_date(
                plan.start, t.early_start, t.early_finish
            ).isoformat()
        tasks[tid] = row
    answer: dict[str, Any] = {
        "duration": sched.duration,
        "critical_path": sched.critical_path,
        "tasks": tasks,
    }
    if any(t.estimate for t in plan.network.tasks):
        p = pert(plan.network, finish_by=plan.finish_by)
        answer["pert"] = {
            "expected_duration": p.expected_duration,
            "std_dev": p.std_dev,
            "p_finish_by": p.p_finish_by,
        }
    if plan.start:
        answer["finish_date"] = plan.calendar.finish_date(plan.start, 0, sched.duration).isoformat()
    if plan.launch:
        back = plan_backward(
            plan.calendar, sched.duration, plan.launch, plan.start or dt.date.today()
        )
        answer["backward"] = {
            "latest_start": back.start.isoformat(),
            "launch": back.launch.isoformat(),
            "feasible": back.feasible,
            "short_by_working_days": back.short_by,
        }
    return answer
