"""The insights app's models, one module per sub-concept (health, escalations, check-ins)."""

from headway.insights.models.escalations import (  # noqa: F401
    Escalation,
    EscalationSource,
    EscalationState,
)
from headway.insights.models.health import CampaignHealth, HealthState  # noqa: F401
