"""The demo shows every health state and both kinds of escalation."""

from __future__ import annotations

import pytest

from headway.core.demo import HARBOR_AND_PINE, demo_load
from headway.insights.models import CampaignHealth, Escalation

pytestmark = pytest.mark.django_db


def test_harbor_and_pine_shows_every_state_and_escalation() -> None:
    demo_load()
    rows = CampaignHealth.objects.filter(workspace__name=HARBOR_AND_PINE)
    states = set(rows.values_list("state", flat=True))
    assert {"late", "blocked", "at_risk", "on_track", "done"} <= states
    escalations = Escalation.objects.filter(workspace__name=HARBOR_AND_PINE)
    assert escalations.filter(state="open", source="health").exists()
    assert escalations.filter(state="acknowledged").exclude(ack_note="").exists()
    assert escalations.filter(source="raised").exists()
    # every open campaign has a forecast with its basis
    open_rows = rows.filter(campaign__status__in=["draft", "planned", "in_progress"])
    assert open_rows and all(r.forecast_trials and r.forecast_basis for r in open_rows)
