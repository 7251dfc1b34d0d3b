"""Reads of stored campaign health and forecasts, shaped for pages, dashboards and the API.

Pages read the stored values `campaign_health_refresh` wrote; nothing here recomputes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from headway.accounts.models import User
from headway.engine.health import Code
from headway.insights.models import CampaignHealth, HealthState
from headway.workspaces.models import Workspace


@dataclass(frozen=True)
class ReasonView:
    code: str
    text: str
    owner: User | None
    url: str
    object_kind: str = ""
    object_id: int | None = None


@dataclass(frozen=True)
class ForecastView:
    p_on_time: float | None  # P(launch on or before the launch date), 0..1
    p50_date: dt.date | None
    p85_date: dt.date | None
    launch_date: dt.date | None
    basis: str
    trials: int
    critical_task_ids: list[int]
    # Critical tasks blocked when it was drawn. Nobody knows when a blocker lifts, so the
    # forecast draws blocked work as resuming today, and the headline says so: a blocked
    # campaign at "100%" with nothing said read as a contradiction.
    blocked: int = 0

    @property
    def headline(self) -> str:
        """'72% to launch by 14 Dec; 85% by 18 Dec' (the 85% date only when it is later),
        with 'if the blocked task resumes today' when critical work is blocked. Without a
        launch date there is no chance of launching on time to give, only when the work ends:
        'No launch date set; the work ends by 27 Nov in 85% of trials'."""
        parts = []
        if self.launch_date is None and self.p85_date is not None:
            parts.append(
                f"No launch date set; the work ends by {_day(self.p85_date)} in 85% of trials"
            )
        elif self.p_on_time is not None and self.launch_date is not None:
            parts.append(f"{round(self.p_on_time * 100)}% to launch by {_day(self.launch_date)}")
        if (
            self.p85_date is not None
            and self.launch_date is not None
            and (self.p_on_time is None or self.p_on_time < 0.85)
        ):
            parts.append(f"85% by {_day(self.p85_date)}")
        if parts and self.blocked:
            tasks = "the blocked task resumes" if self.blocked == 1 else "the blocked tasks resume"
            parts[-1] += f" if {tasks} today"
        return "; ".join(parts)

    @property
    def sentence(self) -> str:
        """'72% to launch by 14 Dec; 85% by 18 Dec — from the team's 64 finished tasks'."""
        if not self.headline:
            return ""
        return self.headline + (f" — {self.basis}" if self.basis else "")


@dataclass(frozen=True)
class HealthView:
    campaign_id: int
    state: str
    state_label: str
    reasons: list[ReasonView]
    since: dt.datetime
    computed_at: dt.datetime
    forecast: ForecastView | None

    @property
    def is_trouble(self) -> bool:
        return HealthState(self.state).is_trouble

    def reason_for_task(self, task_id: int) -> ReasonView | None:
        """The reason naming this task, if the task is why the campaign is in trouble."""
        for r in self.reasons:
            if r.object_kind == "task" and r.object_id == task_id:
                return r
        return None

    def as_api(self) -> dict[str, Any]:
        """The API shape: {state, reasons: [{code, text, owner, object}], since}."""
        return {
            "state": self.state,
            "reasons": [
                {
                    "code": r.code,
                    "text": r.text,
                    "owner": (
                        {"id": r.owner.pk, "name": r.owner.name} if r.owner is not None else None
                    ),
                    "object": {"kind": r.object_kind, "id": r.object_id, "url": r.url},
                }
                for r in self.reasons
            ],
            "since": self.since,
        }


def _day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def campaign_health_map(
    workspace: Workspace, campaign_ids: Iterable[int] | None = None
) -> dict[int, HealthView]:
    """Stored health of the workspace's campaigns (or only `campaign_ids`), by campaign id:
    two queries whatever the number of campaigns and reasons."""
    rows = CampaignHealth.objects.filter(workspace=workspace).select_related("campaign")
    if campaign_ids is not None:
        rows = rows.filter(campaign_id__in=list(campaign_ids))
    found = list(rows)
    owner_ids = {r.get("owner_id") for h in found for r in h.reasons if r.get("owner_id")}
    users = {u.pk: u for u in User.objects.filter(pk__in=owner_ids)} if owner_ids else {}
    return {h.campaign_id: _view(h, users) for h in found}


def _view(h: CampaignHealth, users: dict[int, User]) -> HealthView:
    reasons = [
        ReasonView(
            code=r.get("code", ""),
            text=r.get("text", ""),
            owner=users.get(r.get("owner_id") or 0),
            url=(r.get("object") or {}).get("url", ""),
            object_kind=(r.get("object") or {}).get("kind", ""),
            object_id=(r.get("object") or {}).get("id"),
        )
        for r in h.reasons
    ]
    forecast = None
    if h.forecast_trials:
        forecast = ForecastView(
            p_on_time=h.p_on_time,
            p50_date=h.p50_date,
            p85_date=h.p85_date,
            launch_date=h.campaign.launch_date,
            basis=h.forecast_basis,
            trials=h.forecast_trials,
            critical_task_ids=list(h.critical_task_ids),
            blocked=sum(1 for r in reasons if r.code == Code.CRITICAL_BLOCKED),
        )
    return HealthView(
        campaign_id=h.campaign_id,
        state=h.state,
        state_label=h.state_enum.label,
        reasons=reasons,
        since=h.since,
        computed_at=h.computed_at,
        forecast=forecast,
    )


def campaign_health(workspace: Workspace, campaign_id: int) -> HealthView | None:
    return campaign_health_map(workspace, [campaign_id]).get(campaign_id)


def task_health_reason(workspace: Workspace, task_id: int, campaign_id: int) -> ReasonView | None:
    """The reason naming this task, when the task is why its campaign is in trouble."""
    view = campaign_health(workspace, campaign_id)
    if view is None or not view.is_trouble:
        return None
    return view.reason_for_task(task_id)
