"""Background work for scenarios: a what-if is worked out by the worker, its progress kept on
the scenario for the page to show."""

from __future__ import annotations

from headway.capacity.models import Scenario
from headway.capacity.scenarios import scenario_compute
from headway.core.tasks import retried_task


@retried_task(max_attempts=2)
def scenario_compute_job(*, scenario_id: int, workspace_id: int) -> str:
    """Works one scenario out (it may be gone by now)."""
    scenario = (
        Scenario.objects.select_related("workspace", "template", "draft")
        .filter(pk=scenario_id)
        .first()
    )
    if scenario is None:
        return "scenario deleted"
    scenario = scenario_compute(scenario=scenario)
    return f"{scenario.name}: {scenario.status}"
