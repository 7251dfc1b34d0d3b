"""The insights app's models, one module per sub-concept (health, escalations, check-ins)."""

from headway.insights.models.checkins import (  # noqa: F401
    CheckIn,
    CheckInDecision,
    CheckInItem,
    CheckInSchedule,
    Weekday,
)
from headway.insights.models.escalations import (  # noqa: F401
    Escalation,
    EscalationSource,
    EscalationState,
)
from headway.insights.models.health import CampaignHealth, HealthState  # noqa: F401
from headway.insights.models.rollups import (  # noqa: F401
    ColumnsCopy,
    CopyMark,
    DiagnosisRollup,
    PlanChange,
    RollupPage,
    RoundStart,
    TaskMove,
)
