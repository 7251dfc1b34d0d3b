"""The diagnosis pages' figures: the stored ones when the page asks for the period the
background job computed (its default, without filters), else computed now."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from headway.insights.models import DiagnosisRollup, RollupPage
from headway.insights.selectors.bottlenecks import Bottlenecks, bottlenecks_for
from headway.insights.selectors.flow import FlowResult, Period, flow_for
from headway.insights.selectors.scorecard import Scorecard, scorecard_for
from headway.workspaces.models import Workspace

T = TypeVar("T")


@dataclass(frozen=True)
class Figures(Generic[T]):
    result: T
    computed_at: dt.datetime | None  # when the background job computed it; None: just now


def _stored(
    workspace: Workspace, page: RollupPage, start: dt.date, end: dt.date
) -> tuple[bytes, dt.datetime] | None:
    row = (
        DiagnosisRollup.objects.filter(workspace=workspace, page=page, start=start, end=end)
        .values_list("result", "computed_at")
        .first()
    )
    return (bytes(row[0]), row[1]) if row else None


def _figures(
    workspace: Workspace, page: RollupPage, period: Period, compute: Callable[[], T]
) -> Figures[T]:
    if period.campaign is None and period.person is None and period.channel is None:
        row = _stored(workspace, page, period.start, period.end)
        if row is not None:
            return Figures(pickle.loads(row[0]), row[1])
    return Figures(compute(), None)


def flow_figures(workspace: Workspace, period: Period) -> Figures[FlowResult]:
    return _figures(workspace, RollupPage.FLOW, period, lambda: flow_for(workspace, period))


def bottleneck_figures(workspace: Workspace, period: Period) -> Figures[Bottlenecks]:
    return _figures(
        workspace, RollupPage.BOTTLENECKS, period, lambda: bottlenecks_for(workspace, period)
    )


def scorecard_figures(workspace: Workspace) -> Figures[Scorecard]:
    today = workspace.today()
    return _figures(
        workspace, RollupPage.SCORECARD, Period(today, today), lambda: scorecard_for(workspace)
    )
