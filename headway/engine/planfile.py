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

from pydantic import ValidationError

from headway.engine.calendar import WorkCalendar, away_offsets, parse_calendar, plan_backward
from headway.engine.cpm import Schedule, Unavailable, schedule
from headway.engine.network import Network, NetworkError
from headway.engine.network_spec import PlanError, PlanSpec, plan_error
from headway.engine.pert import pert

__all__ = ["Plan", "PlanError", "analyze", "parse_plan"]


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


def parse_plan(data: Any) -> Plan:
    """A plan from the PLAN file's JSON, checked against `PlanSpec`; PlanError names the task
    and field at fault."""
    if not isinstance(data, dict) or not isinstance(data.get("tasks"), list):
        raise PlanError("a plan is an object with a 'tasks' list")
    try:
        spec = PlanSpec.model_validate(data)
    except ValidationError as exc:
        raise plan_error(exc, data) from None
    return plan_of(spec)


def plan_of(spec: PlanSpec) -> Plan:
    """The plan a checked `PlanSpec` describes (its calendar read, its network built)."""
    cal = spec.calendar
    try:
        calendar = parse_calendar({"weekend": cal.weekend, "holidays": cal.holidays} if cal else {})
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    return Plan(
        network=spec.network(),
        finish_by=spec.finish_by,
        start=spec.start,
        launch=spec.launch,
        calendar=calendar,
        owners={t.id: t.owner for t in spec.tasks if t.owner},
        days_off={who: frozenset(days) for who, days in cal.days_off.items()} if cal else {},
    )


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
