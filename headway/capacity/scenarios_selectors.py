"""Reads for scenarios: the workspace's saved scenarios, one scenario, and a stored answer
laid out for the pages (load cells before and after, running campaigns' odds)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from headway.activity.models import Event
from headway.capacity.models import Scenario
from headway.capacity.selectors import load_level
from headway.planning.models import Campaign, CampaignStatus, CampaignTemplate, RoleNeeded
from headway.workspaces.models import Workspace


def scenarios_list(workspace: Workspace) -> list[Scenario]:
    """The workspace's scenarios, newest first: one query."""
    return list(
        Scenario.objects.filter(workspace=workspace).select_related("template", "draft", "campaign")
    )


def scenario_get(workspace: Workspace, scenario_id: Any) -> Scenario:
    """One scenario of the workspace, or 404."""
    try:
        pk = int(scenario_id)
    except (TypeError, ValueError):
        raise Http404("No such scenario.") from None
    found = (
        Scenario.objects.filter(workspace=workspace, pk=pk)
        .select_related("workspace", "template", "draft", "campaign", "created_by")
        .first()
    )
    if found is None:
        raise Http404("No such scenario.")
    return found


def scenario_sources(workspace: Workspace) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The templates and draft campaigns a scenario can take on."""
    templates = list(
        CampaignTemplate.objects.filter(workspace=workspace)
        .order_by("name")
        .values_list("pk", "name")
    )
    drafts = list(
        Campaign.objects.filter(workspace=workspace, status=CampaignStatus.DRAFT)
        .order_by("name")
        .values_list("pk", "name")
    )
    return templates, drafts


# -- the answer, laid out ------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    booked: float
    available: float
    was: float  # booked before the scenario
    level: str

    @property
    def over(self) -> bool:
        return self.level == "over"

    @property
    def changed(self) -> bool:
        return abs(self.booked - self.was) >= 0.5

    @property
    def label(self) -> str:
        return f"{self.booked:.0f} / {self.available:.0f} h"


@dataclass
class PersonRow:
    id: int
    name: str
    skill: str
    added: bool
    removed: bool
    before: list[Cell] = field(default_factory=list)
    after: list[Cell] = field(default_factory=list)

    @property
    def skill_label(self) -> str:
        return str(RoleNeeded(self.skill).label) if self.skill in RoleNeeded.values else ""

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.after)


@dataclass
class Answer:
    """A stored answer as the scenario page shows it."""

    raw: dict[str, Any]
    weeks: list[dt.date]
    people: list[PersonRow]

    @property
    def campaign(self) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.raw.get("campaign")
        return found

    @property
    def running(self) -> list[dict[str, Any]]:
        """Each running campaign's row, with `hit` when the row shows a change for the
        worse: fewer points on time (a minus badge) or work likely done later (a slip)."""
        out = []
        for r in self.raw.get("running", []):
            drop_pts = round(100 * r["drop"])
            hit = drop_pts > 0 or r.get("slip_days", 0) > 0
            # older answers have no "planned": their "before" was all they said
            planned = _percent(r.get("planned", r["before"]))
            before = _percent(r["before"])
            out.append(
                {**r, "before_pct": before, "after_pct": _percent(r["after"]),
                 "drop_pts": drop_pts, "hit": hit, "planned_pct": planned,
                 "planned_differs": planned is not None and planned != before}
            )  # fmt: skip
        return out

    @property
    def new_pct(self) -> int | None:
        return _percent((self.campaign or {}).get("p_on_time"))

    @property
    def late_days(self) -> int:
        """Calendar days the projected launch falls after the launch date."""
        c = self.campaign or {}
        if not c.get("projected_launch") or not c.get("launch_date"):
            return 0
        return max((c["projected_launch"] - c["launch_date"]).days, 0)

    @property
    def drops(self) -> list[dict[str, Any]]:
        """The running launches whose rows show a change for the worse: what the headline
        counts."""
        return [r for r in self.running if r["hit"]]

    @property
    def less_likely(self) -> int:
        return sum(1 for r in self.running if r["drop_pts"] > 0)

    @property
    def done_later(self) -> int:
        return sum(1 for r in self.running if r.get("slip_days", 0) > 0)

    @property
    def levelled_late_days(self) -> int:
        """Calendar days the levelled launch (everyone within their hours) falls after the
        launch date."""
        c = self.campaign or {}
        if not c.get("levelled_launch") or not c.get("launch_date"):
            return 0
        return max((c["levelled_launch"] - c["launch_date"]).days, 0)

    @property
    def work_done(self) -> dt.date | None:
        """The last day of the new campaign's work before its levelled launch."""
        c = self.campaign or {}
        launch = c.get("levelled_launch")
        dues = [
            t["due"]
            for t in c.get("tasks", [])
            if not t.get("milestone") and (launch is None or t["due"] < launch)
        ]
        return max(dues) if dues else None

    @property
    def no_time_in_hand(self) -> bool:
        """The work ends on the last weekday before the levelled launch."""
        c = self.campaign or {}
        done, launch = self.work_done, c.get("levelled_launch")
        if done is None or launch is None:
            return False
        between = (done + dt.timedelta(days=n) for n in range(1, (launch - done).days))
        return not any(d.weekday() < 5 for d in between)

    @property
    def fits_only_on_plan(self) -> bool:
        """The levelled plan launches on time but the forecast gives it less than an even
        chance: it fits only if no task takes longer than planned."""
        pct = self.new_pct
        return (
            self.campaign is not None
            and self.campaign.get("levelled_launch") is not None
            and self.levelled_late_days == 0
            and pct is not None
            and pct < 50
        )

    @property
    def changed_people(self) -> list[PersonRow]:
        return [p for p in self.people if p.changed or p.added or p.removed]


def _percent(p: float | None) -> int | None:
    return None if p is None else round(100 * p)


def _cells(weeks: list[list[float]], was: list[list[float]]) -> list[Cell]:
    return [Cell(b, a, w[0], load_level(b, a)) for (b, a), w in zip(weeks, was, strict=True)]


def scenario_answer(scenario: Scenario) -> Answer | None:
    """The scenario's stored answer laid out for its page; None until it is worked out."""
    raw = scenario.result
    if not raw:
        return None
    people = []
    for p in raw.get("people", []):
        row = PersonRow(p["id"], p["name"], p.get("skill", ""), p["added"], p["removed"])
        row.before = _cells(p["before"], p["before"])
        row.after = _cells(p["after"], p["before"])
        people.append(row)
    weeks = [dt.date.fromisoformat(w) for w in raw.get("weeks", [])]
    return Answer(_dated(raw), weeks, people)


DATE_KEYS = frozenset(
    ("launch_date", "plan_start", "projected_launch", "levelled_launch", "p50_finish",
     "p85_finish", "start", "due", "likely_before", "likely_after")
)  # fmt: skip


def _dated(value: Any) -> Any:
    """The stored JSON with its ISO dates read back as dates, for the templates."""
    if isinstance(value, dict):
        return {
            k: dt.date.fromisoformat(v) if k in DATE_KEYS and isinstance(v, str) else _dated(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_dated(v) for v in value]
    return value


# Changes a scenario's answer does not depend on: its own events (saved, worked out), and
# what only reads the plan (health, check-ins, escalations, results, reviews).
NOT_PLAN = ("capacity.scenario",)
NOT_PLAN_APPS = ("insights.", "results.", "reviews.", "notifications.")


def plan_mark(workspace: Workspace) -> int:
    """A fingerprint of what a scenario reads: the workspace's latest activity event (every
    change to plans, people, capacity and time off is one), its own scenarios' left out. One
    query."""
    events = Event.objects.filter(workspace=workspace).exclude(object_type__in=NOT_PLAN)
    for app in NOT_PLAN_APPS:
        events = events.exclude(object_type__startswith=app)
    # an approval past its limit being escalated to the managers moves no date
    events = events.exclude(object_type="approvals.approvalrequest", changes__has_key="escalated")
    found = events.order_by("-id").values_list("id", flat=True).first()
    return int(found or 0)


def scenario_outdated(scenario: Scenario) -> bool:
    """The plans changed since the answer was worked out (unknown for answers stored before
    the fingerprint was kept: not said)."""
    raw = scenario.result or {}
    mark = raw.get("plan_mark")
    return mark is not None and plan_mark(scenario.workspace) != mark
