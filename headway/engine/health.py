"""Campaign health: a state and its reasons, decided from a plain snapshot of one campaign.

Late: the projected launch is after the launch date, or the launch date passed unlaunched.
Blocked: a task on the critical path is blocked, or a go-live condition is unmet past its due.
At risk: the forecast gives under 70% to launch on time; a task with under 2 working days of
float before the launch date should have started and has not; an approval on the critical
path is past its limit; a third-party condition's lead time is running out; unowned work starts
within 5 working days. On track otherwise; done or cancelled once the campaign is closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from headway.engine.calendar import WorkCalendar


class State(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BLOCKED = "blocked"
    LATE = "late"
    DONE = "done"
    CANCELLED = "cancelled"


class Code(StrEnum):
    LAUNCH_PROJECTED_LATE = "launch_projected_late"
    LAUNCH_DATE_PASSED = "launch_date_passed"
    CRITICAL_BLOCKED = "critical_blocked"
    CONDITION_OVERDUE = "condition_overdue"
    FORECAST_LOW = "forecast_low"
    CRITICAL_NOT_STARTED = "critical_not_started"
    APPROVAL_OVERDUE = "approval_overdue"
    CONDITION_LEAD_TIME = "condition_lead_time"
    UNOWNED_SOON = "unowned_soon"


# Each reason's code decides the state it leads to; the campaign takes the worst.
CODE_STATE = {
    Code.LAUNCH_PROJECTED_LATE: State.LATE,
    Code.LAUNCH_DATE_PASSED: State.LATE,
    Code.CRITICAL_BLOCKED: State.BLOCKED,
    Code.CONDITION_OVERDUE: State.BLOCKED,
    Code.FORECAST_LOW: State.AT_RISK,
    Code.CRITICAL_NOT_STARTED: State.AT_RISK,
    Code.APPROVAL_OVERDUE: State.AT_RISK,
    Code.CONDITION_LEAD_TIME: State.AT_RISK,
    Code.UNOWNED_SOON: State.AT_RISK,
}
SEVERITY = [State.LATE, State.BLOCKED, State.AT_RISK, State.ON_TRACK]


class Phase(StrEnum):
    OPEN = "open"  # draft, planned or in progress
    DONE = "done"  # launched, in review or closed
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Thresholds:
    p_on_time_min: float = 0.70
    float_min_days: float = 2.0
    unowned_within_days: int = 5


@dataclass(frozen=True)
class TaskFact:
    id: int
    title: str
    status: str  # planning's TaskStatus value
    start: dt.date | None
    total_float: float
    critical: bool
    owner_id: int | None
    blocked_on_id: int | None = None
    milestone: bool = False
    url: str = ""

    @property
    def started(self) -> bool:
        return self.status != "not_started"


@dataclass(frozen=True)
class ConditionFact:
    id: int
    title: str
    due: dt.date | None
    met: bool
    third_party: bool
    lead_time_days: int
    owner_id: int | None
    url: str = ""


@dataclass(frozen=True)
class ApprovalFact:
    id: int
    task_id: int
    title: str  # what waits for approval
    step_name: str
    due_at: dt.datetime
    approver_id: int | None  # the one person to chase: a named approver or the backup
    url: str = ""


@dataclass(frozen=True)
class CampaignSnapshot:
    campaign_id: int
    owner_id: int | None
    phase: Phase
    today: dt.date
    now: dt.datetime
    launch_date: dt.date | None
    projected_launch: dt.date | None
    launched: bool = False
    tasks: tuple[TaskFact, ...] = ()
    conditions: tuple[ConditionFact, ...] = ()
    approvals: tuple[ApprovalFact, ...] = ()  # pending, on this campaign's tasks
    p_on_time: float | None = None
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    thresholds: Thresholds = field(default_factory=Thresholds)
    url: str = ""


@dataclass(frozen=True)
class Reason:
    code: Code
    text: str
    owner_id: int | None
    kind: str  # "campaign", "task", "condition" or "approval"
    id: int
    url: str

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code.value,
            "text": self.text,
            "owner_id": self.owner_id,
            "object": {"kind": self.kind, "id": self.id, "url": self.url},
        }


@dataclass(frozen=True)
class Health:
    state: State
    reasons: tuple[Reason, ...]


def _day(d: dt.date) -> str:
    return f"{d.strftime('%a')} {d.day} {d.strftime('%b')}"


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def health(s: CampaignSnapshot) -> Health:
    """The campaign's state and every reason for it, worst first."""
    if s.phase == Phase.CANCELLED:
        return Health(State.CANCELLED, ())
    if s.phase == Phase.DONE or s.launched:
        return Health(State.DONE, ())
    reasons = [
        *_late(s),
        *_blocked(s),
        *_forecast(s),
        *_critical_not_started(s),
        *_approvals(s),
        *_lead_times(s),
        *_unowned(s),
    ]
    reasons.sort(key=lambda r: SEVERITY.index(CODE_STATE[r.code]))
    state = CODE_STATE[reasons[0].code] if reasons else State.ON_TRACK
    return Health(state, tuple(reasons))


def _campaign_reason(s: CampaignSnapshot, code: Code, text: str) -> Reason:
    return Reason(code, text, s.owner_id, "campaign", s.campaign_id, s.url)


def _late(s: CampaignSnapshot) -> list[Reason]:
    if s.launch_date is None:
        return []
    if s.launch_date < s.today:
        text = f"The launch date {_day(s.launch_date)} has passed and the campaign has not launched"
        return [_campaign_reason(s, Code.LAUNCH_DATE_PASSED, text)]
    if s.projected_launch is not None and s.projected_launch > s.launch_date:
        late = s.calendar.working_days_between(s.launch_date, s.projected_launch)
        text = (
            f"The plan ends {_day(s.projected_launch)}, {_plural(max(late, 1), 'working day')} "
            f"after the launch date {_day(s.launch_date)}"
        )
        return [_campaign_reason(s, Code.LAUNCH_PROJECTED_LATE, text)]
    return []


def _open_tasks(s: CampaignSnapshot) -> list[TaskFact]:
    return [t for t in s.tasks if t.status != "done"]


def _blocked(s: CampaignSnapshot) -> list[Reason]:
    out = [
        Reason(
            Code.CRITICAL_BLOCKED,
            f"“{t.title}” is blocked and on the critical path",
            t.blocked_on_id or t.owner_id or s.owner_id,
            "task",
            t.id,
            t.url,
        )
        for t in _open_tasks(s)
        if t.status == "blocked" and t.critical
    ]
    for c in s.conditions:
        if not c.met and c.due is not None and c.due < s.today:
            text = f"Go-live condition “{c.title}” was due {_day(c.due)} and is not met"
            out.append(
                Reason(
                    Code.CONDITION_OVERDUE, text, c.owner_id or s.owner_id, "condition", c.id, c.url
                )
            )
    return out


def _forecast(s: CampaignSnapshot) -> list[Reason]:
    p = s.p_on_time
    if p is None or s.launch_date is None or p >= s.thresholds.p_on_time_min:
        return []
    text = (
        f"The forecast gives {round(p * 100)}% to launch by {_day(s.launch_date)} "
        f"(under {round(s.thresholds.p_on_time_min * 100)}%)"
    )
    return [_campaign_reason(s, Code.FORECAST_LOW, text)]


def _critical_not_started(s: CampaignSnapshot) -> list[Reason]:
    """A task's stored float is measured against the plan's own end (a plan scheduled forward
    ends on its projected launch, and its critical tasks have none), so the float that counts
    is to the launch date: that plus the working days the projection is early. Without a
    launch date there is nothing to be late for; the forecast says when the work ends."""
    if s.launch_date is None:
        return []
    early = 0
    if s.projected_launch is not None and s.projected_launch < s.launch_date:
        early = s.calendar.working_days_between(s.projected_launch, s.launch_date)
    limit = s.thresholds.float_min_days
    out = []
    for t in _open_tasks(s):
        left = t.total_float + early
        if t.milestone or t.started or left >= limit or t.start is None or t.start > s.today:
            continue
        text = (
            f"“{t.title}” should have started {_day(t.start)} and has not; "
            f"{_plural(max(int(left), 0), 'working day')} of float before the launch date "
            f"{_day(s.launch_date)}"
        )
        out.append(
            Reason(Code.CRITICAL_NOT_STARTED, text, t.owner_id or s.owner_id, "task", t.id, t.url)
        )
    return out


def _approvals(s: CampaignSnapshot) -> list[Reason]:
    critical = {t.id for t in s.tasks if t.critical or t.total_float < s.thresholds.float_min_days}
    return [
        Reason(
            Code.APPROVAL_OVERDUE,
            f"Approval of “{a.title}” ({a.step_name}) is past its limit and the launch waits on it",
            a.approver_id or s.owner_id,
            "approval",
            a.id,
            a.url,
        )
        for a in s.approvals
        if a.task_id in critical and a.due_at < s.now
    ]


def _lead_times(s: CampaignSnapshot) -> list[Reason]:
    out = []
    for c in s.conditions:
        if c.met or not c.third_party or c.due is None or c.due < s.today:
            continue
        left = s.calendar.working_days_between(s.today, c.due)
        if left <= c.lead_time_days:
            text = (
                f"“{c.title}” needs {_plural(c.lead_time_days, 'working day')} from the third "
                f"party and is due {_day(c.due)}: {_plural(left, 'working day')} left"
            )
            out.append(
                Reason(
                    Code.CONDITION_LEAD_TIME,
                    text,
                    c.owner_id or s.owner_id,
                    "condition",
                    c.id,
                    c.url,
                )
            )
    return out


def _unowned(s: CampaignSnapshot) -> list[Reason]:
    horizon = s.calendar.add(s.today, s.thresholds.unowned_within_days)
    return [
        Reason(
            Code.UNOWNED_SOON,
            f"“{t.title}” starts {_day(t.start or s.today)} and nobody owns it",
            s.owner_id,
            "task",
            t.id,
            t.url,
        )
        for t in _open_tasks(s)
        if t.owner_id is None and not t.milestone and t.start is not None and t.start <= horizon
    ]
