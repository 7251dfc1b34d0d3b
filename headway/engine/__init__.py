"""Headway's engine: schedules, forecasts and flow metrics in pure Python and NumPy.

Nothing here imports Django; dataclasses go in and come out.
"""

from headway.engine.calendar import BackwardPlan, WorkCalendar, plan_backward
from headway.engine.cascade import CascadeResult, cascade
from headway.engine.cpm import Schedule, TaskSchedule, schedule
from headway.engine.flow import FlowLog, FlowReport, flow_metrics
from headway.engine.montecarlo import Distribution, Forecast, simulate
from headway.engine.network import Link, LinkType, Network, NetworkError, Task
from headway.engine.pert import PertResult, pert
from headway.engine.throughput import how_many, when_done

__all__ = [
    "BackwardPlan",
    "CascadeResult",
    "Distribution",
    "FlowLog",
    "FlowReport",
    "Forecast",
    "Link",
    "LinkType",
    "Network",
    "NetworkError",
    "PertResult",
    "Schedule",
    "Task",
    "TaskSchedule",
    "WorkCalendar",
    "cascade",
    "flow_metrics",
    "how_many",
    "pert",
    "plan_backward",
    "schedule",
    "simulate",
    "when_done",
]
