"""Computing and storing campaign health: fetch the snapshot, forecast the launch, decide the
state in the engine, store it with its reasons, and open or resolve escalations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from headway.activity.models import Verb
from headway.activity.services import event_record
from headway.engine.calendar import WorkCalendar
from headway.engine.health import health
from headway.engine.launch_forecast import LaunchForecast, forecast_launch
from headway.insights.models import CampaignHealth, HealthState
from headway.insights.selectors.health_inputs import HealthInputs, health_inputs
from headway.planning.models import Campaign, CampaignStatus
from headway.workspaces.models import Workspace

TRIALS = 10_000


def campaign_health_refresh(campaign: Campaign, *, trials: int = TRIALS) -> CampaignHealth:
    """Recomputes one campaign's health and forecast and stores them."""
    return campaigns_health_refresh(campaign.workspace, [campaign], trials=trials)[0]


@transaction.atomic
def campaigns_health_refresh(
    workspace: Workspace, campaigns: Sequence[Campaign], *, trials: int = TRIALS
) -> list[CampaignHealth]:
    """Recomputes and stores the health of `campaigns` (all of one workspace); `since` moves
    only when a state changes, and each change is an activity event and may open or resolve
    an escalation."""
    from headway.insights.services.escalations import escalation_follow_health

    inputs = health_inputs(workspace, campaigns, trials=trials)
    stored = {h.campaign_id: h for h in CampaignHealth.objects.filter(campaign__in=campaigns)}
    now = timezone.now()
    out = []
    for c in campaigns:
        row, changed = _store(c, inputs[c.pk], stored.get(c.pk), now)
        if changed:
            escalation_follow_health(row, c)
        out.append(row)
    return out


def _store(
    c: Campaign, inp: HealthInputs, row: CampaignHealth | None, now: dt.datetime
) -> tuple[CampaignHealth, bool]:
    forecast = forecast_launch(inp.forecast) if inp.forecast is not None else None
    snap = inp.snapshot
    if forecast is not None:
        snap = replace(snap, p_on_time=forecast.p_on_time)
    result = health(snap)
    state = HealthState(result.state.value)
    before = row.state if row is not None else None
    if row is None:
        row = CampaignHealth(workspace_id=c.workspace_id, campaign=c, since=now)
    if before != state:
        # done since it went out (planning.launches), not since the first check that saw it
        out = c.launched_at if state == HealthState.DONE else None
        row.since = out if out is not None and out <= now else now
    row.state = state
    row.reasons = [r.as_dict() for r in result.reasons]
    row.computed_at = now
    _store_forecast(row, forecast, snap.calendar, snap.today)
    row.save()
    if before != state:
        event_record(
            actor=None,
            verb=Verb.CREATED if before is None else Verb.UPDATED,
            obj=row,
            workspace=c.workspace,
            changes={"state": [before, state.value]},
        )
    return row, before != state


def _store_forecast(
    row: CampaignHealth, f: LaunchForecast | None, cal: WorkCalendar, today: dt.date
) -> None:
    if f is None or not f.trials:
        row.p_on_time, row.p50_date, row.p85_date = None, None, None
        row.forecast_basis, row.forecast_trials, row.critical_task_ids = "", 0, []
        return
    row.p_on_time = f.p_on_time
    row.p50_date = _finish_day(cal, today, f.p50_days)
    row.p85_date = _finish_day(cal, today, f.p85_days)
    row.forecast_basis = f.basis[:200]
    row.forecast_trials = f.trials
    row.critical_task_ids = list(f.critical_ids)


def _finish_day(cal: WorkCalendar, today: dt.date, days: float) -> dt.date:
    """The launch day when the remaining work takes `days` working days from today: the
    working day after the last day of work, as the dated plan puts a launch milestone."""
    return cal.add(today, int(days))


OPEN_STATUSES = [s for s in CampaignStatus if s.is_open]


def workspace_health_refresh(workspace: Workspace, *, trials: int = TRIALS) -> int:
    """Recomputes every campaign of the workspace that is open or has no stored health yet."""
    campaigns = list(
        Campaign.objects.filter(workspace=workspace).select_related("workspace", "owner")
    )
    stored = set(
        CampaignHealth.objects.filter(workspace=workspace).values_list("campaign_id", flat=True)
    )
    todo = [c for c in campaigns if c.status in OPEN_STATUSES or c.pk not in stored]
    if todo:
        campaigns_health_refresh(workspace, todo, trials=trials)
    return len(todo)
