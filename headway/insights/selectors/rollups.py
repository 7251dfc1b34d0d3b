"""The diagnosis pages' figures: the stored ones when the page asks for the period the
background job computed (its default, without filters), else computed now."""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from headway.activity.models import Event
from headway.insights.models import DiagnosisRollup, RollupPage
from headway.insights.selectors.bottlenecks import Bottlenecks, bottlenecks_for
from headway.insights.selectors.flow import FlowResult, Period, flow_for
from headway.insights.selectors.scorecard import MonthTable, Scorecard, scorecard_for
from headway.workspaces.models import Workspace

T = TypeVar("T")
V = TypeVar("V")

#: The shape of the stored (pickled) results: raise it whenever FlowResult, Bottlenecks,
#: Scorecard or anything they hold changes, so rows stored by an older release are not read
#: (the pages compute their figures until the job has stored them again).
RESULT_VERSION = 3


#: Stored results already read by this process, and what pages built from them (charts), by
#: workspace, page, computation time and content: a new computation is a new key.
_READ: dict[tuple[Any, ...], Any] = {}
_READ_MAX = 64


@dataclass(frozen=True)
class Figures(Generic[T]):
    result: T
    computed_at: dt.datetime | None  # when the background job computed it; None: just now
    key: tuple[Any, ...] | None = None  # the stored computation's, None when computed now
    behind: bool = False  # stored before the workspace's latest activity


def _remembered(key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    if key not in _READ:
        if len(_READ) >= _READ_MAX:
            _READ.pop(next(iter(_READ)))
        _READ[key] = make()
    return _READ[key]


@dataclass(frozen=True)
class _Stored:
    result: Any
    computed_at: dt.datetime
    key: tuple[Any, ...]
    last_event: int  # the newest activity event the job's figures include
    newest_event: int  # the workspace's newest activity event now

    @property
    def behind(self) -> bool:
        """Stored before the workspace's latest activity."""
        return self.newest_event > self.last_event


def _stored(workspace: Workspace, page: RollupPage, period: Period) -> _Stored | None:
    """The job's stored figures of `page` for `period` (kept unpickled per process), if any."""
    rows = DiagnosisRollup.objects.filter(
        workspace=workspace,
        page=page,
        start=period.start,
        end=period.end,
        version=RESULT_VERSION,
    )
    row = rows.values_list("result", "computed_at", "last_event_id").first()
    if row is None:
        return None
    blob = bytes(row[0])
    # by content: a row rewritten with the same time (a test's frozen clock) is new
    key = (workspace.pk, str(page), row[1], hashlib.blake2b(blob).digest())
    newest = Event.objects.filter(workspace=workspace).order_by("-pk")
    return _Stored(
        _remembered(key, lambda: pickle.loads(blob)),
        row[1],
        key,
        row[2],
        newest.values_list("pk", flat=True).first() or 0,
    )


def _figures(
    workspace: Workspace, page: RollupPage, period: Period, compute: Callable[[], T]
) -> Figures[T]:
    if period.campaign is None and period.person is None and period.channel is None:
        stored = _stored(workspace, page, period)
        if stored is not None:
            return Figures(stored.result, stored.computed_at, stored.key, stored.behind)
    return Figures(compute(), None)


def built_once(figures: Figures[T], build: Callable[[T], V], name: str = "") -> V:
    """What a page builds from its figures (its charts, its API answer), built once per
    stored computation in this process; built each time for figures computed for the request.
    `name` tells apart builds that share a function."""
    if figures.key is None:
        return build(figures.result)
    key = (*figures.key, build.__qualname__, name)
    return cast(V, _remembered(key, lambda: build(figures.result)))


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


def scorecard_period_figures(
    workspace: Workspace, end: dt.date | None, start: dt.date | None
) -> Figures[Scorecard]:
    """The scorecard of a chosen period: its whole past months as the job stored them (said
    on the page with the time they were computed), the others computed now."""
    today = workspace.today()
    stored = _stored(workspace, RollupPage.SCORECARD_MONTHS, Period(today, today))
    if stored is None:
        return Figures(scorecard_for(workspace, end, start=start), None)
    known = cast(MonthTable, stored.result)
    # the months not stored (this one) are computed once per state of the log: every write
    # records an event, so a newer event is the sign that they may have changed
    key = (*stored.key, "period", start, end, today, stored.newest_event)
    card = _remembered(key, lambda: scorecard_for(workspace, end, start=start, known=known))
    return Figures(card, stored.computed_at, None, stored.behind)
